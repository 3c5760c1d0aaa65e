import { BadInputError, describeValue, redact } from '../errors';

export type AudioFormat = 'pcm' | 'float' | 'mulaw' | 'alaw';

/** What a WAV header says about its samples. */
export interface WavFormat {
  audioFormat: AudioFormat;
  /** The fmt chunk's format tag: 1 PCM, 3 float, 6 A-law, 7 µ-law, 0xFFFE extensible. */
  formatTag: number;
  sampleRate: number;
  channels: number;
  /** Bits per sample as stored (the container size for WAVE_FORMAT_EXTENSIBLE). */
  bitsPerSample: number;
  /** Bytes one sample of one channel takes. */
  bytesPerSample: number;
  /** Bytes one frame (one sample of every channel) takes. */
  blockAlign: number;
}

export interface WavInfo extends WavFormat {
  /** Offset of the first sample byte. */
  dataOffset: number;
  /** Bytes of whole frames of sample data (trailing chunks and a partial last frame excluded). */
  dataLength: number;
  durationSeconds: number;
  /** True when the header did not state the data size (0 or 0xFFFFFFFF): the data runs to the end. */
  streaming: boolean;
}

export const EXPECTED_AUDIO =
  'a WAV file (RIFF/WAVE) with PCM (8, 16, 24 or 32-bit), IEEE float (32 or 64-bit) or G.711 µ-law/A-law samples';

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;
// KSDATAFORMAT_SUBTYPE_* GUIDs share these 12 bytes after their leading 32-bit format code.
const SUBFORMAT_TAIL = Buffer.from([0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]);
const UNKNOWN_SIZE = 0xffffffff;
/** The sample rates audio can have here; outside them a header is lying (or the file is not audio). */
export const MIN_SAMPLE_RATE = 1000;
export const MAX_SAMPLE_RATE = 384000;
/** A fmt or ds64 chunk is a few dozen bytes; anything this large is not one. */
const MAX_HEADER_CHUNK = 65536;

const KNOWN_FORMAT_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG audio',
  0x0055: 'MPEG Layer 3 (MP3)',
  0x00ff: 'AAC',
  0x1610: 'AAC (HEAAC)',
  0x2000: 'Dolby AC-3',
  0x6750: 'Vorbis',
  0x704f: 'Opus',
  0xf1ac: 'FLAC',
};

function refuse(found: string): BadInputError {
  return new BadInputError('audio', found, EXPECTED_AUDIO);
}

function hex(bytes: Buffer): string {
  return [...bytes].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

function ascii(buffer: Buffer, start: number, end: number): string {
  return buffer.toString('latin1', start, Math.min(end, buffer.length));
}

/** Says what a buffer that is not a WAV file is, from its first bytes. */
export function describeNonWav(head: Buffer): string {
  if (!Buffer.isBuffer(head)) return describeValue(head);
  if (head.length === 0) return 'an empty buffer (0 bytes)';
  const magic4 = ascii(head, 0, 4);
  if (magic4 === 'RIFF' || magic4 === 'RF64' || magic4 === 'BW64') {
    if (head.length < 12) return `only ${head.length} bytes (too short for a WAV header)`;
    const type = ascii(head, 8, 12);
    if (type !== 'WAVE') return `a RIFF file of type "${type.replace(/[^\x20-\x7e]/g, '?')}", not WAVE`;
  }
  if (ascii(head, 0, 3) === 'ID3') return 'an MP3 file (starts with an ID3 tag)';
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0) {
    // Layer bits 00 mean AAC in an ADTS stream, otherwise MPEG audio.
    return (head[1] & 0x06) === 0
      ? `an AAC (ADTS) file (starts with frame sync ${hex(head.subarray(0, 2))})`
      : `an MP3 file (starts with MPEG frame sync ${hex(head.subarray(0, 2))})`;
  }
  if (magic4 === 'OggS') {
    const page = ascii(head, 0, 128);
    const codec = page.includes('OpusHead') ? 'Opus ' : page.includes('vorbis') ? 'Vorbis ' : '';
    return `an OGG ${codec}file (starts with OggS)`;
  }
  if (magic4 === 'fLaC') return 'a FLAC file (starts with fLaC)';
  if (ascii(head, 4, 8) === 'ftyp') {
    const brand = ascii(head, 8, 12).trim();
    const kind = brand.startsWith('3g') ? 'a 3GP' : brand === 'qt' ? 'a QuickTime' : 'an MP4/M4A';
    return `${kind} file (ftyp brand ${brand || 'unknown'})`;
  }
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return 'a WebM/Matroska file (starts with EBML header 1A 45 DF A3)';
  if (magic4 === 'FORM') return `an AIFF file (starts with FORM, type ${ascii(head, 8, 12)})`;
  if (ascii(head, 0, 5) === '#!AMR') return 'an AMR file (starts with #!AMR)';
  if (magic4 === '.snd') return 'an AU file (starts with .snd)';
  const text = head.subarray(0, 64).toString('utf8');
  // eslint-disable-next-line no-control-regex
  if (!text.includes('\uFFFD') && !/[\x00-\x08\x0e-\x1f]/.test(text)) {
    const preview = text.replace(/\s+/g, ' ').trim();
    return `text ("${redact(preview.length > 40 ? `${preview.slice(0, 40)}…` : preview)}")`;
  }
  return `unknown data (starts with bytes ${hex(head.subarray(0, 8))})`;
}

