import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BadInputError } from '../../../lib/errors';
import { AudioStreamConverter, audioKindOf, decodeToPcm16, detectAudio, readWavInfo } from '../../../lib/audio';
import { buildWav, readPcm16, rms, tone } from '../../fixtures/audio/wav-builder';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'audio');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

// Made by scripts/make-audio-fixtures.sh: three seconds of speech each.
const ENCODED = [
  { file: 'voice-note.ogg', kind: 'ogg-opus', rate: 48000, channels: 1 },
  { file: 'speech.mp3', kind: 'mp3', rate: 22050, channels: 2 },
  { file: 'speech.flac', kind: 'flac', rate: 8000, channels: 1 },
  { file: 'speech-vorbis.ogg', kind: 'ogg-vorbis', rate: 44100, channels: 2 },
] as const;

async function rejection(promise: Promise<unknown>): Promise<BadInputError> {
  try {
    await promise;
  } catch (error) {
    return error as BadInputError;
  }
  throw new Error('expected a rejection');
}

describe('recognising audio by its bytes', () => {
  test.each(ENCODED)('$file is $kind, whatever it is called', ({ file, kind }) => {
    expect(detectAudio(fixture(file))).toEqual({ kind });
  });

  test('a WAV is a WAV; a short stream start asks for more bytes', () => {
    const wav = buildWav({ sampleRate: 16000, channels: [tone(440, 16000, 0.1)], kind: 'pcm16' });
    expect(detectAudio(wav)).toEqual({ kind: 'wav' });
    expect(detectAudio(fixture('voice-note.ogg').subarray(0, 20), false)).toEqual({ kind: 'need-more' });
    expect(detectAudio(Buffer.from('RIF'), false)).toEqual({ kind: 'need-more' });
  });

  test.each([
    ['M4A', Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A isomiso2'), Buffer.alloc(64)]), /MP4\/M4A file/],
    ['WebM', Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(64)]), /WebM\/Matroska/],
    ['AMR', Buffer.concat([Buffer.from('#!AMR\n'), Buffer.alloc(64)]), /AMR file/],
    ['AAC (ADTS)', Buffer.concat([Buffer.from([0xff, 0xf1, 0x50, 0x80]), Buffer.alloc(64)]), /AAC \(ADTS\)/],
  ])('%s is refused, naming it, what is accepted and Upload File', (_name, bytes, found) => {
    const error = (() => {
      try {
        audioKindOf(bytes);
      } catch (caught) {
        return caught as BadInputError;
      }
      throw new Error('expected a throw');
    })();
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.found).toMatch(found);
    expect(error.message).toMatch(/OGG\/Opus/);
    expect(error.message).toMatch(/MP3/);
    expect(error.message).toMatch(/Upload File/);
  });
});

describe('decoding to 16 kHz mono 16-bit PCM', () => {
  test.each(ENCODED)('$file decodes to three seconds of sound', async ({ file, kind, rate, channels }) => {
    const decoded = await decodeToPcm16(fixture(file), 16000);
    expect(decoded.kind).toBe(kind);
    expect(decoded.sampleRate).toBe(rate);
    expect(decoded.channels).toBe(channels);
    // MP3 frames carry the encoder's padding (about 50 ms here); the others are sample exact.
    expect(decoded.durationSeconds).toBeGreaterThanOrEqual(2.99);
    expect(decoded.durationSeconds).toBeLessThan(kind === 'mp3' ? 3.1 : 3.01);
    expect(Math.abs(decoded.pcm.length / 2 / 16000 - decoded.durationSeconds)).toBeLessThan(0.01);
    // Speech, not silence: the converted samples carry the voice.
    expect(rms(readPcm16(decoded.pcm, 0))).toBeGreaterThan(0.01);
  });

  test('the stream converter gives the same bytes whatever the chunk sizes, header first', async () => {
    const bytes = fixture('voice-note.ogg');
    const whole = await decodeToPcm16(bytes, 16000);
    const converter = new AudioStreamConverter();
    const out: Buffer[] = [];
    let infoBeforeAudio = true;
    for (let offset = 0, size = 7; offset < bytes.length; offset += size, size = (size * 3) % 1500 || 11) {
      out.push(await converter.push(bytes.subarray(offset, offset + size)));
      if (converter.info === undefined && Buffer.concat(out).length > 0) infoBeforeAudio = false;
    }
    out.push(await converter.end());
    const all = Buffer.concat(out);
    expect(infoBeforeAudio).toBe(true);
    const header = readWavInfo(all);
    expect(header).toMatchObject({ audioFormat: 'pcm', sampleRate: 16000, channels: 1, bitsPerSample: 16, streaming: true });
    expect(all.subarray(44).equals(whole.pcm)).toBe(true);
    expect(converter.info).toMatchObject({ kind: 'ogg-opus', sampleRate: 48000, channels: 1 });
    expect(converter.info?.durationSeconds).toBeCloseTo(3, 2);
  });

  test('a WAV goes through the same converter as before', async () => {
    const wav = buildWav({ sampleRate: 44100, channels: [tone(440, 44100, 0.5), tone(440, 44100, 0.5)], kind: 'pcm24' });
    const decoded = await decodeToPcm16(wav, 16000);
    expect(decoded).toMatchObject({ kind: 'wav', sampleRate: 44100, channels: 2 });
    expect(decoded.durationSeconds).toBeCloseTo(0.5, 5);
    expect(decoded.pcm.length).toBe(8000 * 2);
  });

  test('past maxSeconds the audio is counted, not kept', async () => {
    const decoded = await decodeToPcm16(fixture('speech.flac'), 16000, { maxSeconds: 1 });
    expect(decoded.durationSeconds).toBeCloseTo(3, 2);
    expect(decoded.pcm.length).toBeLessThanOrEqual(16000 * 2 + 2);
  });

  test('an OGG/Opus file cut after its headers has no audio to read', async () => {
    const error = await rejection(decodeToPcm16(fixture('voice-note.ogg').subarray(0, 200), 16000));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.found).toMatch(/OGG\/Opus data with no audio/);
  });

  test('bytes that are no audio are refused by the stream converter before any output', async () => {
    const converter = new AudioStreamConverter();
    const error = await rejection(converter.push(Buffer.from('<html><body>Not found</body></html>'.padEnd(80))));
    expect(error.found).toMatch(/^text/);
    expect(error.message).toMatch(/Upload File/);
  });
});
