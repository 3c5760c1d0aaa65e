// WAV files and audio measures for the benchmarks: generated tones, sparse files, and the quality
// of a conversion (SNR of a 1 kHz tone, what a 9 kHz tone folds to) read from a 16-bit mono WAV.
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

/** A 16-bit WAV of a `frequency` Hz tone at `amplitude` (of full scale), the same on every channel. */
function tone(rate, channels, seconds, frequency = 440, amplitude = 0.25) {
  const frames = Math.round(rate * seconds);
  const data = Buffer.alloc(frames * channels * 2);
  for (let i = 0; i < frames; i++) {
    const value = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * frequency * i) / rate));
    for (let c = 0; c < channels; c++) data.writeInt16LE(value, (i * channels + c) * 2);
  }
  return Buffer.concat([wavHeader(rate, channels, 16, data.length), data]);
}

/** The samples of a 16-bit mono WAV with a 44-byte header, half a second cut at each end (the filters' edges). */
function middleSamples(wav, rate) {
  const count = (wav.length - 44) / 2;
  const samples = new Float64Array(count - rate);
  for (let i = 0; i < samples.length; i++) samples[i] = wav.readInt16LE(44 + (i + rate / 2) * 2) / 32768;
  return samples;
}

/** Least-squares fit of a sine of `frequency`: the power it explains and the power left over. */
function fitSine(samples, rate, frequency) {
  const at = (i) => (2 * Math.PI * frequency * i) / rate;
  // The normal equations of samples ≈ a·sin + b·cos: sums of sin², cos², sin·cos, y·sin, y·cos.
  const sums = [0, 0, 0, 0, 0];
  for (let i = 0; i < samples.length; i++) {
    const s = Math.sin(at(i));
    const c = Math.cos(at(i));
    sums[0] += s * s;
    sums[1] += c * c;
    sums[2] += s * c;
    sums[3] += samples[i] * s;
    sums[4] += samples[i] * c;
  }
  const [ss, cc, sc, ys, yc] = sums;
  const det = ss * cc - sc * sc;
  const a = (ys * cc - yc * sc) / det;
  const b = (yc * ss - ys * sc) / det;
  let fitted = 0;
  let rest = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = a * Math.sin(at(i)) + b * Math.cos(at(i));
    fitted += v * v;
    rest += (samples[i] - v) ** 2;
  }
  return { fitted, rest, amplitude: Math.hypot(a, b) };
}

const QUALITY_AMPLITUDE = 0.5;
/** 10 s of 44.1 kHz stereo at `frequency`, half of full scale: the input of the quality figures. */
const qualityInput = (frequency) => tone(44100, 2, 10, frequency, QUALITY_AMPLITUDE);

/**
 * The quality of a converter (`convert(wav) -> 16 kHz mono WAV`): the SNR of a 1 kHz tone (all that is
 * not the tone is noise), and for a 9 kHz tone, which 16 kHz cannot hold, the level of what comes out
 * in all and of the 7 kHz tone it folds to, in dB below the input tone.
 */
function quality(convert) {
  const db = (ratio) => 10 * Math.log10(ratio);
  const one = fitSine(middleSamples(convert(qualityInput(1000)), 16000), 16000, 1000);
  const nine = middleSamples(convert(qualityInput(9000)), 16000);
  const folded = fitSine(nine, 16000, 7000);
  const inputPower = (QUALITY_AMPLITUDE * QUALITY_AMPLITUDE) / 2;
  return {
    snrDb: db(one.fitted / one.rest),
    aliasDb: db((folded.fitted + folded.rest) / nine.length / inputPower),
    foldedToneDb: 2 * db(folded.amplitude / QUALITY_AMPLITUDE),
  };
}

module.exports = { wavHeader, writeSparseWav, tone, quality };
