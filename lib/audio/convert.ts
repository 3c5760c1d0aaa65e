import { BadInputError, describeValue } from '../errors';
import { BLOCK_SAMPLES, Resampler } from './resampler';
import { type FrameDecoder, frameDecoder, writeInt16 } from './samples';
import { type WavFormat, readWavInfo, wavHeader } from './wav';

export const HARF_SAMPLE_RATE = 16000;

export function checkRate(rate: unknown, field: string): number {
  if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 1000 || rate > 384000) {
    throw new BadInputError(field, describeValue(rate), 'a whole number of samples per second between 1000 and 384000');
  }
  return rate;
}

/**
 * Turns a WAV file's sample bytes, in pieces of any size, into 16-bit mono PCM at the target rate:
 * channels averaged, sample formats converted, rate changed by the anti-aliasing resampler.
 * 16-bit mono PCM already at the target rate passes through byte for byte.
 *
 * Input is taken in blocks of at most BLOCK_SAMPLES frames, so memory stays the same whatever
 * the size of a piece; `pushInto` writes straight into a caller's buffer (one allocation for a
 * whole file), `push` into a buffer of exactly the right size.
 */
export class PcmConverter {
  readonly format: WavFormat;
  readonly targetRate: number;
  private readonly passThrough: boolean;
  private readonly decode: FrameDecoder;
  private readonly resampler: Resampler;
  /** Bytes of a frame split across two pieces: `partialLength` of them in `partial`. */
  private readonly partial: Buffer;
  private partialLength = 0;
  /** Samples between decoding and 16-bit output when the rate stays the same. */
  private readonly scratch: Float64Array;
  private framesIn = 0;
  /** Bytes of PCM emitted so far. */
  outputBytes = 0;
  inputBytes = 0;

  constructor(format: WavFormat, targetRate: number) {
    this.format = format;
    this.targetRate = targetRate;
    this.passThrough =
      format.audioFormat === 'pcm' && format.bytesPerSample === 2 && format.channels === 1 && format.sampleRate === targetRate;
    this.decode = frameDecoder(format);
    this.resampler = new Resampler(format.sampleRate, targetRate);
    this.partial = Buffer.alloc(format.blockAlign);
    this.scratch = new Float64Array(this.resampler.bypass && !this.passThrough ? BLOCK_SAMPLES : 0);
  }

  /** Bytes `push` returns for the next `byteCount` input bytes. */
  pushLength(byteCount: number): number {
    const frames = Math.floor((this.partialLength + byteCount) / this.format.blockAlign);
    if (this.passThrough || this.resampler.bypass) return frames * 2;
    return this.resampler.ready(this.framesIn + frames) * 2;
  }

  /** Bytes of PCM that `frames` input frames give in all, end included. */
  totalLength(frames: number): number {
    return (this.passThrough || this.resampler.bypass ? frames : this.resampler.outputLength(frames)) * 2;
  }

  /** Converts the next bytes into a buffer of exactly `pushLength` bytes, from `allocate` when given. */
  push(bytes: Buffer, allocate: (size: number) => Buffer = Buffer.allocUnsafe): Buffer {
    const out = allocate(this.pushLength(bytes.length));
    this.pushInto(bytes, out, 0);
    return out;
  }

  /** Converts the next bytes into `out` from byte `at`; returns the bytes written (`pushLength`). */
  pushInto(bytes: Buffer, out: Buffer, at: number): number {
    this.inputBytes += bytes.length;
    const { blockAlign } = this.format;
    const start = at;
    let offset = 0;
    if (this.partialLength > 0) {
      offset = Math.min(blockAlign - this.partialLength, bytes.length);
      bytes.copy(this.partial, this.partialLength, 0, offset);
      this.partialLength += offset;
      if (this.partialLength < blockAlign) return 0;
      this.partialLength = 0;
      at = this.convert(this.partial, 0, 1, out, at);
    }
    const frames = Math.floor((bytes.length - offset) / blockAlign);
    at = this.convert(bytes, offset, frames, out, at);
    offset += frames * blockAlign;
    this.partialLength = bytes.copy(this.partial, 0, offset);
    this.outputBytes += at - start;
    return at - start;
  }

