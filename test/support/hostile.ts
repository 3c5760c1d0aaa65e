/**
 * A 100-byte WAV whose header lies: it claims `sampleRate` and a data chunk of 2 GB, and holds
 * 56 bytes of samples. Work on it must be bounded by those 56 bytes, never by the claims.
 */
export function hostileWav(sampleRate: number, options: { channels?: number; bits?: number } = {}): Buffer {
  const { channels = 1, bits = 16 } = options;
  const blockAlign = (channels * bits) / 8;
  const buffer = Buffer.alloc(100);
  buffer.write('RIFF', 0, 'latin1');
  buffer.writeUInt32LE(0x7ffffff0, 4);
  buffer.write('WAVE', 8, 'latin1');
  buffer.write('fmt ', 12, 'latin1');
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(channels, 22);
  buffer.writeUInt32LE(sampleRate >>> 0, 24);
  buffer.writeUInt32LE((sampleRate * blockAlign) >>> 0, 28);
  buffer.writeUInt16LE(blockAlign, 32);
  buffer.writeUInt16LE(bits, 34);
  buffer.write('data', 36, 'latin1');
  buffer.writeUInt32LE(0x7fffffc0, 40);
  for (let at = 44; at + 1 < 100; at += 2) buffer.writeInt16LE(((at * 997) % 20000) - 10000, at);
  return buffer;
}

/** The example: a header claiming 787,288,968 Hz. */
export const LYING_RATE = 787_288_968;
