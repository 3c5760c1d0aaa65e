import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startSandbox } from '../../../sandbox';
import { transcribeLive } from '../../../lib/harf';
import { BadInputError } from '../../../lib/errors';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;
const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'audio', name));

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 0 });
});
afterAll(() => sandbox.close());

/** A stream that hands the bytes on in small pieces, as a download or a chat app would. */
function trickle(bytes: Buffer, size: number): Readable {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
  return Readable.from(pieces);
}

test.each([
  ['voice-note.ogg', 0],
  ['speech.mp3', 3000],
  ['speech.flac', 0],
  ['speech-vorbis.ogg', 0],
])('%s streams to Harf as 16 kHz mono 16-bit frames, about three seconds of them', async (name, extraBytes) => {
  const before = sandbox.liveSessions.length;
  const result = await transcribeLive(trickle(fixture(name), 1000), { token: sandbox.token, baseUrl: sandbox.url });
  const session = sandbox.liveSessions[before];
  expect(session.header).toEqual({ audioFormat: 'pcm', sampleRate: 16000, channels: 1, bitsPerSample: 16 });
  // 3 s at 16 kHz, 16-bit is 96000 bytes; MP3 frames add the encoder's padding.
  expect(session.audioBytes).toBeGreaterThanOrEqual(96000 - 64);
  expect(session.audioBytes).toBeLessThanOrEqual(96000 + 64 + extraBytes);
  expect(session.frames.slice(0, -1).every((size) => size === 32000)).toBe(true);
  expect(result.frames).toBe(session.frames.length);
});

test('a WebM recording is refused before connecting, naming it and Upload File', async () => {
  const before = sandbox.liveSessions.length;
  const webm = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(4000)]);
  const error = (await transcribeLive(webm, { token: sandbox.token, baseUrl: sandbox.url }).catch((e: unknown) => e)) as BadInputError;
  expect(error).toBeInstanceOf(BadInputError);
  expect(error.found).toMatch(/WebM/);
  expect(error.message).toMatch(/Upload File/);
  expect(sandbox.liveSessions.length).toBe(before);
});
