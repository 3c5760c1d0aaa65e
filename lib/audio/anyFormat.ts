import { BadInputError } from '../errors';
import { HARF_SAMPLE_RATE, PcmConverter, checkRate } from './convert';
import { CodecDecoder, type DecodedAudio } from './decoders';
import { ACCEPTED_AUDIO, AUDIO_KIND_NAMES, type AudioKind, detectAudio } from './detect';
import { WavStreamConverter } from './stream';
import { type WavFormat, readWavInfo, wavHeader } from './wav';

export interface AudioStreamConverterOptions {
  /** Output sample rate. Default 16000 (Harf). */
  targetRate?: number;
}

/** What the converter has learnt about its input once the samples start. */
export interface AudioStreamInfo {
  kind: AudioKind;
  sampleRate: number;
  channels: number;
  /** Seconds of input audio converted so far. */
  durationSeconds: number;
}

/** Bytes handed to a decoder at once, so one huge chunk never means one huge decoded array. */
const DECODE_PIECE = 64 * 1024;

/**
 * Converts audio of any accepted kind (WAV, OGG/Opus, MP3, FLAC, OGG/Vorbis), recognised from its
 * first bytes, to a 16-bit mono PCM WAV stream at the target rate as its bytes arrive, in chunks of
 * any size. The output starts with a streaming WAV header, then the samples. Memory is bounded by
 * a chunk and the decoder's window, never by the length of the stream.
 */
export class AudioStreamConverter {
  readonly targetRate: number;
  private head: Buffer = Buffer.alloc(0);
  private kindFound?: AudioKind;
  private wav?: WavStreamConverter;
  private decoder?: CodecDecoder;
  private pcm?: PcmConverter;
  private decodedFrames = 0;
  private decodeErrors: string[] = [];
  private readonly warningList: string[] = [];
  private ended = false;

  constructor(options: AudioStreamConverterOptions = {}) {
    this.targetRate = checkRate(options.targetRate ?? HARF_SAMPLE_RATE, 'targetRate');
  }

  /** Known once the samples start (after the WAV header, or the first decoded audio). */
  get info(): AudioStreamInfo | undefined {
    if (this.wav) {
      const wav = this.wav.info;
      return wav && { kind: 'wav', sampleRate: wav.sampleRate, channels: wav.channels, durationSeconds: wav.durationSeconds };
    }
    if (!this.pcm || !this.kindFound) return undefined;
    const { sampleRate, channels } = this.pcm.format;
    return { kind: this.kindFound, sampleRate, channels, durationSeconds: this.decodedFrames / sampleRate };
  }

  /** What was converted but looks wrong, such as a FLAC file decoded to another length than its header states. */
  get warnings(): readonly string[] {
    return this.warningList;
  }

  /** The kind recognised from the first bytes, once enough have come. */
  get kind(): AudioKind | undefined {
    return this.kindFound;
  }

  /**
   * Takes the next bytes; resolves to the output now ready (maybe none). WAV's samples are converted
   * into what `allocate` gives (once per piece of the data; a fresh buffer by default).
   */
  async push(chunk: Buffer, allocate?: (size: number) => Buffer): Promise<Buffer> {
    if (this.ended) throw new BadInputError('chunk', 'a chunk after end()', 'no more chunks once the stream has ended');
    if (!Buffer.isBuffer(chunk)) throw new BadInputError('chunk', typeof chunk, 'a Buffer of audio bytes');
    if (!this.kindFound) {
      this.head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
      const detection = detectAudio(this.head, false);
      if (detection.kind === 'need-more') return Buffer.alloc(0);
      if (detection.kind === 'unsupported') throw new BadInputError('audio', detection.found, ACCEPTED_AUDIO);
      this.start(detection.kind);
      chunk = this.head;
      this.head = Buffer.alloc(0);
    }
    if (this.wav) return this.wav.push(chunk, allocate);
    const out: Buffer[] = [];
    for (let offset = 0; offset < chunk.length; offset += DECODE_PIECE) {
      const decoded = await (this.decoder as CodecDecoder).decode(chunk.subarray(offset, offset + DECODE_PIECE));
      out.push(this.convert(decoded));
    }
    return out.length === 1 ? out[0] : Buffer.concat(out);
  }

  /** Ends the input: resolves to the last samples. Throws when no audio could be read. */
  async end(): Promise<Buffer> {
    if (this.ended) return Buffer.alloc(0);
    if (!this.kindFound) {
      const detection = detectAudio(this.head, true);
      if (detection.kind === 'unsupported') {
        this.ended = true;
        throw new BadInputError('audio', detection.found, ACCEPTED_AUDIO);
      }
      if (detection.kind !== 'need-more') {
        const head = this.head;
        this.head = Buffer.alloc(0);
        this.start(detection.kind);
        const first = await this.push(head);
        return Buffer.concat([first, await this.end()]);
      }
    }
    this.ended = true;
    if (this.wav) return this.wav.end();
    const decoder = this.decoder as CodecDecoder;
    try {
      const rest = await decoder.flush();
      const tail = rest ? this.convert(rest) : Buffer.alloc(0);
      if (!this.pcm) {
        const why = this.decodeErrors.length > 0 ? ` (${this.decodeErrors[0]})` : '';
        throw new BadInputError(
          'audio',
          `${AUDIO_KIND_NAMES[this.kindFound as AudioKind]} data with no audio the decoder could read${why}`,
          ACCEPTED_AUDIO,
        );
      }
      return Buffer.concat([tail, this.pcm.end()]);
    } finally {
      decoder.free();
    }
  }

