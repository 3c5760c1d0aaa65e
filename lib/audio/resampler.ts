/**
 * Streaming rational-ratio resampler: a Kaiser-windowed sinc low-pass FIR evaluated in polyphase
 * form. The cutoff sits below the lower of the two Nyquist frequencies, so downsampling does not
 * alias and upsampling interpolates band-limited. State (the last few input samples and the
 * position of the next output) is kept between calls, so feeding the input in pieces gives
 * exactly the output of feeding it whole. When the output rate is well under half the input's
 * (44.1 or 48 kHz to 16 kHz), a half-band 2:1 decimator runs first and the polyphase filter works
 * at half the rate with half the taps.
 *
 * The input side is a fixed-size Float64Array the caller decodes into (`room`, `inputOffset`,
 * `commit`); the output side renders as many outputs as asked, as 16-bit PCM (`renderPcm16`) or
 * floats (`render`). Nothing is allocated per sample or per call, and memory does not grow with
 * the input. The filters' loops run as WebAssembly (wasm/resample.ts), on arrays laid out in its memory.
 */
import { BadInputError, describeValue } from '../errors';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './wav';
import { writeInt16 } from './samples';
import { type ResampleKernels, kernelArrays } from './kernels';

/** Fraction of the lower Nyquist frequency where the filter's response is halved (6.64 kHz at 16 kHz out). */
const ROLLOFF = 0.83;
/**
 * Sinc zero crossings on each side of the centre: sets the transition width (about 2.9 kHz at 16 kHz
 * out: within 1 dB up to 6 kHz, 88 dB down from 8.1 kHz) and the taps, the conversion's main cost.
 */
const ZERO_CROSSINGS = 13;
/** Kaiser beta for about 88 dB stopband attenuation. */
const KAISER_BETA = 8.7;
/** Ratios with more phases than this use the nearest of this many (1/1024 sample of timing error at most). */
const MAX_PHASES = 1024;
/**
 * Input samples taken per block: the history holds this many plus the filter's length. Large enough
 * that a call into the filters' loops does real work, small enough that a converter holds about 500 KB.
 */
export const BLOCK_SAMPLES = 16384;

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
 * The filter's taps, one row of `rowLength` (2 × half) per phase. Phase p and phases − p sit at
 * mirrored distances from their taps, so the second half of the rows is the first's reversed (half
 * the window's Bessel sums, which a short conversion pays before the code is optimized).
 */
function fillFilterTable(table: Float64Array, phases: number, half: number, rowLength: number, cutoff: number): void {
  const halfWidth = ZERO_CROSSINGS / (2 * cutoff);
  const taps = 2 * half;
  const i0Beta = besselI0(KAISER_BETA);
  const row = new Float64Array(taps);
  for (let p = 0; 2 * p <= phases; p++) {
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
    if (p > 0) for (let t = 0; t < taps; t++) table[(phases - p) * rowLength + taps - 1 - t] = row[t] / sum;
  }
}

/** Half-band stopband attenuation: above the polyphase stage's, so the two together stay below 16-bit noise. */
const HALF_BAND_DB = 90;
/** Where the polyphase stage's stopband starts, as a fraction of the output rate (its cutoff plus half its transition). */
const STOP_EDGE = 0.505;
/** Narrowest half-band transition (of the input rate) worth its taps; closer ratios go straight to the polyphase stage. */
const MIN_HALF_BAND_TRANSITION = 0.1;

/** Pairs of odd taps (an even number) a half-band of this transition (a fraction of the input rate) needs: 12 from 44.1 kHz to 16 kHz. */
function halfBandPairs(transition: number): number {
  return 2 * Math.ceil(((HALF_BAND_DB - 7.95) / (14.36 * transition) + 2) / 8);
}

/**
 * A 2:1 decimator ahead of the polyphase stage when the output rate is well under half the input's:
 * a half-band low-pass has every other tap zero and is symmetric, so an output costs a multiply per
 * pair of its odd taps. It only has to keep what folds below the polyphase stage's stopband out of it,
 * so its transition is wide and its taps few; the polyphase stage then runs at half the rate with
 * half the taps. Outputs are centred on even input samples (no delay).
 */
class HalfBand {
  /** Odd taps from the centre out: taps[k] weighs input ±(2k + 1). The centre tap is ½, even ones 0. */
  readonly taps: Float64Array;
  /** Farthest input an output reads, each side (2 × taps.length − 1). */
  readonly reach: number;
  readonly input: Float64Array;
  /** input[0] is input sample `start`; `length` of them are held. */
  start: number;
  length: number;
  /** Next output: centred on input sample 2 × next. */
  next = 0;

