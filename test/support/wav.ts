/** Small WAV builders for tests: PCM 16-bit, any rate and channel count, a quiet 440 Hz tone. */
/** A PCM 16-bit mono WAV of `seconds` of a quiet tone. */
export function wav(rate: number, seconds: number, channels = 1): Buffer {
  const frames = Math.round(rate * seconds);
  const samples = frames * channels;
  const buffer = Buffer.alloc(44 + samples * 2);
  buffer.write('RIFF', 0);
  buffer.writeUInt32LE(36 + samples * 2, 4);
  buffer.write('WAVE', 8);
  buffer.write('fmt ', 12);
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(channels, 22);
  buffer.writeUInt32LE(rate, 24);
  buffer.writeUInt32LE(rate * 2 * channels, 28);
  buffer.writeUInt16LE(2 * channels, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write('data', 36);
  buffer.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < frames; i++) {
    const value = Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / rate));
    for (let c = 0; c < channels; c++) buffer.writeInt16LE(value, 44 + (i * channels + c) * 2);
  }
  return buffer;
}

/** The header a recorder writes before it knows the length: a 16 kHz mono WAV whose sizes are 0xFFFFFFFF. */
export function recordingHeader(): Buffer {
  const header = Buffer.from(wav(16000, 0).subarray(0, 44));
  header.writeUInt32LE(0xffffffff, 4);
  header.writeUInt32LE(0xffffffff, 40);
  return header;
}
