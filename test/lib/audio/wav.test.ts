import { BadInputError } from '../../../lib/errors';
import {
  EXPECTED_AUDIO,
  PcmConverter,
  Resampler,
  WavStreamConverter,
  isHarfFormat,
  readWavInfo,
  toHarfWav,
  toPcm16Mono,
  wavHeader,
} from '../../../lib/audio';
import { buildWav, chunk, fmtBody, goertzel, readPcm16, rms, seededRandom, tone, type SampleKind } from '../../fixtures/audio/wav-builder';

function catchError(fn: () => unknown): BadInputError {
  try {
    fn();
  } catch (error) {
    return error as BadInputError;
  }
  throw new Error('expected a throw');
}

/** Samples of a converted file, without its 44-byte header. */
function samplesOf(wav: Buffer): Float64Array {
  expect(wav.toString('latin1', 36, 40)).toBe('data');
  return readPcm16(wav, 44);
}

/** Drops the edges, where the filter meets the silence around the file. */
function middle(samples: Float64Array, rate: number): Float64Array {
  return samples.subarray(Math.round(rate * 0.1), samples.length - Math.round(rate * 0.1));
}

function zeroCrossingFrequency(samples: Float64Array, rate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1] < 0 && samples[i] >= 0) crossings++;
  return (crossings * rate) / samples.length;
}

function rawWav(fmt: Buffer, data: Buffer): Buffer {
  const body = Buffer.concat([chunk('fmt ', fmt), chunk('data', data)]);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length + 4, 4);
  riff.write('WAVE', 8, 'latin1');
  return Buffer.concat([riff, body]);
}