  /** `taps` as long as halfBandPairs says; `input` as long as inputLength. */
  constructor(
    taps: Float64Array,
    input: Float64Array,
    private readonly kernels: ResampleKernels,
  ) {
    this.taps = taps;
    this.input = input;
    const pairs = taps.length;
    this.reach = 2 * pairs - 1;
    const beta = 0.1102 * (HALF_BAND_DB - 8.7);
    let sum = 0;
    for (let k = 0; k < pairs; k++) {
      const n = 2 * k + 1;
      const r = n / (2 * pairs);
      taps[k] = (Math.sin((Math.PI * n) / 2) / (Math.PI * n)) * (besselI0(beta * Math.sqrt(1 - r * r)) / besselI0(beta));
      sum += taps[k];
    }
    // Unity gain at DC: ½ + 2 × Σ taps = 1.
    for (let k = 0; k < pairs; k++) taps[k] *= 0.25 / sum;
    // Silence before the first sample.
    this.start = -this.reach;
    this.length = this.reach;
  }

  /** Input held for `room` new samples with `pairs` pairs of taps: the reach each side around them. */
  static inputLength(pairs: number, room: number): number {
    return room + 4 * pairs;
  }

  /** Outputs computable in all once `received` input samples have come. */
  available(received: number): number {
    return Math.max(0, Math.floor((received - 1 - this.reach) / 2) + 1);
  }

  /** Drops the input no future output reads; returns the room left. */
  trim(): number {
    const keepFrom = 2 * this.next - this.reach - this.start;
    if (keepFrom > 0) {
      this.input.copyWithin(0, keepFrom, this.length);
      this.length -= keepFrom;
      this.start += keepFrom;
    }
    return this.input.length - this.length;
  }

  /** Computes every output the input held allows into `out` from `at`; returns how many. */
  run(out: Float64Array, at: number): number {
    const count = this.available(this.start + this.length) - this.next;
    const center = 2 * this.next - this.start;
    this.kernels.halfBand(this.input.byteOffset, center, this.taps.byteOffset, this.taps.length, out.byteOffset + 8 * at, count);
    this.next += count;
    return count;
  }
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
  /** Output step in input samples of the polyphase stage is `down / up`, kept as integers. */
  private readonly up: number;
  private readonly down: number;
  private readonly phases: number;
  /** Taps each side: output at t = base + frac uses stage input base-(half-1) … base+half. */
  private readonly half: number;
  /** Taps per phase row: 2 × half. */
  private readonly rowLength: number;
  private readonly table: Float64Array;
  /** An output step of down / up stage input samples, as whole samples plus a remainder in 1/up. */
  private readonly stepWhole: number;
  private readonly stepRem: number;
  readonly bypass: boolean;
  private readonly scratch: Float64Array;
  /** The 2:1 stage in front of the polyphase one, when the rates allow it. */
  private readonly front?: HalfBand;
  /** The filters' loops, on the memory that holds the table, the stage, the scratch and the front's arrays. */
  private readonly kernels?: ResampleKernels;

  /** The polyphase stage's input kept, stage[0] being its sample `historyStart`. Fixed size. */
  private readonly stage: Float64Array;
  private historyLength: number;
  private historyStart: number;
  private received = 0;
  private produced = 0;
  /** Next output's position: base + phase / up stage input samples. */
  private base = 0;
  private phase = 0;
  private ended = false;

  constructor(inputRate: number, outputRate: number) {
    checkRates(inputRate, outputRate);
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.bypass = inputRate === outputRate;
    const transition = 2 * (0.25 - (STOP_EDGE * outputRate) / inputRate);
    const pairs = !this.bypass && inputRate % 2 === 0 && transition >= MIN_HALF_BAND_TRANSITION ? halfBandPairs(transition) : 0;
    const stageRate = pairs ? inputRate / 2 : inputRate;
    const divisor = gcd(stageRate, outputRate);
    this.up = outputRate / divisor;
    this.down = stageRate / divisor;
    this.phases = Math.min(this.up, MAX_PHASES);
    this.stepWhole = Math.floor(this.down / this.up);
    this.stepRem = this.down % this.up;
    // Cutoff in cycles per stage input sample.
    const cutoff = 0.5 * Math.min(1, outputRate / stageRate) * ROLLOFF;
    this.half = this.bypass ? 1 : Math.ceil(ZERO_CROSSINGS / (2 * cutoff));
    this.rowLength = this.bypass ? 0 : 2 * this.half;
    // Silence before the first sample.
    this.historyStart = -(this.half - 1);
    this.historyLength = this.bypass ? 0 : this.half - 1;
    if (this.bypass) {
      [this.table, this.stage, this.scratch] = [new Float64Array(0), new Float64Array(0), new Float64Array(0)];
      return;
    }
    // The stage holds a block and what the filter still needs from before it.
    const lengths = [this.phases * this.rowLength, BLOCK_SAMPLES + 2 * this.rowLength, BLOCK_SAMPLES];
    if (pairs) lengths.push(pairs, HalfBand.inputLength(pairs, BLOCK_SAMPLES));
    const { kernels, arrays } = kernelArrays(lengths);
    this.kernels = kernels;
    [this.table, this.stage, this.scratch] = arrays;
    fillFilterTable(this.table, this.phases, this.half, this.rowLength, cutoff);
    if (pairs) this.front = new HalfBand(arrays[3], arrays[4], kernels);
  }