  /** Bytes `end` returns. */
  endLength(): number {
    if (this.passThrough || this.resampler.bypass) return 0;
    return this.totalLength(this.framesIn) - this.outputBytes;
  }

  /** Ends the input: returns the last samples (an incomplete trailing frame is dropped). */
  end(): Buffer {
    const out = Buffer.allocUnsafe(this.endLength());
    this.endInto(out, 0);
    return out;
  }

  /** Ends the input, writing the last samples into `out` from byte `at`; returns the bytes written. */
  endInto(out: Buffer, at: number): number {
    this.partialLength = 0;
    if (this.passThrough || this.resampler.bypass) return 0;
    this.resampler.finish();
    const written = this.drain(out, at) - at;
    this.outputBytes += written;
    return written;
  }

  /** Converts whole frames; returns where the output now ends. */
  private convert(bytes: Buffer, offset: number, frames: number, out: Buffer, at: number): number {
    this.framesIn += frames;
    const { blockAlign } = this.format;
    if (this.passThrough) return at + bytes.copy(out, at, offset, offset + frames * 2);
    const { resampler, scratch, decode } = this;
    while (frames > 0) {
      if (resampler.bypass) {
        // Same rate: only the sample format and the channels change.
        const take = Math.min(frames, scratch.length);
        decode(bytes, offset, take, scratch, 0);
        writeInt16(scratch, take, out, at);
        at += take * 2;
        offset += take * blockAlign;
        frames -= take;
        continue;
      }
      const take = Math.min(frames, resampler.room());
      decode(bytes, offset, take, resampler.history, resampler.inputOffset);
      resampler.commit(take);
      offset += take * blockAlign;
      frames -= take;
      at = this.drain(out, at);
    }
    return at;
  }

  /** Renders every output ready to 16-bit PCM; returns where the output now ends. */
  private drain(out: Buffer, at: number): number {
    const ready = this.resampler.ready();
    this.resampler.renderPcm16(ready, out, at);
    return at + ready * 2;
  }
}

/** Converts a whole file through one PcmConverter into a single buffer: `headerRoom` bytes, then the PCM. */
function convertWhole(buffer: Buffer, targetRate: number, headerRoom: number): { out: Buffer; pcmLength: number } {
  const info = readWavInfo(buffer);
  const converter = new PcmConverter(info, targetRate);
  const frames = info.dataLength / info.blockAlign;
  const out = Buffer.allocUnsafe(headerRoom + converter.totalLength(frames));
  let at = headerRoom;
  at += converter.pushInto(buffer.subarray(info.dataOffset, info.dataOffset + info.dataLength), out, at);
  at += converter.endInto(out, at);
  if (at !== out.length) throw new Error(`Converted ${at - headerRoom} bytes of PCM, ${out.length - headerRoom} expected`);
  return { out, pcmLength: at - headerRoom };
}

/**
 * Any readable WAV to what Harf needs: a 16 kHz mono 16-bit PCM WAV with a canonical 44-byte header.
 * Audio already in that format keeps its samples byte for byte (only the header is rewritten).
 */
export function toHarfWav(buffer: Buffer): Buffer {
  const { out, pcmLength } = convertWhole(buffer, HARF_SAMPLE_RATE, 44);
  wavHeader(HARF_SAMPLE_RATE, 1, pcmLength).copy(out, 0);
  return out;
}

/** Any readable WAV to raw 16-bit little-endian mono PCM at `sampleRate` (no header), with its duration. */
export function toPcm16Mono(buffer: Buffer, sampleRate: number): { pcm: Buffer; durationSeconds: number } {
  checkRate(sampleRate, 'sampleRate');
  const { out } = convertWhole(buffer, sampleRate, 0);
  return { pcm: out, durationSeconds: out.length / 2 / sampleRate };
}