describe('readWavInfo and sample values', () => {
  // Values a 16-bit output can show exactly: multiples of 1/256 survive every format.
  const values = Float64Array.from([0, 0.5, -0.5, 0.25, -1, 0.75, -0.125, 127 / 128]);

  it.each<[SampleKind, string, number, boolean]>([
    ['pcm8', 'pcm', 8, false],
    ['pcm16', 'pcm', 16, false],
    ['pcm24', 'pcm', 24, false],
    ['pcm32', 'pcm', 32, false],
    ['float32', 'float', 32, false],
    ['float64', 'float', 64, false],
    ['pcm24', 'pcm', 24, true],
    ['float32', 'float', 32, true],
  ])('%s (extensible: %s) reads header and values', (kind, audioFormat, bits, extensible) => {
    const wav = buildWav({ sampleRate: 16000, channels: [values], kind, extensible });
    const info = readWavInfo(wav);
    expect(info).toMatchObject({
      audioFormat,
      sampleRate: 16000,
      channels: 1,
      bitsPerSample: bits,
      dataOffset: extensible ? 68 : 44,
      dataLength: values.length * (bits / 8),
      durationSeconds: values.length / 16000,
      streaming: false,
      formatTag: extensible ? 0xfffe : audioFormat === 'pcm' ? 1 : 3,
    });
    const { pcm } = toPcm16Mono(wav, 16000);
    expect([...readPcm16(pcm)]).toEqual([...values]);
  });

  it('decodes hand-written bytes of each PCM depth', () => {
    const fmt = (bits: number) => {
      const body = Buffer.alloc(16);
      body.writeUInt16LE(1, 0);
      body.writeUInt16LE(1, 2);
      body.writeUInt32LE(16000, 4);
      body.writeUInt32LE(16000 * (bits / 8), 8);
      body.writeUInt16LE(bits / 8, 12);
      body.writeUInt16LE(bits, 14);
      return body;
    };
    const decode = (bits: number, bytes: number[]) =>
      [...readPcm16(toPcm16Mono(rawWav(fmt(bits), Buffer.from(bytes)), 16000).pcm)].map((v) => Math.round(v * 32768));
    // 8-bit is unsigned, 128 being silence.
    expect(decode(8, [128, 0, 255, 192])).toEqual([0, -32768, 32512, 16384]);
    expect(decode(16, [0x00, 0x80, 0xff, 0x7f, 0x01, 0x00])).toEqual([-32768, 32767, 1]);
    expect(decode(24, [0x00, 0x00, 0x80, 0x00, 0x00, 0x40, 0x00, 0x01, 0x00])).toEqual([-32768, 16384, 1]);
    expect(decode(32, [0, 0, 0, 0x80, 0, 0, 0, 0xc0, 0xff, 0xff, 0xff, 0x7f])).toEqual([-32768, -16384, 32767]);
  });

  it('decodes G.711 µ-law and A-law telephone WAVs', () => {
    const fmt = (code: number) => {
      const body = Buffer.alloc(18);
      body.writeUInt16LE(code, 0);
      body.writeUInt16LE(1, 2);
      body.writeUInt32LE(16000, 4);
      body.writeUInt32LE(16000, 8);
      body.writeUInt16LE(1, 12);
      body.writeUInt16LE(8, 14);
      return body;
    };
    const mulaw = rawWav(fmt(7), Buffer.from([0xff, 0x80, 0x00, 0x7f]));
    expect(readWavInfo(mulaw).audioFormat).toBe('mulaw');
    expect([...readPcm16(toPcm16Mono(mulaw, 16000).pcm)].map((v) => v * 32768)).toEqual([0, 32124, -32124, 0]);
    const alaw = rawWav(fmt(6), Buffer.from([0xd5, 0x55, 0xaa, 0x2a]));
    expect(readWavInfo(alaw).audioFormat).toBe('alaw');
    expect([...readPcm16(toPcm16Mono(alaw, 16000).pcm)].map((v) => v * 32768)).toEqual([8, -8, 32256, -32256]);
  });

  it('finds fmt and data among other chunks in any order, odd sizes padded', () => {
    const samples = tone(440, 16000, 0.01);
    const wav = buildWav({
      sampleRate: 16000,
      channels: [samples],
      kind: 'pcm16',
      before: [
        ['LIST', Buffer.from('INFOISFT\x05\x00\x00\x00odd!!')],
        ['JUNK', Buffer.alloc(3)],
      ],
      between: [
        ['fact', Buffer.from([160, 0, 0, 0])],
        ['bext', Buffer.alloc(7, 1)],
      ],
      after: [['LIST', Buffer.from('trailing metadata, not audio')]],
    });
    const info = readWavInfo(wav);
    expect(info.dataLength).toBe(samples.length * 2);
    expect(wav.toString('latin1', info.dataOffset - 8, info.dataOffset - 4)).toBe('data');
    const { pcm } = toPcm16Mono(wav, 16000);
    expect(pcm.length).toBe(samples.length * 2);
    expect(pcm.equals(wav.subarray(info.dataOffset, info.dataOffset + info.dataLength))).toBe(true);
  });

  it('refuses fmt placed after the data chunk, whole or streamed alike (a stream cannot go back for it)', () => {
    const data = Buffer.from([1, 0, 2, 0, 3, 0]);
    const body = Buffer.concat([chunk('data', data), chunk('fmt ', fmtBody('pcm16', 8000, 1))]);
    const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVE'), body]);
    const message = 'a WAV file whose data chunk comes before its fmt chunk';
    expect(() => readWavInfo(wav)).toThrow(expect.objectContaining({ name: 'BadInputError', found: message }));
    expect(() => toHarfWav(wav)).toThrow(expect.objectContaining({ found: message }));
    expect(() => new WavStreamConverter().push(wav)).toThrow(expect.objectContaining({ found: message }));
  });

  it.each([0, 0xffffffff])('reads a streaming header (data size %d) as running to the end', (sizeField) => {
    const samples = tone(440, 16000, 0.05);
    const wav = buildWav({ sampleRate: 16000, channels: [samples, samples], kind: 'pcm16', dataSizeField: sizeField });
    const info = readWavInfo(wav);
    expect(info.streaming).toBe(true);
    expect(info.dataLength).toBe(samples.length * 4);
    expect(info.durationSeconds).toBeCloseTo(0.05, 10);
  });

  it('drops a trailing partial frame and a truncated tail', () => {
    const wav = buildWav({ sampleRate: 16000, channels: [tone(440, 16000, 0.01)], kind: 'pcm24' });
    const cut = wav.subarray(0, wav.length - 2);
    expect(readWavInfo(cut).dataLength).toBe(159 * 3);
  });

  it('reads RF64 with its ds64 data size', () => {
    const data = Buffer.alloc(64, 0);
    const ds64 = Buffer.alloc(28);
    ds64.writeBigUInt64LE(BigInt(data.length + 100), 0);
    ds64.writeBigUInt64LE(BigInt(data.length), 8);
    const dataChunk = chunk('data', data);
    dataChunk.writeUInt32LE(0xffffffff, 4);
    const wav = Buffer.concat([
      Buffer.from('RF64\xff\xff\xff\xffWAVE', 'latin1'),
      chunk('ds64', ds64),
      chunk('fmt ', fmtBody('pcm16', 16000, 1)),
      dataChunk,
      chunk('LIST', Buffer.from('after')),
    ]);
    expect(readWavInfo(wav)).toMatchObject({ dataLength: 64, streaming: false });
  });

  it('says whether a file is already in Harf format', () => {
    const ok = readWavInfo(buildWav({ sampleRate: 16000, channels: [tone(1, 16000, 0.01)], kind: 'pcm16' }));
    expect(isHarfFormat(ok)).toBe(true);
    expect(isHarfFormat({ ...ok, sampleRate: 44100 })).toBe(false);
    expect(isHarfFormat({ ...ok, channels: 2 })).toBe(false);
    expect(isHarfFormat({ ...ok, bitsPerSample: 24 })).toBe(false);
    expect(isHarfFormat({ ...ok, audioFormat: 'float', bitsPerSample: 16 })).toBe(false);
  });
});

