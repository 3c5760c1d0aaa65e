import type { WavFormat } from './wav';

/** G.711 µ-law byte to a linear 16-bit value. */
function mulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << exponent) - 0x84;
  return u & 0x80 ? -magnitude : magnitude;
}

/** G.711 A-law byte to a linear 16-bit value. */
function alawToLinear(byte: number): number {
  const a = byte ^ 0x55;
  const exponent = (a >> 4) & 0x07;
  let magnitude = (a & 0x0f) << 4;
  magnitude = exponent === 0 ? magnitude + 8 : (magnitude + 0x108) << (exponent - 1);
  return a & 0x80 ? magnitude : -magnitude;
}

const MULAW = Float64Array.from({ length: 256 }, (_, b) => mulawToLinear(b) / 32768);
const ALAW = Float64Array.from({ length: 256 }, (_, b) => alawToLinear(b) / 32768);
/** 8-bit WAV samples are unsigned, 128 being silence. */
const UNSIGNED8 = Float64Array.from({ length: 256 }, (_, b) => (b - 128) / 128);

/**
 * Float samples far outside full scale (or NaN) would poison the filter's sums, and a NaN
 * left in the history meets the zero padding taps: keep them finite and bounded.
 */
function finite(v: number): number {
  return v > 16 ? 16 : v < -16 ? -16 : v === v ? v : 0;
}

// One loop per sample layout, each reading bytes inline: no call per sample, and each loop
// stays monomorphic whatever other layouts the process converts.

/** Whether this machine stores numbers little-endian, as WAV does: 16-bit samples can then be read through an Int16Array. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The 16-bit samples at `b[o]` as an Int16Array view when they are aligned (no copy), else undefined. */
function int16View(b: Buffer, o: number, count: number): Int16Array | undefined {
  return LITTLE_ENDIAN && (b.byteOffset + o) % 2 === 0 ? new Int16Array(b.buffer, b.byteOffset + o, count) : undefined;
}

function pcm16Mono(b: Buffer, o: number, frames: number, out: Float64Array, at: number): void {
  const view = int16View(b, o, frames);
  if (view) for (let f = 0; f < frames; f++) out[at + f] = view[f] * (1 / 32768);
  else for (let f = 0; f < frames; f++, o += 2) out[at + f] = (((b[o + 1] << 24) >> 16) | b[o]) * (1 / 32768);
}

function pcm16Stereo(b: Buffer, o: number, frames: number, out: Float64Array, at: number): void {
  const view = int16View(b, o, frames * 2);
  if (view) {
    for (let f = 0, i = 0; f < frames; f++, i += 2) out[at + f] = (view[i] + view[i + 1]) * (1 / 65536);
    return;
  }
  for (let f = 0; f < frames; f++, o += 4) {
    out[at + f] = ((((b[o + 1] << 24) >> 16) | b[o]) + (((b[o + 3] << 24) >> 16) | b[o + 2])) * (1 / 65536);
  }
}

type Layout = (b: Buffer, o: number, channels: number, step: number, frames: number, out: Float64Array, at: number) => void;

/** Reads `channels` samples `step` bytes apart per frame, averaged; frames are `channels × step` bytes. */
const layouts: Record<string, Layout> = {
  pcm1(b, o, channels, step, frames, out, at) {
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < channels; c++, o += step) sum += UNSIGNED8[b[o]];
      out[at + f] = sum / channels;
    }
  },
  pcm2(b, o, channels, step, frames, out, at) {
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < channels; c++, o += step) sum += ((b[o + 1] << 24) >> 16) | b[o];
      out[at + f] = sum / (channels * 32768);
    }
  },
  pcm3(b, o, channels, step, frames, out, at) {
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < channels; c++, o += step) sum += ((b[o + 2] << 24) >> 8) | (b[o + 1] << 8) | b[o];
      out[at + f] = sum / (channels * 8388608);
    }
  },
  pcm4(b, o, channels, step, frames, out, at) {
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < channels; c++, o += step) sum += (b[o + 3] << 24) | (b[o + 2] << 16) | (b[o + 1] << 8) | b[o];
      out[at + f] = sum / (channels * 2147483648);
    }
  },
  // A DataView reads floats at any alignment, inlined by the compiler (Buffer#readFloatLE is a call).
  float4(b, o, channels, step, frames, out, at) {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < channels; c++, o += step) sum += view.getFloat32(o, true);
      out[at + f] = finite(sum / channels);
    }
  },
  float8(b, o, channels, step, frames, out, at) {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < channels; c++, o += step) sum += view.getFloat64(o, true);
      out[at + f] = finite(sum / channels);
    }
  },
  mulaw1(b, o, channels, step, frames, out, at) {
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < channels; c++, o += step) sum += MULAW[b[o]];
      out[at + f] = sum / channels;
    }
  },
  alaw1(b, o, channels, step, frames, out, at) {
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < channels; c++, o += step) sum += ALAW[b[o]];
      out[at + f] = sum / channels;
    }
  },
};

export type FrameDecoder = (bytes: Buffer, offset: number, frames: number, out: Float64Array, outOffset: number) => void;

/**
 * A decoder for this format: `frames` whole frames from `bytes[offset]` become mono samples
 * (channels averaged, full scale ±1) in `out` from `outOffset`.
 */
export function frameDecoder(format: WavFormat): FrameDecoder {
  const { audioFormat, bytesPerSample, channels } = format;
  if (audioFormat === 'pcm' && bytesPerSample === 2 && channels === 1) return pcm16Mono;
  if (audioFormat === 'pcm' && bytesPerSample === 2 && channels === 2) return pcm16Stereo;
  const layout = layouts[`${audioFormat}${bytesPerSample}`];
  if (!layout) throw new Error(`No decoder for ${bytesPerSample}-byte ${audioFormat} samples`);
  return (bytes, offset, frames, out, outOffset) => layout(bytes, offset, channels, bytesPerSample, frames, out, outOffset);
}

/** Float samples (±1) to 16-bit little-endian PCM in `out` from byte `at`, rounded and clipped. */
export function writeInt16(samples: Float64Array, count: number, out: Buffer, at: number): void {
  if (LITTLE_ENDIAN && (out.byteOffset + at) % 2 === 0) {
    // The view is made here, not by int16View: stores through a view the compiler cannot see made cost three times as much.
    const view = new Int16Array(out.buffer, out.byteOffset + at, count);
    for (let i = 0; i < count; i++) {
      const v = samples[i] * 32768;
      view[i] = Math.round(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
    return;
  }
  for (let i = 0; i < count; i++, at += 2) {
    let v = Math.round(samples[i] * 32768);
    if (v > 32767) v = 32767;
    else if (v < -32768) v = -32768;
    out[at] = v & 0xff;
    out[at + 1] = (v >> 8) & 0xff;
  }
}
