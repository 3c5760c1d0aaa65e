import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { convertAudioFile, readWavInfo, toHarfWav } from '../../../lib/audio';
import { buildWav, tone } from '../../fixtures/audio/wav-builder';

describe('convertAudioFile', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'harf-audio-file-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const stereo = buildWav({ sampleRate: 44100, channels: [tone(440, 44100, 2.5), tone(880, 44100, 2.5)], kind: 'pcm16' });

  it('writes from a path what toHarfWav gives, with the sizes in the header', async () => {
    writeFileSync(join(dir, 'in.wav'), stereo);
    const result = await convertAudioFile(join(dir, 'in.wav'), join(dir, 'out.wav'));
    const written = readFileSync(join(dir, 'out.wav'));
    expect(written.equals(toHarfWav(stereo))).toBe(true);
    expect(result.bytes).toBe(written.length);
    expect(readWavInfo(written)).toMatchObject({ sampleRate: 16000, channels: 1, streaming: false, durationSeconds: 2.5 });
    expect(result.info).toMatchObject({ kind: 'wav', sampleRate: 44100, channels: 2 });
  });

  it('reads a path longer than its read pieces, frames split across them, as toHarfWav converts it whole', async () => {
    // 6-byte frames: the 1 MiB pieces end inside a frame; the buffers reused for later pieces must not change earlier output.
    const long = buildWav({ sampleRate: 48000, channels: [tone(440, 48000, 8), tone(3000, 48000, 8)], kind: 'pcm24' });
    writeFileSync(join(dir, 'in.wav'), long);
    await convertAudioFile(join(dir, 'in.wav'), join(dir, 'out.wav'));
    expect(readFileSync(join(dir, 'out.wav')).equals(toHarfWav(long))).toBe(true);
  });

  it('takes a stream in pieces of any size, at another rate', async () => {
    const pieces = Array.from({ length: Math.ceil(stereo.length / 1000) }, (_, i) => stereo.subarray(i * 1000, (i + 1) * 1000));
    await convertAudioFile(Readable.from(pieces), join(dir, 'out.wav'), { targetRate: 8000 });
    expect(readWavInfo(readFileSync(join(dir, 'out.wav')))).toMatchObject({ sampleRate: 8000, durationSeconds: 2.5 });
  });

  it('refuses what is not audio, naming what it is', async () => {
    writeFileSync(join(dir, 'in.txt'), 'hello, this is text');
    await expect(convertAudioFile(join(dir, 'in.txt'), join(dir, 'out.wav'))).rejects.toMatchObject({
      field: 'audio',
      found: expect.stringContaining('text'),
    });
  });
});