describe('refusing what is not WAV', () => {
  const opus = Buffer.concat([Buffer.from('OggS\x00\x02'), Buffer.alloc(22), Buffer.from('OpusHead\x01\x01')]);
  const cases: Array<[string, Buffer, string]> = [
    ['MP3 with ID3', Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00rest of tag', 'latin1'), 'an MP3 file (starts with an ID3 tag)'],
    ['MP3 frame', Buffer.from([0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0, 0, 0, 0, 0]), 'an MP3 file (starts with MPEG frame sync FF FB)'],
    ['AAC ADTS', Buffer.from([0xff, 0xf1, 0x50, 0x80, 0, 0, 0, 0, 0, 0, 0, 0]), 'an AAC (ADTS) file (starts with frame sync FF F1)'],
    ['OGG Opus', opus, 'an OGG Opus file (starts with OggS)'],
    ['OGG', Buffer.from('OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00', 'latin1'), 'an OGG file (starts with OggS)'],
    ['FLAC', Buffer.from('fLaC\x00\x00\x00\x22\x10\x00\x10\x00', 'latin1'), 'a FLAC file (starts with fLaC)'],
    ['M4A', Buffer.from('\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00', 'latin1'), 'an MP4/M4A file (ftyp brand M4A)'],
    [
      'WebM',
      Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 1, 0x42, 0xf7, 0x81]),
      'a WebM/Matroska file (starts with EBML header 1A 45 DF A3)',
    ],
    ['AVI', Buffer.from('RIFF\x10\x00\x00\x00AVI LIST', 'latin1'), 'a RIFF file of type "AVI ", not WAVE'],
    ['text', Buffer.from('<!DOCTYPE html><html><body>Not found</body></html>'), 'text ("<!DOCTYPE html><html><body>Not found</bo…")'],
    ['empty', Buffer.alloc(0), 'an empty buffer (0 bytes)'],
    ['short RIFF', Buffer.from('RIFF\x00\x00', 'latin1'), 'only 6 bytes (too short for a WAV header)'],
    ['binary', Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), 'unknown data (starts with bytes 00 01 02 03 04 05 06 07)'],
  ];

  it.each(cases)('refuses %s, saying what it is', (_name, buffer, found) => {
    const error = catchError(() => readWavInfo(buffer));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.field).toBe('audio');
    expect(error.found).toBe(found);
    expect(error.expected).toBe(EXPECTED_AUDIO);
    expect(error.message).toBe(`Invalid audio: found ${found}, expected ${EXPECTED_AUDIO}`);
    expect(() => toHarfWav(buffer)).toThrow(found);
  });

  it('refuses a WAV holding compressed samples, naming the codec', () => {
    const fmt = fmtBody('pcm16', 44100, 2);
    fmt.writeUInt16LE(0x55, 0);
    expect(catchError(() => readWavInfo(rawWav(fmt, Buffer.alloc(8)))).found).toBe(
      'a WAV file with MPEG Layer 3 (MP3) samples (format code 0x0055)',
    );
    fmt.writeUInt16LE(0x11, 0);
    expect(catchError(() => readWavInfo(rawWav(fmt, Buffer.alloc(8)))).found).toContain('IMA ADPCM');
  });

  it('refuses an extensible WAV with an unknown sub-format', () => {
    const fmt = fmtBody('pcm16', 16000, 1, true);
    fmt[30] = 0x99;
    expect(catchError(() => readWavInfo(rawWav(fmt, Buffer.alloc(8)))).found).toMatch(/unknown sub-format GUID \(01 00 00 00/);
  });

  it('refuses a WAV without a data chunk, and a non-Buffer', () => {
    const noData = Buffer.concat([Buffer.from('RIFF\x1c\x00\x00\x00WAVE', 'latin1'), chunk('fmt ', fmtBody('pcm16', 16000, 1))]);
    expect(catchError(() => readWavInfo(noData)).found).toBe('a WAV file that ended after 36 bytes, before its data chunk (truncated?)');
    expect(catchError(() => readWavInfo('/tmp/a.wav' as unknown as Buffer)).found).toBe('the text "/tmp/a.wav"');
  });

  it('refuses an unusable target rate, naming it', () => {
    const wav = buildWav({ sampleRate: 16000, channels: [tone(1, 16000, 0.01)], kind: 'pcm16' });
    expect(catchError(() => toPcm16Mono(wav, 0)).field).toBe('sampleRate');
    expect(catchError(() => new WavStreamConverter({ targetRate: 8000.5 })).field).toBe('targetRate');
  });
});

