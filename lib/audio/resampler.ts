/**
 * Streaming rational-ratio resampler: a Kaiser-windowed sinc low-pass FIR evaluated in polyphase
 * form. The cutoff sits below the lower of the two Nyquist frequencies, so downsampling does not
 * alias and upsampling interpolates band-limited. State (the last few input samples and the
 * position of the next output) is kept between calls, so feeding the input in pieces gives
 * exactly the output of feeding it whole.
 */

/** Fraction of the lower Nyquist frequency where the filter's response is halved. */
const ROLLOFF = 0.9;
/** Sinc zero crossings on each side of the centre: sets the transition width (about 1.5 kHz at 16 kHz out). */
const ZERO_CROSSINGS = 24;
/** Kaiser beta for about 80 dB stopband attenuation. */
const KAISER_BETA = 7.857;
/** Ratios with more phases than this use the nearest of this many (1/1024 sample of timing error at most). */
const MAX_PHASES = 1024;

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

export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Output step in input samples is `step / phases`… kept as integers: up = L, down = M. */
  private readonly up: number;
  private readonly down: number;
  private readonly phases: number;
  /** Taps each side: output at t = base + frac uses input base-(half-1) … base+half. */
  private readonly half: number;
  private readonly taps: number;
  private readonly table: Float64Array;
  private readonly bypass: boolean;

  /** Input samples kept, history[0] being input index `historyStart`. */
  private history: Float64Array;
  private historyLength = 0;
  private historyStart: number;
  private received = 0;
  /** Next output's position: base + phase / up input samples. */
  private base = 0;
  private phase = 0;
  private ended = false;

  constructor(inputRate: number, outputRate: number) {
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    const divisor = gcd(inputRate, outputRate);
    this.up = outputRate / divisor;
    this.down = inputRate / divisor;
    this.bypass = inputRate === outputRate;
    this.phases = Math.min(this.up, MAX_PHASES);

    // Cutoff in cycles per input sample.
    const cutoff = 0.5 * Math.min(1, outputRate / inputRate) * ROLLOFF;
    const halfWidth = ZERO_CROSSINGS / (2 * cutoff);
    this.half = this.bypass ? 1 : Math.ceil(halfWidth);
    this.taps = 2 * this.half;
    this.table = new Float64Array(this.bypass ? 0 : this.phases * this.taps);
    if (!this.bypass) {
      const i0Beta = besselI0(KAISER_BETA);
      for (let p = 0; p < this.phases; p++) {
        const frac = p / this.phases;
        let sum = 0;
        for (let t = 0; t < this.taps; t++) {
          const j = t - (this.half - 1);
          const x = frac - j; // distance from the output instant to input sample base + j
          let h = 0;
          if (Math.abs(x) < halfWidth) {
            const arg = 2 * cutoff * x;
            const sinc = arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
            const r = x / halfWidth;
            h = 2 * cutoff * sinc * (besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta);
          }
          this.table[p * this.taps + t] = h;
          sum += h;
        }
        // Unity gain at DC for every phase, so no phase-dependent ripple on steady signals.
        for (let t = 0; t < this.taps; t++) this.table[p * this.taps + t] /= sum;
      }
    }
    // Silence before the first sample.
    this.historyStart = -(this.half - 1);
    this.history = new Float64Array(Math.max(1024, this.taps * 2));
    this.historyLength = this.half - 1;
  }

  /** Resamples the next input samples; returns the output samples that are now complete. */
  process(input: Float64Array, count = input.length): Float64Array {
    if (this.ended) throw new Error('Resampler already ended');
    if (this.bypass) {
      this.received += count;
      return input.slice(0, count);
    }
    this.append(input, count);
    this.received += count;
    // The last output may need `half` samples after its base (one more when its phase rounds up).
    return this.produce(this.received - 2 - this.half);
  }

  /** Ends the input (silence after it) and returns the remaining output samples. */
  flush(): Float64Array {
    if (this.ended) return new Float64Array(0);
    this.ended = true;
    if (this.bypass) return new Float64Array(0);
    this.append(new Float64Array(this.half + 1), this.half + 1);
    return this.produce(this.received - 1, this.received);
  }

  /** Output count for `inputSamples` input samples: ceil(n * out / in). */
  outputLength(inputSamples: number): number {
    return Math.ceil((inputSamples * this.up) / this.down);
  }

  private append(input: Float64Array, count: number): void {
    // Drop what no future output needs, then grow if still short of room.
    const keepFrom = this.base - (this.half - 1) - this.historyStart;
    if (keepFrom > 0) {
      this.history.copyWithin(0, keepFrom, this.historyLength);
      this.historyLength -= keepFrom;
      this.historyStart += keepFrom;
    }
    if (this.historyLength + count > this.history.length) {
      const grown = new Float64Array(Math.max(this.history.length * 2, this.historyLength + count));
      grown.set(this.history.subarray(0, this.historyLength));
      this.history = grown;
    }
    this.history.set(input.subarray(0, count), this.historyLength);
    this.historyLength += count;
  }

  /**
   * Emits outputs whose base index is at most `lastBase` (all the input they need is here),
   * and, when `limit` is given, below `limit` (the input's end).
   */
  private produce(lastBase: number, limit = Infinity): Float64Array {
    const last = Math.min(lastBase, limit - 1);
    if (this.base > last) return new Float64Array(0);
    // Outputs with base <= last: positions n*down/up; count them from the current position.
    const remaining = Math.floor(((last + 1 - this.base) * this.up - this.phase - 1) / this.down) + 1;
    const out = new Float64Array(Math.max(0, remaining));
    const { table, taps, up, down, phases, history } = this;
    let n = 0;
    while (this.base <= last) {
      let p: number;
      let base = this.base;
      if (phases === up) p = this.phase;
      else {
        p = Math.round((this.phase * phases) / up);
        if (p === phases) {
          p = 0;
          base += 1;
        }
      }
      const first = base - (this.half - 1) - this.historyStart;
      const row = p * taps;
      // Four running sums: independent additions the CPU can overlap (taps is always even).
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let t = 0;
      for (; t + 3 < taps; t += 4) {
        a0 += table[row + t] * history[first + t];
        a1 += table[row + t + 1] * history[first + t + 1];
        a2 += table[row + t + 2] * history[first + t + 2];
        a3 += table[row + t + 3] * history[first + t + 3];
      }
      for (; t < taps; t++) a0 += table[row + t] * history[first + t];
      out[n++] = a0 + a1 + a2 + a3;
      this.phase += down;
      if (this.phase >= up) {
        this.base += Math.floor(this.phase / up);
        this.phase %= up;
      }
    }
    return n === out.length ? out : out.subarray(0, n);
  }
}
