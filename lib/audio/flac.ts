/**
 * Native FLAC through codec-parser's frame parser and the FLAC decoder's frame API, so the bytes
 * after the last frame the parser returned are known and handed over at the end. codec-parser
 * 2.5.0 loses a stream's last frame when the byte before its CRC-16 footer is 0xFF: its search for
 * the next frame then steps past the end and waits for bytes that never come. The length the
 * STREAMINFO block states is checked against what was decoded.
 */

interface CodecFrame {
  data: Uint8Array;
}
interface FrameParser {
  parseChunk(chunk: Uint8Array): Iterable<CodecFrame>;
  flush(): Iterable<CodecFrame>;
}
/** What decoding gives, as far as this file reads it. */
interface Decoded {
  samplesDecoded: number;
  warnings?: string[];
}
/** The part of @wasm-audio-decoders/flac's FLACDecoder used here. */
export interface FlacFrameDecoder<D extends Decoded> {
  ready: Promise<void>;
  decodeFrames(frames: Uint8Array[]): Promise<D>;
  free(): void;
}
/** Metadata beyond this (pictures included) is not kept for the final frame's hand-over. */
const MAX_METADATA = 16 * 1024 * 1024;

type ParserClass = new (mimeType: string, options: Record<string, unknown>) => FrameParser;

/** Where the frames start and the samples STREAMINFO states (0: unknown), once the metadata has arrived. */
export function readFlacMetadata(head: Uint8Array): { framesAt: number; totalSamples: number } | undefined {
  let at = 4; // "fLaC"
  let totalSamples = 0;
  for (;;) {
    if (head.length < at + 4) return undefined;
    const last = (head[at] & 0x80) !== 0;
    const type = head[at] & 0x7f;
    const size = (head[at + 1] << 16) | (head[at + 2] << 8) | head[at + 3];
    if (type === 0) {
      if (head.length < at + 4 + 18) return undefined;
      // 36 bits of total samples: the low 4 bits of byte 13 of STREAMINFO, then 4 bytes.
      const s = at + 4 + 13;
      totalSamples = (head[s] & 0x0f) * 2 ** 32 + ((head[s + 1] << 24) >>> 0) + (head[s + 2] << 16) + (head[s + 3] << 8) + head[s + 4];
    }
    at += 4 + size;
    if (last) return { framesAt: at, totalSamples };
  }
}

export class FlacStreamDecoder<D extends Decoded> {
  private readonly parser: FrameParser;
  /** Bytes not yet known to belong to a returned frame, from stream offset `pendingAt`. */
  private pending = new Uint8Array(0);
  private pendingAt = 0;
  private framesAt?: number;
  private totalSamples = 0;
  private decodedSamples = 0;

  constructor(
    private readonly decoder: FlacFrameDecoder<D>,
    Parser: ParserClass,
  ) {
    this.parser = new Parser('audio/flac', { enableFrameCRC32: false });
  }

  get ready(): Promise<void> {
    return this.decoder.ready;
  }

  async decode(bytes: Uint8Array): Promise<D> {
    this.keep(bytes);
    return await this.decodeFrames([...this.parser.parseChunk(bytes)].map((frame) => frame.data));
  }

  /** The parser's last frames, then whatever bytes it left: the final frame it can lose. */
  async flush(): Promise<D> {
    const frames = [...this.parser.flush()].map((frame) => frame.data);
    this.drop(frames);
    const start = this.framesAt === undefined ? this.pending.length : Math.max(0, this.framesAt - this.pendingAt);
    const rest = this.pending.subarray(start);
    // A frame starts with its sync code 0xFFF8 (fixed block size) or 0xFFF9 (variable).
    if (rest.length > 2 && rest[0] === 0xff && (rest[1] & 0xfe) === 0xf8) frames.push(rest);
    this.pending = new Uint8Array(0);
    const decoded = await this.decodeFrames(frames, true);
    if (this.totalSamples > 0 && this.decodedSamples !== this.totalSamples) {
      const warning = `FLAC audio whose STREAMINFO states ${this.totalSamples} samples decoded to ${this.decodedSamples}`;
      decoded.warnings = [...(decoded.warnings ?? []), warning];
    }
    return decoded;
  }

  free(): void {
    this.decoder.free();
  }

  private keep(bytes: Uint8Array): void {
    // Metadata that never ends (not FLAC after all, or a huge picture): the hand-over is given up, memory stays bounded.
    if (this.framesAt === undefined && this.pending.length > MAX_METADATA) this.pending = new Uint8Array(0);
    const joined = new Uint8Array(this.pending.length + bytes.length);
    joined.set(this.pending);
    joined.set(bytes, this.pending.length);
    this.pending = joined;
    if (this.framesAt === undefined) {
      const metadata = readFlacMetadata(this.pending);
      if (metadata) ({ framesAt: this.framesAt, totalSamples: this.totalSamples } = metadata);
    }
  }

  /** Forgets the bytes of frames the parser returned (frames follow one another from `framesAt`). */
  private drop(frames: Uint8Array[]): void {
    if (this.framesAt === undefined || frames.length === 0) return;
    const bytes = frames.reduce((sum, frame) => sum + frame.length, 0);
    const cut = Math.max(0, this.framesAt - this.pendingAt) + bytes;
    this.pending = this.pending.subarray(cut);
    this.pendingAt += cut;
    this.framesAt = Math.max(this.framesAt, this.pendingAt);
  }

  private async decodeFrames(frames: Uint8Array[], flushed = false): Promise<D> {
    if (!flushed) this.drop(frames);
    const decoded = await this.decoder.decodeFrames(frames);
    this.decodedSamples += decoded.samplesDecoded;
    return decoded;
  }
}
