import { startSandbox } from '../../../sandbox';
import { AssemblyAiClient, checkShortAudioSize, MAX_WAV_BYTES, type ShortAudioOptions } from '../../../lib/assemblyai';
import { AuthenticationError, BadInputError, RequestRejectedError, UnexpectedResponseError } from '../../../lib/errors';
import { enrichFileResult, shapeOutput } from '../../../lib/transcript';
import { wav } from '../../support/wav';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;
let client: AssemblyAiClient;

beforeAll(async () => {
  sandbox = await startSandbox({});
  client = new AssemblyAiClient({ apiKey: sandbox.assemblyAiKey, baseUrl: sandbox.url, retry: { minDelayMs: 5 } });
});
afterAll(() => sandbox.close());

/** These tests are about the legacy /v2/stream endpoint; the Sync API has its own file. */
function legacy(audio: Buffer, options: ShortAudioOptions = {}, through: AssemblyAiClient = client) {
  return through.transcribeShortAudio(audio, { endpoint: 'legacy', ...options });
}

it('converts a 44.1 kHz stereo WAV to 8 kHz mono PCM and maps the answer onto the Harf shape', async () => {
  const result = await legacy(wav(44100, 4, 2), { filename: 'note.wav' });
  // The API's own fields, as sent.
  expect(result.status).toBe('completed');
  expect(typeof result.id).toBe('string');
  expect(result.words.length).toBeGreaterThan(3);
  expect(result.words[0]).toEqual(expect.objectContaining({ text: expect.any(String), confidence: expect.any(Number) }));
  // The Harf shape beside them.
  expect(result.media_url).toBe('note.wav');
  expect(result.duration).toMatch(/^0:00:0[34]/);
  const uncertain = result.words.filter((w) => w.confidence < 0.5).length;
  expect(result.stats).toEqual({ words: result.words.length, known_words: result.words.length - uncertain });
  const joined = result.segments.map((s) => s.text).join(' ');
  expect(joined.replace(/[[\]]/g, '')).toBe(result.words.map((w) => w.text).join(' '));
  expect((joined.match(/\[/g) ?? []).length).toBe(uncertain);
  // The sandbox computed the length from the raw PCM at 8 kHz: 4 s is 64000 bytes.
  const request = sandbox.log.filter((e) => e.path === '/v2/stream').pop();
  expect(request?.status).toBe(200);
});

it('uses the threshold to decide what needs review, through the shared output shape', async () => {
  const strict = await legacy(wav(16000, 3), { uncertainBelow: 0.95 });
  const file = enrichFileResult(strict);
  expect(file.uncertain_count).toBe(strict.words.filter((w) => w.confidence < 0.95).length);
  expect(file.uncertain_count).toBeGreaterThan(0);
  const lenient = await legacy(wav(16000, 3), { uncertainBelow: 0 });
  const { review } = shapeOutput([enrichFileResult(lenient)], { output: 'segment', splitUncertain: true });
  expect(review).toHaveLength(0);
});

it('refuses audio of 15 s or more with its length, suggesting Harf for long audio', async () => {
  const before = sandbox.log.length;
  const error = (await legacy(wav(8000, 16)).catch((e: unknown) => e)) as BadInputError;
  expect(error).toBeInstanceOf(BadInputError);
  expect(error.message).toContain('16.0 seconds');
  expect(error.message).toMatch(/Harf's Upload File/);
  await expect(legacy(wav(8000, 15))).rejects.toThrow(/15.0 seconds of audio, expected audio under 15 seconds/);
  expect(sandbox.log.length).toBe(before);
  await expect(legacy(wav(8000, 14.9))).resolves.toMatchObject({ status: 'completed' });
});

it('refuses what is not WAV and a bad sample rate, by name', async () => {
  await expect(legacy(Buffer.from('ID3\u0004 not a wav at all'))).rejects.toMatchObject({ field: 'audio' });
  await expect(legacy(wav(8000, 1), { sampleRate: 1234 })).rejects.toMatchObject({ field: 'sampleRate' });
});

it('says the API key was refused, without showing it', async () => {
  const secret = 'aai-wrong-key-93b1';
  const wrong = new AssemblyAiClient({ apiKey: secret, baseUrl: sandbox.url });
  const error = (await legacy(wav(8000, 1), {}, wrong).catch((e: unknown) => e)) as AuthenticationError;
  expect(error).toBeInstanceOf(AuthenticationError);
  expect(error.message).toMatch(/AssemblyAI refused the API key/);
  expect(JSON.stringify({ m: error.message, b: error.body, s: error.stack })).not.toContain(secret);
});

it('passes on the endpoint refusal when the server counts the audio differently', async () => {
  // Sent at 16 kHz while the server assumes 8 kHz: 10 s of audio looks like 20 s to it.
  const error = await legacy(wav(16000, 10), { sampleRate: 16000 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RequestRejectedError);
  expect((error as Error).message).toMatch(/HTTP 400/);
});

it('sends the audio again after a 503 but never after a 502 or a lost connection: each send is a billed job', async () => {
  const audio = wav(8000, 1);
  const sends = () => sandbox.log.filter((entry) => entry.path === '/v2/stream').length;
  const before = sends();
  sandbox.faults.add({ type: 'status', status: 503, path: '/v2/stream' });
  await expect(legacy(audio)).resolves.toMatchObject({ status: 'completed' });
  expect(sends() - before).toBe(2);
  sandbox.faults.add({ type: 'html', status: 502, path: '/v2/stream', times: 3 });
  await expect(legacy(audio)).rejects.toMatchObject({ name: 'ServerError', status: 502, jobMayHaveStarted: true });
  expect(sends() - before).toBe(3);
  sandbox.faults.clear();
  sandbox.faults.add({ type: 'drop', path: '/v2/stream', passThrough: true, times: 3 });
  await expect(legacy(audio)).rejects.toMatchObject({ name: 'ConnectionError', requestSent: true, jobMayHaveStarted: true });
  expect(sends() - before).toBe(4);
  sandbox.faults.clear();
});

it('names AssemblyAI and the field when its answer is not the documented shape', async () => {
  sandbox.faults.add({
    type: 'status',
    status: 200,
    path: '/v2/stream',
    body: { status: 'completed', text: 'hi', words: [{ text: 'hi', confidence: 'high', start: 0, end: 300 }] },
  });
  const error = (await legacy(wav(8000, 1)).catch((e: unknown) => e)) as UnexpectedResponseError;
  expect(error).toBeInstanceOf(UnexpectedResponseError);
  expect(error.service).toBe('assemblyai');
  expect(error.field).toBe('words[0].confidence');
  expect(error.message).toMatch(
    /^AssemblyAI's answer to the short-audio transcription is not the documented shape: words\[0\]\.confidence should be a number, found "high"/,
  );
  expect(error.message).not.toMatch(/Harf/);
});

it('refuses, by its size alone, a file too large to be short audio, naming where it came from', () => {
  expect(() => checkShortAudioSize(MAX_WAV_BYTES, 'data')).not.toThrow();
  expect(() => checkShortAudioSize(undefined, 'data')).not.toThrow();
  expect(() => checkShortAudioSize(300 * 1024 * 1024, 'data')).toThrow(
    /^Invalid data: found a file of 300 MB, expected audio of at most 120 seconds \(the legacy endpoint: under 15\); send longer audio with Harf's Upload File$/,
  );
});

test('the legacy endpoint refuses a WAV with no samples before sending, as the Sync API does', async () => {
  const before = sandbox.log.length;
  const headerOnly = wav(16000, 1).subarray(0, 44);
  headerOnly.writeUInt32LE(0, 40);
  const error = await legacy(Buffer.from(headerOnly)).then(
    () => new Error('it resolved'),
    (e: Error) => e,
  );
  expect(error).toBeInstanceOf(BadInputError);
  expect(error.message).toMatch(/no audio samples \(0 seconds\)/);
  expect(sandbox.log.length).toBe(before);
});