/** Reads a fmt chunk's body; refuses sample formats that cannot be converted. */
export function parseFmt(body: Buffer): WavFormat {
  if (body.length < 16) throw refuse(`a WAV file whose fmt chunk has only ${body.length} bytes (16 or more expected)`);
  const formatTag = body.readUInt16LE(0);
  const channels = body.readUInt16LE(2);
  const sampleRate = body.readUInt32LE(4);
  const declaredBlockAlign = body.readUInt16LE(12);
  const bitsPerSample = body.readUInt16LE(14);
  let code = formatTag;
  if (formatTag === FORMAT_EXTENSIBLE) {
    if (body.length < 40) throw refuse(`a WAVE_FORMAT_EXTENSIBLE file whose fmt chunk has only ${body.length} bytes (40 expected)`);
    code = body.readUInt32LE(24);
    if (!body.subarray(28, 40).equals(SUBFORMAT_TAIL)) {
      throw refuse(`a WAVE_FORMAT_EXTENSIBLE file with an unknown sub-format GUID (${hex(body.subarray(24, 40))})`);
    }
  }
  let audioFormat: AudioFormat;
  if (code === FORMAT_PCM) audioFormat = 'pcm';
  else if (code === FORMAT_FLOAT) audioFormat = 'float';
  else if (code === FORMAT_MULAW) audioFormat = 'mulaw';
  else if (code === FORMAT_ALAW) audioFormat = 'alaw';
  else {
    const name = KNOWN_FORMAT_NAMES[code];
    throw refuse(
      `a WAV file with ${name ? `${name} samples` : 'an unsupported sample format'} (format code 0x${code.toString(16).padStart(4, '0')})`,
    );
  }
  if (channels < 1) throw refuse('a WAV file with 0 channels');
  // Checked before anything is sized from it: a header can claim any rate, and the work of a
  // conversion grows with the ratio of the rates.
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw new BadInputError(
      'audio',
      `a WAV file whose header claims a sample rate of ${sampleRate} Hz`,
      `a sample rate from ${MIN_SAMPLE_RATE} Hz to ${MAX_SAMPLE_RATE} Hz (1 kHz to 384 kHz)`,
    );
  }
  const validBits =
    (audioFormat === 'pcm' && bitsPerSample >= 1 && bitsPerSample <= 32) ||
    (audioFormat === 'float' && (bitsPerSample === 32 || bitsPerSample === 64)) ||
    ((audioFormat === 'mulaw' || audioFormat === 'alaw') && bitsPerSample === 8);
  if (!validBits)
    throw refuse(`a ${audioFormat === 'float' ? 'float' : audioFormat.toUpperCase()} WAV file with ${bitsPerSample} bits per sample`);
  let bytesPerSample = Math.ceil(bitsPerSample / 8);
  // Some writers store e.g. 24-bit samples in 4-byte slots and say so only in blockAlign.
  if (
    audioFormat === 'pcm' &&
    declaredBlockAlign % channels === 0 &&
    declaredBlockAlign / channels > bytesPerSample &&
    declaredBlockAlign / channels <= 4
  ) {
    bytesPerSample = declaredBlockAlign / channels;
  }
  return {
    audioFormat,
    formatTag,
    sampleRate,
    channels,
    bitsPerSample,
    bytesPerSample,
    blockAlign: bytesPerSample * channels,
  };
}

