import { BadInputError, describeValue } from '../errors';
import { Resampler } from './resampler';
import { decodeMono, sampleReader, toInt16 } from './samples';
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
 */
export class PcmConverter {
  readonly format: WavFormat;
  readonly targetRate: number;
  private readonly passThrough: boolean;
  private readonly read: ReturnType<typeof sampleReader>;
  private readonly resampler?: Resampler;
  /** Bytes of a frame split across two pieces. */
  private partial = Buffer.alloc(0);
  private decoded = new Float64Array(0);
  /** Bytes of PCM emitted so far. */
  outputBytes = 0;
  inputBytes = 0;

  constructor(format: WavFormat, targetRate: number) {
    this.format = format;
    this.targetRate = targetRate;
    this.passThrough =
      format.audioFormat === 'pcm' && format.bytesPerSample === 2 && format.channels === 1 && format.sampleRate === targetRate;
    this.read = sampleReader(format);
    if (!this.passThrough) this.resampler = new Resampler(format.sampleRate, targetRate);
  }

  push(bytes: Buffer): Buffer {
    this.inputBytes += bytes.length;
    const { blockAlign } = this.format;
    let source = bytes;
    if (this.partial.length > 0) source = Buffer.concat([this.partial, bytes]);
    const frames = Math.floor(source.length / blockAlign);
    const whole = frames * blockAlign;
    this.partial = Buffer.from(source.subarray(whole));
    if (frames === 0) return Buffer.alloc(0);
    if (this.passThrough) return this.emit(Buffer.from(source.subarray(0, whole)));
    if (this.decoded.length < frames) this.decoded = new Float64Array(frames);
    decodeMono(this.read, this.format, source, 0, frames, this.decoded, 0);
    const out = (this.resampler as Resampler).process(this.decoded, frames);
    return this.emit(toInt16(out));
  }

  /** Ends the input: returns the last samples (an incomplete trailing frame is dropped). */
  end(): Buffer {
    this.partial = Buffer.alloc(0);
    if (this.passThrough) return Buffer.alloc(0);
    return this.emit(toInt16((this.resampler as Resampler).flush()));
  }

  private emit(pcm: Buffer): Buffer {
    this.outputBytes += pcm.length;
    return pcm;
  }
}

function convertWhole(buffer: Buffer, targetRate: number): Buffer {
  const info = readWavInfo(buffer);
  const converter = new PcmConverter(info, targetRate);
  const head = converter.push(buffer.subarray(info.dataOffset, info.dataOffset + info.dataLength));
  return Buffer.concat([head, converter.end()]);
}

/**
 * Any readable WAV to what Harf needs: a 16 kHz mono 16-bit PCM WAV with a canonical 44-byte header.
 * Audio already in that format keeps its samples byte for byte (only the header is rewritten).
 */
export function toHarfWav(buffer: Buffer): Buffer {
  const pcm = convertWhole(buffer, HARF_SAMPLE_RATE);
  return Buffer.concat([wavHeader(HARF_SAMPLE_RATE, 1, pcm.length), pcm]);
}

/** Any readable WAV to raw 16-bit little-endian mono PCM at `sampleRate` (no header), with its duration. */
export function toPcm16Mono(buffer: Buffer, sampleRate: number): { pcm: Buffer; durationSeconds: number } {
  checkRate(sampleRate, 'sampleRate');
  const pcm = convertWhole(buffer, sampleRate);
  return { pcm, durationSeconds: pcm.length / 2 / sampleRate };
}
