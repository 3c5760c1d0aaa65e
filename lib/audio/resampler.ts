/**
 * Streaming rational-ratio resampler: a Kaiser-windowed sinc low-pass FIR evaluated in polyphase
 * form. The cutoff sits below the lower of the two Nyquist frequencies, so downsampling does not
 * alias and upsampling interpolates band-limited. State (the last few input samples and the
 * position of the next output) is kept between calls, so feeding the input in pieces gives
 * exactly the output of feeding it whole.
 *
 * The input side is a fixed-size Float64Array the caller decodes into (`room`, `inputOffset`,
 * `commit`); the output side renders as many outputs as asked, as 16-bit PCM (`renderPcm16`) or
 * floats (`render`). Nothing is allocated per sample or per call, and memory does not grow with
 * the input.
 */
import { BadInputError, describeValue } from '../errors';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './wav';
import { writeInt16 } from './samples';

/** Fraction of the lower Nyquist frequency where the filter's response is halved. */
const ROLLOFF = 0.875;
/** Sinc zero crossings on each side of the centre: sets the transition width (about 2.1 kHz at 16 kHz out: flat up to 5.9 kHz). */
const ZERO_CROSSINGS = 18;
/** Kaiser beta for about 85 dB stopband attenuation. */
const KAISER_BETA = 8.6;
/** Ratios with more phases than this use the nearest of this many (1/1024 sample of timing error at most). */
const MAX_PHASES = 1024;
/** Input samples taken per block: the history holds this many plus the filter's length. */
export const BLOCK_SAMPLES = 8192;
/** Rows are padded with zero taps to a multiple of this, the dot product's stride. */
const STRIDE = 4;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-16) break;
  }
  return sum;
}

/**
 * Σ table[r + i] × history[h + i] for i < length (a multiple of STRIDE). Four running sums, so
 * the additions do not wait for one another.
 */
function dot(table: Float64Array, r: number, history: Float64Array, h: number, length: number): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  for (let i = 0; i < length; i += STRIDE, r += STRIDE, h += STRIDE) {
    a0 += table[r] * history[h];
    a1 += table[r + 1] * history[h + 1];
    a2 += table[r + 2] * history[h + 2];
    a3 += table[r + 3] * history[h + 3];
  }
  return a0 + a1 + a2 + a3;
}

/** The filter's taps, one row of `rowLength` per phase (zero-padded past `2 × half`). */
function filterTable(phases: number, half: number, rowLength: number, cutoff: number): Float64Array {
  const halfWidth = ZERO_CROSSINGS / (2 * cutoff);
  const taps = 2 * half;
  const table = new Float64Array(phases * rowLength);
  const i0Beta = besselI0(KAISER_BETA);
  const row = new Float64Array(taps);
  for (let p = 0; p < phases; p++) {
    const frac = p / phases;
    let sum = 0;
    for (let t = 0; t < taps; t++) {
      const x = frac - (t - (half - 1)); // distance from the output instant to input sample base + j
      let h = 0;
      if (Math.abs(x) < halfWidth) {
        const arg = 2 * cutoff * x;
        const sinc = arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
        const r = x / halfWidth;
        h = 2 * cutoff * sinc * (besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta);
      }
      row[t] = h;
      sum += h;
    }
    // Unity gain at DC for every phase, so no phase-dependent ripple on steady signals.
    for (let t = 0; t < taps; t++) table[p * rowLength + t] = row[t] / sum;
  }
  return table;
}

function checkRates(inputRate: number, outputRate: number): void {
  // The filter's size grows with the ratio of the rates: both are checked before anything is sized from them.
  for (const [field, rate] of [
    ['inputRate', inputRate],
    ['outputRate', outputRate],
  ] as const) {
    if (!Number.isInteger(rate) || rate < MIN_SAMPLE_RATE || rate > MAX_SAMPLE_RATE) {
      throw new BadInputError(
        field,
        describeValue(rate),
        `a whole number of samples per second from ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE}`,
      );
    }
  }
}