/** The first 12 bytes: RIFF (or RF64/BW64) and WAVE, else a BadInputError saying what it is (from them and `more`). */
export function checkRiffHeader(head: Buffer, more?: Buffer): void {
  const magic = ascii(head, 0, 4);
  if (head.length < 12 || (magic !== 'RIFF' && magic !== 'RF64' && magic !== 'BW64') || ascii(head, 8, 12) !== 'WAVE') {
    throw refuse(describeNonWav(more && more.length > 0 ? Buffer.concat([head, more]) : head));
  }
}

type ReaderState = 'riff' | 'chunkHeader' | 'chunkBody' | 'skip' | 'data' | 'after';

/**
 * The one WAV reader, for whole files and streams alike (a whole file is a stream of one piece):
 * takes the file's bytes in pieces of any size and hands out the sample bytes of its data chunk.
 * Chunks before the data (LIST, fact, …) are skipped by count, never kept; odd-sized chunks are
 * padded; a data size of 0 or 0xFFFFFFFF (a streamed WAV) means the data runs to the end, and RF64
 * gives it in its ds64 chunk. A size in a header is never trusted past the bytes that arrive.
 * The fmt chunk must come before the data (a stream cannot go back for it). Anything else
 * throws BadInputError('audio', what it is, what is expected).
 */
export class WavReader {
  private state: ReaderState = 'riff';
  /** The header piece being collected (RIFF header, chunk header, fmt/ds64 body): `filled` of `need` bytes. */
  private piece = Buffer.alloc(12);
  private need = 12;
  private filled = 0;
  private chunkId = '';
  private chunkSize = 0;
  private skipRemaining = 0;
  private dataRemaining = Infinity;
  private ds64DataSize?: number;
  /** Bytes taken so far. */
  consumed = 0;
  /** The sample format, once the fmt chunk has been read. */
  format?: WavFormat;
  /** Where the samples start in the file, once the data chunk has begun. */
  dataOffset?: number;
  /** The data size the header states; undefined when it runs to the end. */
  declaredDataLength?: number;
  /** Sample bytes handed out so far. */
  dataBytes = 0;

  /**
   * Takes the next bytes; calls `onData` with each run of sample bytes (views into `chunk`, not
   * copies), after `onStart` once when the data chunk begins.
   */
  push(chunk: Buffer, onData: (samples: Buffer) => void, onStart?: () => void): void {
    let offset = 0;
    while (offset < chunk.length) {
      switch (this.state) {
        case 'data': {
          const take = Math.min(chunk.length - offset, this.dataRemaining);
          onData(chunk.subarray(offset, offset + take));
          offset += take;
          this.dataBytes += take;
          this.dataRemaining -= take;
          if (this.dataRemaining === 0) this.state = 'after';
          break;
        }
        case 'after':
          // Chunks after the data (LIST, id3…) carry no samples.
          offset = chunk.length;
          break;
        case 'skip': {
          const take = Math.min(chunk.length - offset, this.skipRemaining);
          offset += take;
          this.skipRemaining -= take;
          if (this.skipRemaining === 0) this.expectChunkHeader();
          break;
        }
        default: {
          const take = Math.min(chunk.length - offset, this.need - this.filled);
          chunk.copy(this.piece, this.filled, offset, offset + take);
          this.filled += take;
          offset += take;
          if (this.filled < this.need) break;
          // What a file that is not WAV is shows in its first bytes: look at as many as there are.
          if (this.state === 'riff') checkRiffHeader(this.piece, chunk.subarray(offset, offset + 116));
          if (this.onHeaderPiece(this.consumed + offset)) onStart?.();
        }
      }
    }
    this.consumed += chunk.length;
  }

  /** Whether the samples have begun. */
  get started(): boolean {
    return this.dataOffset !== undefined;
  }

  /** Ends the input; throws, saying what arrived, when it never reached the samples. */
  end(): void {
    if (this.started) return;
    if (this.state === 'riff') throw refuse(describeNonWav(this.piece.subarray(0, this.filled)));
    if (!this.format) {
      throw refuse(`a WAV file that ended after ${this.consumed} bytes, before its fmt chunk (truncated?)`);
    }
    throw refuse(`a WAV file that ended after ${this.consumed} bytes, before its data chunk (truncated?)`);
  }

