import { BadInputError } from '../errors';
import { HARF_SAMPLE_RATE, PcmConverter, checkRate } from './convert';
import { EXPECTED_AUDIO, type WavFormat, type WavInfo, checkRiffHeader, describeNonWav, parseFmt, wavHeader } from './wav';

export interface WavStreamConverterOptions {
  /** Output sample rate. Default 16000 (Harf). */
  targetRate?: number;
}

type State = 'riff' | 'chunkHeader' | 'chunkBody' | 'skip' | 'data' | 'after';

const UNKNOWN_SIZE = 0xffffffff;
/** A fmt or ds64 chunk is a few dozen bytes; anything this large is not one. */
const MAX_HEADER_CHUNK = 65536;

/**
 * Converts a WAV stream to 16-bit mono PCM WAV at the target rate as its bytes arrive, in chunks
 * of any size (a chunk may end inside the header or inside a sample). The output starts with a
 * streaming WAV header (sizes 0xFFFFFFFF) followed by the converted samples; together the outputs
 * are exactly what converting the whole file at once gives. Memory stays constant: chunks before
 * the data are skipped, not kept. Input already 16-bit mono at the target rate passes through.
 */
export class WavStreamConverter {
  readonly targetRate: number;
  private state: State = 'riff';
  /** Bytes of the header piece being collected (RIFF header, chunk header, fmt/ds64 body). */
  private pending: Buffer = Buffer.alloc(0);
  private need = 12;
  private chunkId = '';
  private chunkSize = 0;
  private skipRemaining = 0;
  private dataRemaining = Infinity;
  private consumed = 0;
  private format?: WavFormat;
  private ds64DataSize?: number;
  private converter?: PcmConverter;
  private dataOffset = 0;
  private declaredDataLength?: number;
  private ended = false;

  constructor(options: WavStreamConverterOptions = {}) {
    this.targetRate = checkRate(options.targetRate ?? HARF_SAMPLE_RATE, 'targetRate');
  }

  /** What the input's header says, once it has been read (undefined before the data starts). */
  get info(): WavInfo | undefined {
    if (!this.format || !this.converter) return undefined;
    const seen = this.converter.inputBytes - (this.converter.inputBytes % this.format.blockAlign);
    const length = this.declaredDataLength ?? seen;
    return {
      ...this.format,
      dataOffset: this.dataOffset,
      dataLength: length,
      durationSeconds: Math.floor(length / this.format.blockAlign) / this.format.sampleRate,
      streaming: this.declaredDataLength === undefined,
    };
  }

  /** Takes the next bytes of the WAV stream; returns the output bytes now ready (maybe none). */
  push(chunk: Buffer): Buffer {
    if (this.ended) throw new BadInputError('chunk', 'a chunk after end()', 'no more chunks once the stream has ended');
    if (!Buffer.isBuffer(chunk)) throw new BadInputError('chunk', typeof chunk, 'a Buffer of WAV bytes');
    const out: Buffer[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      switch (this.state) {
        case 'data': {
          const take = Math.min(chunk.length - offset, this.dataRemaining);
          out.push((this.converter as PcmConverter).push(chunk.subarray(offset, offset + take)));
          offset += take;
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
          const take = Math.min(chunk.length - offset, this.need - this.pending.length);
          this.pending = Buffer.concat([this.pending, chunk.subarray(offset, offset + take)]);
          offset += take;
          if (this.pending.length === this.need) {
            const header = this.onHeaderPiece(this.pending, this.consumed + offset);
            if (header) out.push(header);
          }
        }
      }
    }
    this.consumed += chunk.length;
    return out.length === 1 ? out[0] : Buffer.concat(out);
  }

  /** Ends the stream: returns the last converted samples. Throws if the stream never reached its samples. */
  end(): Buffer {
    if (this.ended) return Buffer.alloc(0);
    this.ended = true;
    if (!this.converter) {
      if (this.state === 'riff') throw new BadInputError('audio', describeNonWav(this.pending), EXPECTED_AUDIO);
      throw new BadInputError(
        'audio',
        `a WAV stream that ended after ${this.consumed} bytes, before its ${this.format ? 'data' : 'fmt'} chunk`,
        EXPECTED_AUDIO,
      );
    }
    return this.converter.end();
  }

  private expectChunkHeader(): void {
    this.state = 'chunkHeader';
    this.need = 8;
    this.pending = Buffer.alloc(0);
  }

  /** Handles a complete header piece; returns the output WAV header when the samples begin. */
  private onHeaderPiece(piece: Buffer, position: number): Buffer | undefined {
    if (this.state === 'riff') {
      checkRiffHeader(piece);
      this.expectChunkHeader();
      return undefined;
    }
    if (this.state === 'chunkHeader') {
      this.chunkId = piece.toString('latin1', 0, 4);
      this.chunkSize = piece.readUInt32LE(4);
      this.pending = Buffer.alloc(0);
      if (this.chunkId === 'data') return this.startData(position);
      if (this.chunkId === 'fmt ' || this.chunkId === 'ds64') {
        if (this.chunkSize > MAX_HEADER_CHUNK) {
          throw new BadInputError('audio', `a WAV file whose ${this.chunkId.trim()} chunk claims ${this.chunkSize} bytes`, EXPECTED_AUDIO);
        }
        this.state = 'chunkBody';
        this.need = this.chunkSize + (this.chunkSize & 1);
        if (this.need === 0) return this.onHeaderPiece(this.pending, position);
        return undefined;
      }
      this.state = 'skip';
      this.skipRemaining = this.chunkSize + (this.chunkSize & 1);
      if (this.skipRemaining === 0) this.expectChunkHeader();
      return undefined;
    }
    // chunkBody
    const body = piece.subarray(0, this.chunkSize);
    if (this.chunkId === 'fmt ') this.format = parseFmt(body);
    else if (body.length >= 16) this.ds64DataSize = Number(body.readBigUInt64LE(8));
    this.expectChunkHeader();
    return undefined;
  }

  /** `position`: where the samples start in the stream. */
  private startData(position: number): Buffer {
    if (!this.format) {
      throw new BadInputError('audio', 'a WAV stream whose data chunk comes before its fmt chunk', EXPECTED_AUDIO);
    }
    this.dataOffset = position;
    const size = this.chunkSize;
    if (size === UNKNOWN_SIZE && this.ds64DataSize !== undefined) this.declaredDataLength = this.ds64DataSize;
    else if (size !== 0 && size !== UNKNOWN_SIZE) this.declaredDataLength = size;
    this.dataRemaining = this.declaredDataLength ?? Infinity;
    this.converter = new PcmConverter(this.format, this.targetRate);
    this.state = this.dataRemaining === 0 ? 'after' : 'data';
    this.pending = Buffer.alloc(0);
    return wavHeader(this.targetRate, 1);
  }
}