  /** Where the caller writes input samples, from `inputOffset`. Fixed size. */
  get history(): Float64Array {
    return this.front ? this.front.input : this.stage;
  }

  /** Output count for `inputSamples` input samples in all: ceil(n × out / in). */
  outputLength(inputSamples: number): number {
    return Math.ceil((inputSamples * this.outputRate) / this.inputRate);
  }

  /** Stage input samples that `padding` more input samples after the end give: what finish() feeds. */
  private get padding(): number {
    return this.front ? this.front.reach + 2 * this.half + 8 : 0;
  }

  /**
   * How many input samples `commit` can take now, written from `history[inputOffset]`.
   * Drops what no future output needs first, so render what is ready before asking.
   */
  room(): number {
    const keepFrom = this.base - (this.half - 1) - this.historyStart;
    if (keepFrom > 0) {
      this.stage.copyWithin(0, keepFrom, this.historyLength);
      this.historyLength -= keepFrom;
      this.historyStart += keepFrom;
    }
    const stageRoom = this.stage.length - this.historyLength;
    if (!this.front) return stageRoom;
    // What finish() feeds is kept free on both sides; every 2 input samples make one for the stage.
    return Math.max(0, Math.min(this.front.trim() - this.padding, 2 * (stageRoom - this.padding) - 2));
  }

  /** Where the next input sample goes in `history`. */
  get inputOffset(): number {
    return this.front ? this.front.length : this.historyLength;
  }

  /** Takes `count` samples the caller wrote at `history[inputOffset]`. */
  commit(count: number): void {
    if (this.ended) throw new Error('Resampler already ended');
    this.received += count;
    this.feed(count);
  }

  private feed(count: number): void {
    if (!this.front) {
      this.historyLength += count;
      return;
    }
    this.front.length += count;
    this.historyLength += this.front.run(this.stage, this.historyLength);
  }

  /** Ends the input: silence follows it, and the outputs up to its last sample become ready. */
  finish(): void {
    if (this.ended) return;
    if (this.bypass) {
      this.ended = true;
      return;
    }
    if (this.front) {
      // Silence through the half-band, so the stage holds the tail the last outputs read.
      this.room();
      this.front.input.fill(0, this.front.length, this.front.length + this.padding);
      this.feed(this.padding);
    }
    this.ended = true;
    this.room();
    this.stage.fill(0, this.historyLength, this.historyLength + this.half + 1);
    this.historyLength += this.half + 1;
  }

  /** Outputs ready once `received` input samples in all have been committed (now by default). */
  ready(received = this.received): number {
    // After the end, silence provides what the last outputs read: every output before the end is ready.
    if (this.ended) return this.outputLength(this.received) - this.produced;
    // The last output may need `half` stage samples after its base (one more when its phase rounds up).
    const last = (this.front ? this.front.available(received) : received) - 2 - this.half;
    if (this.base > last) return 0;
    // Outputs with base <= last: positions base + (phase + k × down) / up for k = 0, 1, …
    return Math.floor(((last + 1 - this.base) * this.up - this.phase - 1) / this.down) + 1;
  }

  /** Computes the next `count` outputs (at most `ready()`) into `out` from `outOffset`. */
  render(count: number, out: Float64Array, outOffset = 0): void {
    while (count > 0) {
      const block = Math.min(count, BLOCK_SAMPLES);
      this.renderScratch(block);
      out.set(this.scratch.subarray(0, block), outOffset);
      outOffset += block;
      count -= block;
    }
  }

  /** Computes the next `count` outputs (at most BLOCK_SAMPLES and `ready()`) into `scratch`. */
  private renderScratch(count: number): void {
    const { up, stepWhole, stepRem } = this;
    // The stage index of the first output's first tap.
    const first = this.base - (this.half - 1) - this.historyStart;
    (this.kernels as ResampleKernels).polyphase(
      this.table.byteOffset,
      this.rowLength,
      this.phases,
      this.stage.byteOffset,
      first,
      this.phase,
      up,
      stepWhole,
      stepRem,
      this.scratch.byteOffset,
      count,
    );
    // `count` steps of stepWhole + stepRem / up samples.
    const phase = this.phase + count * stepRem;
    this.base += count * stepWhole + Math.floor(phase / up);
    this.phase = phase % up;
    this.produced += count;
  }

  /** Computes the next `count` outputs (at most `ready()`) as 16-bit little-endian PCM in `out` from byte `at`. */
  renderPcm16(count: number, out: Buffer, at: number): void {
    while (count > 0) {
      const block = Math.min(count, BLOCK_SAMPLES);
      this.renderScratch(block);
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
      const history = this.history;
      for (let i = 0; i < take; i++) history[at + i] = input[taken + i];
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
      const count = Math.min(ready, BLOCK_SAMPLES);
      this.renderScratch(count);
      out.set(this.scratch.subarray(0, count), written);
      written += count;
    }
    return written;
  }
}
