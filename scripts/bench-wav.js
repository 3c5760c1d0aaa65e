const fs = require('node:fs');

// The 44-byte header of a PCM WAV, for the benchmarks' generated files (sizes clamped to what it can say).
function wavHeader(rate, channels, bits, dataBytes) {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(Math.min(36 + dataBytes, 0xffffffff), 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE((rate * channels * bits) / 8, 28);
  header.writeUInt16LE((channels * bits) / 8, 32);
  header.writeUInt16LE(bits, 34);
  header.write('data', 36);
  header.writeUInt32LE(Math.min(dataBytes, 0xffffffff - 36), 40);
  return header;
}

/** A 16 kHz mono WAV of `bytes` in all at `file`, sparse on disk (its audio is silence). */
function writeSparseWav(file, bytes) {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, wavHeader(16000, 1, 16, bytes - 44));
  fs.ftruncateSync(fd, bytes);
  fs.closeSync(fd);
  return file;
}

module.exports = { wavHeader, writeSparseWav };
