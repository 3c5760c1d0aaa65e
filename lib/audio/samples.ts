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

type SampleReader = (bytes: Buffer, offset: number) => number;

/** Reads one sample of one channel as a float, full scale ±1. */
export function sampleReader(format: WavFormat): SampleReader {
  const size = format.bytesPerSample;
  switch (format.audioFormat) {
    case 'float':
      return size === 8 ? (b, o) => b.readDoubleLE(o) : (b, o) => b.readFloatLE(o);
    case 'mulaw':
      return (b, o) => MULAW[b[o]];
    case 'alaw':
      return (b, o) => ALAW[b[o]];
    case 'pcm':
      if (size === 1) return (b, o) => (b[o] - 128) / 128; // 8-bit WAV samples are unsigned
      if (size === 2) return (b, o) => b.readInt16LE(o) / 32768;
      if (size === 3) return (b, o) => b.readIntLE(o, 3) / 8388608;
      return (b, o) => b.readInt32LE(o) / 2147483648;
  }
}

/**
 * Decodes `frames` whole frames starting at `offset` into mono samples (channels averaged),
 * written to `out` from `outOffset`.
 */
export function decodeMono(
  read: SampleReader,
  format: WavFormat,
  bytes: Buffer,
  offset: number,
  frames: number,
  out: Float64Array,
  outOffset: number,
): void {
  const { channels, bytesPerSample, blockAlign } = format;
  if (channels === 1) {
    for (let f = 0; f < frames; f++) out[outOffset + f] = read(bytes, offset + f * blockAlign);
    return;
  }
  for (let f = 0; f < frames; f++) {
    const frameStart = offset + f * blockAlign;
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += read(bytes, frameStart + c * bytesPerSample);
    out[outOffset + f] = sum / channels;
  }
}

/** Float samples (±1) to 16-bit little-endian PCM, rounded and clipped. */
export function toInt16(samples: Float64Array, count = samples.length): Buffer {
  const out = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) {
    let v = Math.round(samples[i] * 32768);
    if (v > 32767) v = 32767;
    else if (v < -32768) v = -32768;
    out.writeInt16LE(v, i * 2);
  }
  return out;
}