describe('conversion to 16 kHz mono 16-bit', () => {
  it.each([44100, 48000, 22050, 32000, 96000, 11025, 44056])('keeps a 1 kHz tone from %d Hz: amplitude and frequency', (rate) => {
    const wav = buildWav({ sampleRate: rate, channels: [tone(1000, rate, 1, 0.5)], kind: 'pcm16' });
    const out = toHarfWav(wav);
    const info = readWavInfo(out);
    expect(info).toMatchObject({ audioFormat: 'pcm', sampleRate: 16000, channels: 1, bitsPerSample: 16, formatTag: 1, dataOffset: 44 });
    expect(info.dataLength).toBe(32000);
    const samples = middle(samplesOf(out), 16000);
    expect(goertzel(samples, 16000, 1000)).toBeGreaterThan(0.49);
    expect(goertzel(samples, 16000, 1000)).toBeLessThan(0.51);
    expect(rms(samples) * Math.SQRT2).toBeCloseTo(0.5, 2);
    expect(zeroCrossingFrequency(samples, 16000)).toBeCloseTo(1000, -1);
  });

  it.each([
    [48000, 12000],
    [44100, 12000],
    [48000, 9000],
    [44100, 20000],
  ])('anti-aliasing: a tone above 8 kHz at %d Hz (%d Hz) is attenuated by at least 40 dB', (rate, frequency) => {
    const amplitude = 0.5;
    const wav = buildWav({ sampleRate: rate, channels: [tone(frequency, rate, 1, amplitude)], kind: 'float32' });
    const samples = middle(samplesOf(toHarfWav(wav)), 16000);
    const alias = Math.abs(16000 - (frequency % 16000)) % 16000; // where it would fold to
    const limit = amplitude / 100; // -40 dB
    expect(goertzel(samples, 16000, alias)).toBeLessThan(limit);
    expect(rms(samples) * Math.SQRT2).toBeLessThan(limit);
  });

  it('mixes stereo down to mono', () => {
    const rate = 48000;
    const left = tone(1000, rate, 0.5, 0.6);
    const right = tone(2000, rate, 0.5, 0.2);
    const mixed = middle(samplesOf(toHarfWav(buildWav({ sampleRate: rate, channels: [left, right], kind: 'pcm24' }))), 16000);
    expect(goertzel(mixed, 16000, 1000)).toBeCloseTo(0.3, 2);
    expect(goertzel(mixed, 16000, 2000)).toBeCloseTo(0.1, 2);

    const inverted = left.map((v) => -v);
    const cancelled = samplesOf(toHarfWav(buildWav({ sampleRate: rate, channels: [left, inverted], kind: 'pcm16' })));
    expect(rms(cancelled)).toBe(0);
  });

  it('mixes down at the same rate exactly (no resampling)', () => {
    const a = tone(300, 16000, 0.1, 0.4);
    const out = samplesOf(toHarfWav(buildWav({ sampleRate: 16000, channels: [a, a], kind: 'pcm16' })));
    const expected = readPcm16(buildWav({ sampleRate: 16000, channels: [a], kind: 'pcm16' }), 44);
    expect([...out]).toEqual([...expected]);
  });

  it('upsamples 8 kHz telephone audio to 16 kHz smoothly', () => {
    const wav = buildWav({ sampleRate: 8000, channels: [tone(1000, 8000, 1, 0.5)], kind: 'pcm16' });
    const out = toHarfWav(wav);
    expect(readWavInfo(out).dataLength).toBe(32000);
    const samples = middle(samplesOf(out), 16000);
    expect(goertzel(samples, 16000, 1000)).toBeCloseTo(0.5, 2);
    // No image of the tone at 8000 - 1000 Hz: interpolation, not sample repetition.
    expect(goertzel(samples, 16000, 7000)).toBeLessThan(0.005);
    expect(zeroCrossingFrequency(samples, 16000)).toBeCloseTo(1000, -1);
  });

  it('keeps 16 kHz mono 16-bit samples byte for byte, with a canonical header', () => {
    const wav = buildWav({
      sampleRate: 16000,
      channels: [tone(440, 16000, 0.2, 0.7)],
      kind: 'pcm16',
      before: [['LIST', Buffer.from('INFOsomething')]],
    });
    const info = readWavInfo(wav);
    const out = toHarfWav(wav);
    expect(out.subarray(0, 44).equals(wavHeader(16000, 1, info.dataLength))).toBe(true);
    expect(out.subarray(44).equals(wav.subarray(info.dataOffset, info.dataOffset + info.dataLength))).toBe(true);
  });

  it('toPcm16Mono gives raw PCM at any rate, with its duration', () => {
    const wav = buildWav({ sampleRate: 44100, channels: [tone(500, 44100, 2, 0.5), tone(500, 44100, 2, 0.5)], kind: 'float64' });
    const { pcm, durationSeconds } = toPcm16Mono(wav, 8000);
    expect(durationSeconds).toBe(2);
    expect(pcm.length).toBe(2 * 8000 * 2);
    expect(pcm.toString('latin1', 0, 4)).not.toBe('RIFF');
    const samples = middle(readPcm16(pcm), 8000);
    expect(goertzel(samples, 8000, 500)).toBeCloseTo(0.5, 2);
  });

  it('rounds the output length up: ceil(frames × 16000 / rate)', () => {
    const wav = buildWav({ sampleRate: 44100, channels: [tone(500, 44100, 0.01)], kind: 'pcm16' });
    expect(readWavInfo(toHarfWav(wav)).dataLength).toBe(Math.ceil((441 * 16000) / 44100) * 2);
    const odd = buildWav({ sampleRate: 11025, channels: [new Float64Array(7)], kind: 'pcm16' });
    expect(readWavInfo(toHarfWav(odd)).dataLength).toBe(Math.ceil((7 * 16000) / 11025) * 2);
  });
});