  private expectChunkHeader(): void {
    this.state = 'chunkHeader';
    this.need = 8;
    this.filled = 0;
  }

  /** Handles a complete header piece; returns true when the samples begin. */
  private onHeaderPiece(position: number): boolean {
    const piece = this.piece.subarray(0, this.need);
    if (this.state === 'riff') {
      this.piece = Buffer.alloc(8);
      this.expectChunkHeader();
      return false;
    }
    if (this.state === 'chunkHeader') {
      this.chunkId = piece.toString('latin1', 0, 4);
      this.chunkSize = piece.readUInt32LE(4);
      if (this.chunkId === 'data') return this.startData(position);
      if (this.chunkId === 'fmt ' || this.chunkId === 'ds64') {
        if (this.chunkSize > MAX_HEADER_CHUNK) {
          throw refuse(`a WAV file whose ${this.chunkId.trim()} chunk claims ${this.chunkSize} bytes (a few dozen expected)`);
        }
        this.state = 'chunkBody';
        this.need = this.chunkSize + (this.chunkSize & 1);
        this.filled = 0;
        if (this.piece.length < this.need) this.piece = Buffer.alloc(this.need);
        if (this.need === 0) return this.onHeaderPiece(position);
        return false;
      }
      this.state = 'skip';
      this.skipRemaining = this.chunkSize + (this.chunkSize & 1);
      if (this.skipRemaining === 0) this.expectChunkHeader();
      return false;
    }
    // chunkBody
    const body = piece.subarray(0, this.chunkSize);
    if (this.chunkId === 'fmt ') this.format = parseFmt(body);
    else {
      if (body.length < 16) throw refuse(`an RF64 file whose ds64 chunk has only ${body.length} bytes (28 expected)`);
      this.ds64DataSize = Number(body.readBigUInt64LE(8));
    }
    this.expectChunkHeader();
    return false;
  }

  /** `position`: where the samples start in the file. */
  private startData(position: number): boolean {
    if (!this.format) throw refuse('a WAV file whose data chunk comes before its fmt chunk');
    this.dataOffset = position;
    const size = this.chunkSize;
    if (size === UNKNOWN_SIZE && this.ds64DataSize !== undefined) this.declaredDataLength = this.ds64DataSize;
    else if (size !== 0 && size !== UNKNOWN_SIZE) this.declaredDataLength = size;
    this.dataRemaining = this.declaredDataLength ?? Infinity;
    this.state = this.dataRemaining === 0 ? 'after' : 'data';
    return true;
  }
}

/**
 * Reads a whole WAV file's header: sample format, where the samples are and how long they last,
 * through the same reader as a stream (one piece). The data length is what the file holds, never
 * more than its bytes, in whole frames.
 */
export function readWavInfo(buffer: Buffer): WavInfo {
  if (!Buffer.isBuffer(buffer)) throw refuse(describeValue(buffer));
  const reader = new WavReader();
  reader.push(buffer, () => undefined);
  reader.end();
  const format = reader.format as WavFormat;
  const frames = Math.floor(reader.dataBytes / format.blockAlign);
  return {
    ...format,
    dataOffset: reader.dataOffset as number,
    dataLength: frames * format.blockAlign,
    durationSeconds: frames / format.sampleRate,
    streaming: reader.declaredDataLength === undefined,
  };
}

/** Whether Harf takes these samples as they are: 16 kHz, mono, 16-bit PCM. */
export function isHarfFormat(info: Pick<WavFormat, 'audioFormat' | 'sampleRate' | 'channels' | 'bitsPerSample'>): boolean {
  return info.audioFormat === 'pcm' && info.sampleRate === 16000 && info.channels === 1 && info.bitsPerSample === 16;
}

/**
 * A canonical 44-byte header for 16-bit PCM. Without `dataLength` it is a streaming header:
 * RIFF and data sizes 0xFFFFFFFF, meaning "until the end".
 */
export function wavHeader(sampleRate: number, channels = 1, dataLength?: number): Buffer {
  const header = Buffer.alloc(44);
  const blockAlign = channels * 2;
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(dataLength === undefined ? UNKNOWN_SIZE : Math.min(36 + dataLength, UNKNOWN_SIZE), 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(FORMAT_PCM, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(dataLength === undefined ? UNKNOWN_SIZE : Math.min(dataLength, UNKNOWN_SIZE), 40);
  return header;
}