export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Output step in input samples is `down / up`, kept as integers. */
  private readonly up: number;
  private readonly down: number;
  private readonly phases: number;
  /** Taps each side: output at t = base + frac uses input base-(half-1) … base+half. */
  private readonly half: number;
  /** Taps per phase row as stored: 2 × half, padded with zeros to a multiple of STRIDE. */
  private readonly rowLength: number;
  private readonly table: Float64Array;
  /** An output step of down / up input samples, as whole samples plus a remainder in 1/up. */
  private readonly stepWhole: number;
  private readonly stepRem: number;
  readonly bypass: boolean;
  private readonly scratch: Float64Array;

  /** Input samples kept, history[0] being input index `historyStart`. Fixed size. */
  readonly history: Float64Array;
  private historyLength: number;
  private historyStart: number;
  private received = 0;
  /** Next output's position: base + phase / up input samples. */
  private base = 0;
  private phase = 0;
  private ended = false;

  constructor(inputRate: number, outputRate: number) {
    checkRates(inputRate, outputRate);
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    const divisor = gcd(inputRate, outputRate);
    this.up = outputRate / divisor;
    this.down = inputRate / divisor;
    this.bypass = inputRate === outputRate;
    this.phases = Math.min(this.up, MAX_PHASES);
    this.stepWhole = Math.floor(this.down / this.up);
    this.stepRem = this.down % this.up;
    // Cutoff in cycles per input sample.
    const cutoff = 0.5 * Math.min(1, outputRate / inputRate) * ROLLOFF;
    this.half = this.bypass ? 1 : Math.ceil(ZERO_CROSSINGS / (2 * cutoff));
    this.rowLength = this.bypass ? 0 : Math.ceil((2 * this.half) / STRIDE) * STRIDE;
    this.table = this.bypass ? new Float64Array(0) : filterTable(this.phases, this.half, this.rowLength, cutoff);
    // Room for a block, what the filter still needs from before it, and the zero-tap overrun.
    this.history = new Float64Array(this.bypass ? 0 : BLOCK_SAMPLES + 2 * this.rowLength + 2 * STRIDE);
    this.scratch = new Float64Array(this.bypass ? 0 : BLOCK_SAMPLES);
    // Silence before the first sample.
    this.historyStart = -(this.half - 1);
    this.historyLength = this.bypass ? 0 : this.half - 1;
  }

  /** Output count for `inputSamples` input samples in all: ceil(n × out / in). */
  outputLength(inputSamples: number): number {
    return Math.ceil((inputSamples * this.up) / this.down);
  }

  /**
   * How many input samples `commit` can take now, written from `history[inputOffset]`.
   * Drops what no future output needs first, so render what is ready before asking.
   */
  room(): number {
    const keepFrom = this.base - (this.half - 1) - this.historyStart;
    if (keepFrom > 0) {
      this.history.copyWithin(0, keepFrom, this.historyLength);
      this.historyLength -= keepFrom;
      this.historyStart += keepFrom;
    }
    // The padded taps of the last output may read up to STRIDE samples past the end.
    return this.history.length - STRIDE - this.historyLength;
  }

  /** Where the next input sample goes in `history`. */
  get inputOffset(): number {
    return this.historyLength;
  }

  /** Takes `count` samples the caller wrote at `history[inputOffset]`. */
  commit(count: number): void {
    if (this.ended) throw new Error('Resampler already ended');
    this.historyLength += count;
    this.received += count;
  }

  /** Ends the input: silence follows it, and the outputs up to its last sample become ready. */
  finish(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.bypass) return;
    this.room();
    this.history.fill(0, this.historyLength, this.historyLength + this.half + 1);
    this.historyLength += this.half + 1;
  }

  /** Outputs ready once `received` input samples in all have been committed (now by default). */
  ready(received = this.received): number {
    // The last output may need `half` samples after its base (one more when its phase rounds up);
    // after the end, silence provides them and only outputs before the end remain.
    const last = this.ended ? received - 1 : received - 2 - this.half;
    if (this.base > last) return 0;
    // Outputs with base <= last: positions base + (phase + k × down) / up for k = 0, 1, …
    return Math.floor(((last + 1 - this.base) * this.up - this.phase - 1) / this.down) + 1;
  }

  /** Computes the next `count` outputs (at most `ready()`) into `out` from `outOffset`. */
  render(count: number, out: Float64Array, outOffset = 0): void {
    const { table, rowLength, up, phases, history, stepWhole, stepRem } = this;
    // history index of the first tap for base 0.
    const origin = -(this.half - 1) - this.historyStart;
    let base = this.base;
    let phase = this.phase;
    for (let n = outOffset, end = outOffset + count; n < end; n++) {
      // The nearest stored phase (the exact one unless the ratio has more than MAX_PHASES), halves rounding up.
      let p = phases === up ? phase : Math.floor((2 * phase * phases + up) / (2 * up));
      let h = base + origin;
      if (p === phases) {
        p = 0;
        h += 1;
      }
      out[n] = dot(table, p * rowLength, history, h, rowLength);
      base += stepWhole;
      phase += stepRem;
      if (phase >= up) {
        phase -= up;
        base += 1;
      }
    }
    this.base = base;
    this.phase = phase;
  }

  /** Computes the next `count` outputs (at most `ready()`) as 16-bit little-endian PCM in `out` from byte `at`. */
  renderPcm16(count: number, out: Buffer, at: number): void {
    while (count > 0) {
      const block = Math.min(count, BLOCK_SAMPLES);
      this.render(block, this.scratch);
      writeInt16(this.scratch, block, out, at);
      at += block * 2;
      count -= block;
    }
  }

  /** Resamples the next input samples; returns the output samples that are now complete. */
  process(input: ArrayLike<number>, count = input.length): Float64Array {
    if (this.ended) throw new Error('Resampler already ended');
    if (this.bypass) {
      this.received += count;
      return Float64Array.from({ length: count }, (_, i) => input[i]);
    }
    const out = new Float64Array(this.ready(this.received + count));
    let written = 0;
    let taken = 0;
    while (taken < count) {
      const take = Math.min(count - taken, this.room());
      const at = this.inputOffset;
      for (let i = 0; i < take; i++) this.history[at + i] = input[taken + i];
      this.commit(take);
      taken += take;
      written = this.drain(out, written);
    }
    return out;
  }

  /** Ends the input (silence after it) and returns the remaining output samples. */
  flush(): Float64Array {
    if (this.ended) return new Float64Array(0);
    this.finish();
    if (this.bypass) return new Float64Array(0);
    const out = new Float64Array(this.ready());
    this.drain(out, 0);
    return out;
  }

  private drain(out: Float64Array, written: number): number {
    for (let ready = this.ready(); ready > 0; ready = this.ready()) {
      const count = Math.min(ready, this.scratch.length);
      this.render(count, this.scratch);
      out.set(this.scratch.subarray(0, count), written);
      written += count;
    }
    return written;
  }
}