describe('WavStreamConverter', () => {
  function streamInPieces(wav: Buffer, random: () => number, maxPiece: number, converter = new WavStreamConverter()) {
    const out: Buffer[] = [];
    let offset = 0;
    while (offset < wav.length) {
      const size = 1 + Math.floor(random() * maxPiece);
      out.push(converter.push(wav.subarray(offset, offset + size)));
      offset += size;
    }
    out.push(converter.end());
    return { output: Buffer.concat(out), converter };
  }

  const inputs: Array<[string, Buffer]> = [
    ['44.1 kHz stereo float', buildWav({ sampleRate: 44100, channels: [tone(1000, 44100, 0.3), tone(700, 44100, 0.3)], kind: 'float32' })],
    [
      '48 kHz 24-bit extensible with chunks around',
      buildWav({
        sampleRate: 48000,
        channels: [tone(1000, 48000, 0.3)],
        kind: 'pcm24',
        extensible: true,
        before: [['LIST', Buffer.alloc(101, 7)]],
        after: [['LIST', Buffer.alloc(33, 9)]],
      }),
    ],
    ['8 kHz 8-bit', buildWav({ sampleRate: 8000, channels: [tone(400, 8000, 0.3)], kind: 'pcm8' })],
    [
      '22.05 kHz streaming header',
      buildWav({ sampleRate: 22050, channels: [tone(900, 22050, 0.3)], kind: 'pcm16', dataSizeField: 0xffffffff }),
    ],
    ['16 kHz mono 16-bit', buildWav({ sampleRate: 16000, channels: [tone(900, 16000, 0.3)], kind: 'pcm16' })],
    // 16000/44056 reduces to 2000/5507: more phases than the filter table holds.
    ['44.056 kHz (rounded phases)', buildWav({ sampleRate: 44056, channels: [tone(1000, 44056, 0.2)], kind: 'pcm16' })],
  ];

  it.each(inputs)('%s: any chunking gives what whole-file conversion gives', (_name, wav) => {
    const whole = toHarfWav(wav);
    const random = seededRandom(wav.length);
    for (const maxPiece of [1, 3, 50, 4096, wav.length]) {
      const { output } = streamInPieces(wav, random, maxPiece);
      expect(output.subarray(0, 44).equals(wavHeader(16000, 1))).toBe(true);
      expect(output.subarray(44).equals(whole.subarray(44))).toBe(true);
    }
  });

  it('converts into the buffers an allocator gives, one reused buffer giving what fresh ones give', () => {
    const wav = inputs[0][1];
    const shared = Buffer.alloc(64 * 1024);
    const sizes: number[] = [];
    const converter = new WavStreamConverter();
    const out: Buffer[] = [];
    for (let offset = 0; offset < wav.length; offset += 5000) {
      const piece = converter.push(wav.subarray(offset, offset + 5000), (size) => {
        sizes.push(size);
        return shared.subarray(0, size);
      });
      // Copied before the next push writes over the shared buffer.
      out.push(Buffer.from(piece));
      if (offset > 0) expect(piece.buffer).toBe(shared.buffer);
    }
    out.push(converter.end());
    expect(sizes.length).toBeGreaterThan(5);
    expect(Buffer.concat(out).subarray(44).equals(toHarfWav(wav).subarray(44))).toBe(true);
  });

  it('starts its output with a streaming header (sizes 0xFFFFFFFF)', () => {
    const converter = new WavStreamConverter();
    const wav = inputs[0][1];
    const first = converter.push(wav.subarray(0, 100));
    expect(first.toString('latin1', 0, 4)).toBe('RIFF');
    expect(first.readUInt32LE(4)).toBe(0xffffffff);
    expect(first.readUInt32LE(40)).toBe(0xffffffff);
    expect(readWavInfo(first)).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16, streaming: true });
  });

  it('passes 16 kHz mono 16-bit samples through unchanged as they arrive', () => {
    const wav = inputs[4][1];
    const converter = new WavStreamConverter();
    const header = converter.push(wav.subarray(0, 44));
    expect(header.length).toBe(44);
    const piece = converter.push(wav.subarray(44, 1044));
    expect(piece.equals(wav.subarray(44, 1044))).toBe(true);
    const odd = converter.push(wav.subarray(1044, 1045));
    expect(odd.length).toBe(0); // half a sample waits for its other byte
    expect(converter.push(wav.subarray(1045, 1047)).equals(wav.subarray(1044, 1046))).toBe(true);
  });

  it('reports the input header once the samples start', () => {
    const converter = new WavStreamConverter({ targetRate: 8000 });
    const wav = inputs[1][1];
    converter.push(wav.subarray(0, 100));
    expect(converter.info).toBeUndefined();
    converter.push(wav.subarray(100, 300));
    expect(converter.info).toMatchObject({
      audioFormat: 'pcm',
      sampleRate: 48000,
      bitsPerSample: 24,
      dataOffset: 12 + 110 + 48 + 8,
      streaming: false,
    });
    expect(converter.info?.durationSeconds).toBeCloseTo(0.3, 10);
  });

  it('converts to another target rate, equal to toPcm16Mono', () => {
    const wav = inputs[0][1];
    const { output } = streamInPieces(wav, seededRandom(5), 777, new WavStreamConverter({ targetRate: 8000 }));
    expect(output.readUInt32LE(24)).toBe(8000);
    expect(output.subarray(44).equals(toPcm16Mono(wav, 8000).pcm)).toBe(true);
  });

  it('ignores chunks after a sized data chunk', () => {
    const wav = inputs[1][1];
    const { output } = streamInPieces(wav, seededRandom(9), 64);
    expect((output.length - 44) / 2).toBe(Math.ceil((0.3 * 48000 * 16000) / 48000));
  });

  it('refuses a stream that is not WAV as soon as it can tell', () => {
    const converter = new WavStreamConverter();
    expect(converter.push(Buffer.from('OggS\x00\x02'))).toHaveLength(0);
    const error = catchError(() => converter.push(Buffer.alloc(30)));
    expect(error.found).toBe('an OGG file (starts with OggS)');
  });

  it('refuses a stream that ends too early, or has data before fmt', () => {
    const short = new WavStreamConverter();
    short.push(Buffer.from('RIFF'));
    expect(catchError(() => short.end()).found).toBe('only 4 bytes (too short for a WAV header)');

    const headerOnly = new WavStreamConverter();
    headerOnly.push(Buffer.concat([Buffer.from('RIFF\x00\x00\x00\x00WAVE', 'latin1'), chunk('fmt ', fmtBody('pcm16', 8000, 1))]));
    expect(catchError(() => headerOnly.end()).found).toBe('a WAV file that ended after 36 bytes, before its data chunk (truncated?)');

    const backwards = new WavStreamConverter();
    const wav = Buffer.concat([
      Buffer.from('RIFF\x00\x00\x00\x00WAVE', 'latin1'),
      chunk('data', Buffer.alloc(4)),
      chunk('fmt ', fmtBody('pcm16', 8000, 1)),
    ]);
    expect(catchError(() => backwards.push(wav)).found).toBe('a WAV file whose data chunk comes before its fmt chunk');
  });

  it('keeps its buffers bounded over a long stream', () => {
    const rate = 44100;
    const converter = new WavStreamConverter();
    const header = buildWav({
      sampleRate: rate,
      channels: [new Float64Array(0), new Float64Array(0)],
      kind: 'pcm16',
      dataSizeField: 0xffffffff,
    });
    converter.push(header);
    const second = buildWav({ sampleRate: rate, channels: [tone(1000, rate, 1), tone(1000, rate, 1)], kind: 'pcm16' }).subarray(44);
    const internals = converter as unknown as { converter: { resampler: { history: Float32Array }; partialLength: number } };
    let produced = 0;
    let historyAfterWarmUp = 0;
    for (let i = 0; i < 20; i++) {
      produced += converter.push(second).length;
      if (i === 2) historyAfterWarmUp = internals.converter.resampler.history.length;
    }
    // The same room serves the 3rd second and the 20th: nothing accumulates.
    expect(internals.converter.resampler.history.length).toBe(historyAfterWarmUp);
    expect(historyAfterWarmUp).toBeLessThanOrEqual(4 * rate);
    expect(internals.converter.partialLength).toBeLessThan(4);
    produced += converter.end().length;
    expect(produced).toBe(20 * 16000 * 2);
  });
});