  /** Frees the decoder without ending (the stream was dropped). */
  close(): void {
    this.ended = true;
    this.decoder?.free();
  }

  private start(kind: AudioKind): void {
    this.kindFound = kind;
    if (kind === 'wav') this.wav = new WavStreamConverter({ targetRate: this.targetRate });
    else this.decoder = new CodecDecoder(kind);
  }

  /** Decoded planar floats through the resampler; the first audio also gives the output's header. */
  private convert(decoded: DecodedAudio): Buffer {
    for (const error of decoded.errors ?? []) if (this.decodeErrors.length < 3) this.decodeErrors.push(error.message);
    this.warningList.push(...(decoded.warnings ?? []));
    const frames = decoded.samplesDecoded;
    const channels = decoded.channelData.length;
    if (frames === 0 || channels === 0) return Buffer.alloc(0);
    let header: Buffer | undefined;
    if (!this.pcm) {
      checkRate(decoded.sampleRate, 'audio sample rate');
      this.pcm = new PcmConverter(floatFormat(decoded.sampleRate, channels), this.targetRate);
      header = wavHeader(this.targetRate, 1);
    } else if (this.pcm.format.sampleRate !== decoded.sampleRate || this.pcm.format.channels !== channels) {
      const before = `${this.pcm.format.channels} channel(s) at ${this.pcm.format.sampleRate} Hz`;
      throw new BadInputError(
        'audio',
        `${AUDIO_KIND_NAMES[this.kindFound as AudioKind]} audio that changes from ${before} to ${channels} at ${decoded.sampleRate} Hz`,
        'one sample rate and channel count for the whole stream',
      );
    }
    this.decodedFrames += frames;
    const samples = Buffer.allocUnsafe(frames * channels * 4);
    const view = new Float32Array(samples.buffer, samples.byteOffset, frames * channels);
    for (let c = 0; c < channels; c++) {
      const plane = decoded.channelData[c];
      for (let f = 0, at = c; f < frames; f++, at += channels) view[at] = plane[f];
    }
    const converted = this.pcm.push(samples);
    return header ? Buffer.concat([header, converted]) : converted;
  }
}

/** Interleaved 32-bit float samples, as the converter reads them. */
function floatFormat(sampleRate: number, channels: number): WavFormat {
  return { audioFormat: 'float', formatTag: 3, sampleRate, channels, bitsPerSample: 32, bytesPerSample: 4, blockAlign: 4 * channels };
}

export interface DecodedPcm {
  kind: AudioKind;
  /** 16-bit little-endian mono PCM at the target rate, no header (empty past `maxSeconds`). */
  pcm: Buffer;
  /** Seconds of audio in the input. */
  durationSeconds: number;
  sampleRate: number;
  channels: number;
  /** What was decoded but looks wrong (see AudioStreamConverter's warnings); empty when all is well. */
  warnings: string[];
}

/**
 * A whole file of any accepted kind to 16-bit mono PCM at `targetRate`. With `maxSeconds`, audio
 * past that length is counted but not kept, so a long file costs the decoder's window, not its length.
 */
export async function decodeToPcm16(buffer: Buffer, targetRate: number, options: { maxSeconds?: number } = {}): Promise<DecodedPcm> {
  const converter = new AudioStreamConverter({ targetRate });
  const keepBytes = options.maxSeconds === undefined ? Infinity : Math.ceil(options.maxSeconds * targetRate) * 2 + 2;
  const pieces: Buffer[] = [];
  let kept = 0;
  let skipHeader = 44;
  const take = (bytes: Buffer) => {
    if (skipHeader > 0) {
      const cut = Math.min(skipHeader, bytes.length);
      skipHeader -= cut;
      bytes = bytes.subarray(cut);
    }
    if (kept >= keepBytes || bytes.length === 0) return;
    const piece = bytes.subarray(0, keepBytes - kept);
    pieces.push(piece);
    kept += piece.length;
  };
  for (let offset = 0; offset < buffer.length; offset += DECODE_PIECE)
    take(await converter.push(buffer.subarray(offset, offset + DECODE_PIECE)));
  take(await converter.end());
  const info = converter.info as AudioStreamInfo;
  // A WAV's own header says how long it is, trailing chunks aside.
  const durationSeconds = info.kind === 'wav' ? readWavInfo(buffer).durationSeconds : info.durationSeconds;
  const { kind, sampleRate, channels } = info;
  return { kind, pcm: Buffer.concat(pieces, kept), durationSeconds, sampleRate, channels, warnings: [...converter.warnings] };
}
