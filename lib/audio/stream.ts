import { BadInputError, describeValue } from '../errors';
import { HARF_SAMPLE_RATE, PcmConverter, checkRate } from './convert';
import { type WavFormat, type WavInfo, WavReader, wavHeader } from './wav';

export interface WavStreamConverterOptions {
  /** Output sample rate. Default 16000 (Harf). */
  targetRate?: number;
}

/**
 * Converts a WAV stream to 16-bit mono PCM WAV at the target rate as its bytes arrive, in chunks
 * of any size (a chunk may end inside the header or inside a sample). The output starts with a
 * streaming WAV header (sizes 0xFFFFFFFF) followed by the converted samples; together the outputs
 * are exactly what converting the whole file at once gives (both read it with WavReader). Memory
 * stays constant: chunks before the data are skipped, not kept. Input already 16-bit mono at the
 * target rate passes through.
 */
export class WavStreamConverter {
  readonly targetRate: number;
  private readonly reader = new WavReader();
  private converter?: PcmConverter;
  private ended = false;

  constructor(options: WavStreamConverterOptions = {}) {
    this.targetRate = checkRate(options.targetRate ?? HARF_SAMPLE_RATE, 'targetRate');
  }

  /** What the input's header says, once it has been read (undefined before the data starts). */
  get info(): WavInfo | undefined {
    const { format, dataOffset, declaredDataLength } = this.reader;
    if (!format || dataOffset === undefined) return undefined;
    const seen = this.reader.dataBytes - (this.reader.dataBytes % format.blockAlign);
    const length = declaredDataLength ?? seen;
    return {
      ...format,
      dataOffset,
      dataLength: length,
      durationSeconds: Math.floor(length / format.blockAlign) / format.sampleRate,
      streaming: declaredDataLength === undefined,
    };
  }

  /** Takes the next bytes of the WAV stream; returns the output bytes now ready (maybe none), converted into what `allocate` gives. */
  push(chunk: Buffer, allocate?: (size: number) => Buffer): Buffer {
    if (this.ended) throw new BadInputError('chunk', 'a chunk after end()', 'no more chunks once the stream has ended');
    if (!Buffer.isBuffer(chunk)) throw new BadInputError('chunk', describeValue(chunk), 'a Buffer of WAV bytes');
    const out: Buffer[] = [];
    this.reader.push(
      chunk,
      (samples) => out.push((this.converter as PcmConverter).push(samples, allocate)),
      () => {
        this.converter = new PcmConverter(this.reader.format as WavFormat, this.targetRate);
        out.push(wavHeader(this.targetRate, 1));
      },
    );
    return out.length === 1 ? out[0] : Buffer.concat(out);
  }

  /** Ends the stream: returns the last converted samples. Throws if the stream never reached its samples. */
  end(): Buffer {
    if (this.ended) return Buffer.alloc(0);
    this.ended = true;
    this.reader.end();
    return (this.converter as PcmConverter).end();
  }
}