describe('the resampler', () => {
  /** Converts the samples through one PcmConverter, in pieces of `piece` bytes. */
  function convertWith(wav: Buffer, piece = Infinity, targetRate = 16000): Float64Array {
    const info = readWavInfo(wav);
    const converter = new PcmConverter(info, targetRate);
    const data = wav.subarray(info.dataOffset, info.dataOffset + info.dataLength);
    const out: Buffer[] = [];
    for (let offset = 0; offset < data.length; offset += piece) out.push(converter.push(data.subarray(offset, offset + piece)));
    out.push(converter.end());
    return readPcm16(Buffer.concat(out));
  }

  it.each([44100, 48000, 96000, 22050, 8000, 44056])('%d Hz: gives ceil(n × 16000 / rate) samples, full of the signal', (rate) => {
    const random = seededRandom(rate);
    const noise = Float64Array.from({ length: Math.round(rate * 0.25) }, () => 0.9 * (random() * 2 - 1));
    const wav = buildWav({ sampleRate: rate, channels: [noise, tone(1000, rate, 0.25, 0.9)], kind: 'pcm16' });
    const loop = convertWith(wav);
    expect(loop.length).toBe(Math.ceil((noise.length * 16000) / rate));
    expect(rms(loop)).toBeGreaterThan(0.3);
  });

  it.each([
    [48000, 12000],
    [44100, 20000],
    [44056, 9000],
  ])('a tone above 8 kHz at %d Hz (%d Hz) is attenuated by at least 40 dB', (rate, frequency) => {
    const samples = middle(convertWith(buildWav({ sampleRate: rate, channels: [tone(frequency, rate, 1, 0.5)], kind: 'float32' })), 16000);
    expect(goertzel(samples, 16000, Math.abs(16000 - (frequency % 16000)) % 16000)).toBeLessThan(0.005);
    expect(rms(samples) * Math.SQRT2).toBeLessThan(0.005);
  });

  it.each([44100, 44056, 8000])('keeps a 1 kHz tone from %d Hz within 2%%', (rate) => {
    const samples = middle(convertWith(buildWav({ sampleRate: rate, channels: [tone(1000, rate, 1, 0.5)], kind: 'pcm16' })), 16000);
    expect(goertzel(samples, 16000, 1000)).toBeGreaterThan(0.49);
    expect(goertzel(samples, 16000, 1000)).toBeLessThan(0.51);
    expect(zeroCrossingFrequency(samples, 16000)).toBeCloseTo(1000, -1);
  });

  it.each([1, 2])('16-bit PCM, %d channel(s): pieces at odd and even offsets give the same samples as the whole', (count) => {
    const channels = Array.from({ length: count }, (_, c) => tone(700 + 400 * c, 44100, 0.2, 0.8));
    const wav = buildWav({ sampleRate: 44100, channels, kind: 'pcm16' });
    const whole = convertWith(wav);
    expect(rms(whole)).toBeGreaterThan(0.2);
    for (const piece of [1, 3, 4095, 4096]) expect([...convertWith(wav, piece)]).toEqual([...whole]);
  });

  it('pieces of any size give the same samples as the whole', () => {
    const wav = buildWav({ sampleRate: 44056, channels: [tone(700, 44056, 0.2), tone(300, 44056, 0.2)], kind: 'pcm24' });
    const whole = convertWith(wav);
    for (const piece of [1, 5, 4096]) expect([...convertWith(wav, piece)]).toEqual([...whole]);
  });

  /** A tone through the float resampler: what comes out, in dB of the tone's power. */
  function levelDb(rate: number, frequency: number): number {
    const resampler = new Resampler(rate, 16000);
    const out = Float64Array.from([...resampler.process(tone(frequency, rate, 0.5, 0.5)), ...resampler.flush()]);
    return 20 * Math.log10((rms(middle(out, 16000)) * Math.SQRT2) / 0.5);
  }

  it.each([44100, 48000])('Resampler from %d Hz: 87 dB down from 8.1 kHz (no alias), within 1 dB up to 6 kHz', (rate) => {
    const stopband = [8100, 8150, 8200, 8300, 8500, 9000, 10000, 11000, 12000, 14000, 17000, 20000];
    // Every tone that would fold into the output's band, named with its level when it is not far enough down.
    expect(stopband.map((f) => [f, levelDb(rate, f)]).filter(([, db]) => db >= -87)).toEqual([]);
    for (const frequency of [1000, 3000, 5000, 6000]) expect(Math.abs(levelDb(rate, frequency))).toBeLessThan(1);
    // The band edge the filter's length was traded for: about 6.6 kHz at half power.
    expect(levelDb(rate, 6500)).toBeGreaterThan(-6);
    expect(levelDb(rate, 7000)).toBeLessThan(-6);
  });

  it.each([
    [16001, 16000],
    [44101, 16000],
    [48000, 44101],
  ])('%d Hz to %d Hz (over 1024 phases): each output takes the nearest stored phase', (from, to) => {
    // A slow ramp comes out as the ramp at each output's time, off by the phase it was rounded to:
    // at most half of 1/1024 of a sample (rounding down instead would be off by up to a whole 1/1024).
    const step = 1e-5;
    const resampler = new Resampler(from, to);
    const ramp = Float64Array.from({ length: 40000 }, (_, n) => n * step);
    const out = [...resampler.process(ramp), ...resampler.flush()];
    const errors = out.slice(200, -200).map((value, k) => value / step - ((k + 200) * from) / to);
    expect(Math.max(...errors.map(Math.abs))).toBeLessThan(0.7 / 1024);
    expect(Math.abs(errors.reduce((sum, error) => sum + error, 0) / errors.length)).toBeLessThan(0.1 / 1024);
  });

  it('Resampler takes and gives floats too, in pieces or whole alike', () => {
    const input = tone(1000, 48000, 0.5, 0.5);
    const whole = new Resampler(48000, 16000);
    const expected = Float64Array.from([...whole.process(input), ...whole.flush()]);
    expect(expected.length).toBe(8000);
    const pieces = new Resampler(48000, 16000);
    const got: number[] = [];
    for (let offset = 0; offset < input.length; offset += 777) got.push(...pieces.process(input.subarray(offset, offset + 777)));
    got.push(...pieces.flush());
    expect(got).toEqual([...expected]);
    expect(goertzel(middle(expected, 16000), 16000, 1000)).toBeCloseTo(0.5, 2);
  });
});
