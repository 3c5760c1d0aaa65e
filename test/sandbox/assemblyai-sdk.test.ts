/**
 * AssemblyAI's own JavaScript SDK (`assemblyai`, pinned) as the judge of the sandbox: every call it
 * makes gets the answer its types describe, and every refusal becomes the error it documents
 * (`SyncTranscriptError` with `status`, `errorCode`, `retryAfter`).
 */
import { Readable } from 'node:stream';
import { AssemblyAI, SyncTranscriptError, type SyncTranscriptResponse } from 'assemblyai';
import { startSandbox, type Sandbox, type SyncRequestRecord } from '../../sandbox';
import { wav } from '../support/wav';

let sandbox: Sandbox;
let client: AssemblyAI;

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 0 });
  client = new AssemblyAI({ apiKey: sandbox.assemblyAiKey, syncBaseUrl: sandbox.url });
});
afterEach(() => sandbox.faults.clear());
afterAll(() => sandbox.close());

const lastRequest = (): SyncRequestRecord => sandbox.syncRequests[sandbox.syncRequests.length - 1];

async function refusal(promise: Promise<unknown>): Promise<SyncTranscriptError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SyncTranscriptError);
    return error as SyncTranscriptError;
  }
  throw new Error('expected a SyncTranscriptError');
}

/** Chunks of `bytes`, one every `delayMs`, as a recorder would hand them over. */
async function* recorded(bytes: Buffer, size: number, delayMs = 0): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    yield bytes.subarray(at, at + size);
  }
}

function expectTranscript(result: SyncTranscriptResponse, durationMs: number, timestamps: boolean): void {
  expect(result.text).toEqual(expect.any(String));
  expect(result.text.split(' ').length).toBe(result.words.length);
  expect(result.audio_duration_ms).toBe(durationMs);
  expect(result.session_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(result.confidence).toBeGreaterThan(0);
  for (const word of result.words) {
    expect(Object.keys(word).sort()).toEqual(timestamps ? ['confidence', 'end', 'start', 'text'] : ['confidence', 'text']);
  }
}

describe('sync.transcribe', () => {
  test('a mono WAV: one chunked request to /v1/transcribe/live, config {} first, then the audio as audio/wav', async () => {
    const audio = wav(16000, 1);
    const result = await client.sync.transcribe(audio);
    expectTranscript(result, 1000, false);
    const request = lastRequest();
    expect(request.wire).toMatchObject({
      method: 'POST',
      path: '/v1/transcribe/live',
      authorization: 'right',
      model: 'universal-3-5-pro',
      contentType: 'multipart/form-data',
      transferEncoding: 'chunked',
      parts: [
        { name: 'config', contentType: 'application/json' },
        { name: 'audio', contentType: 'audio/wav', filename: 'audio.wav' },
      ],
      configKeys: [],
    });
    expect(request.wire.contentLength).toBeUndefined();
    expect(request.audio?.bytes.equals(audio)).toBe(true);
  });

  test('a stereo 44.1 kHz WAV with timestamps: every word has its start and end in ms', async () => {
    const result = await client.sync.transcribe(wav(44100, 2.5, 2), { timestamps: true });
    expectTranscript(result, 2500, true);
    const last = result.words[result.words.length - 1];
    expect(last.end).toBeLessThanOrEqual(2500);
    expect(result.words[0].start).toBe(0);
    expect(lastRequest().config).toEqual({ timestamps: true });
  });

  test('raw PCM with its rate and channels: sent as audio/pcm, its length read from the config', async () => {
    const pcm = wav(8000, 3, 2).subarray(44);
    const result = await client.sync.transcribe(pcm, { sample_rate: 8000, channels: 2, timestamps: false });
    expectTranscript(result, 3000, false);
    expect(lastRequest().wire.parts[1]).toEqual({ name: 'audio', contentType: 'audio/pcm', filename: 'audio.pcm' });
    expect(lastRequest().config).toEqual({ sample_rate: 8000, channels: 2, timestamps: false });
  });

  test('languages, key terms and a prompt reach the service; the first key term is heard', async () => {
    const result = await client.sync.transcribe(wav(16000, 2), {
      language_codes: ['en', 'fa'],
      keyterms_prompt: ['  Stella ', '', 'Harf'],
      prompt: 'a shopping list',
      model: 'universal-2',
    });
    expect(result.words[0].text).toBe('Stella');
    expect(lastRequest().model).toBe('universal-2');
    expect(lastRequest().config).toEqual({ prompt: 'a shopping list', keyterms_prompt: ['Stella', 'Harf'], language_codes: ['en', 'fa'] });
    expect(lastRequest().wire.configKeys).toEqual(['prompt', 'keyterms_prompt', 'language_codes']);
  });

  test('the same audio gives the same words', async () => {
    const audio = wav(22050, 1.5);
    const [a, b] = [await client.sync.transcribe(audio), await client.sync.transcribe(audio)];
    expect(a.text).toBe(b.text);
    expect(a.session_id).not.toBe(b.session_id);
  });
});

describe('audio still being recorded', () => {
  test('transcribeLive from a stream of chunks: the audio arrives whole, its length is the recording', async () => {
    const pcm = wav(16000, 4).subarray(44);
    const result = await client.sync.transcribeLive(Readable.from(recorded(pcm, 3200, 5)), {
      sample_rate: 16000,
      channels: 1,
      timestamps: true,
    });
    expectTranscript(result, 4000, true);
    expect(lastRequest().audio?.bytes.equals(pcm)).toBe(true);
    expect(lastRequest().wire.transferEncoding).toBe('chunked');
  });

  test('openLive: chunks written from a callback, then close(); result() is the transcript', async () => {
    const audio = wav(16000, 2);
    const session = client.sync.openLive();
    for await (const chunk of recorded(audio, 4096, 2)) session.write(chunk);
    session.close();
    const result = await session.result();
    expectTranscript(result, 2000, false);
    expect(lastRequest().wire.parts.map((part) => part.name)).toEqual(['config', 'audio']);
    expect(lastRequest().audio?.bytes.equals(audio)).toBe(true);
  });

  test('a wrong key is refused at once: the upload stops although the recording never ends', async () => {
    const wrong = new AssemblyAI({ apiKey: 'not-the-key', syncBaseUrl: sandbox.url });
    async function* endless(): AsyncGenerator<Buffer> {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        yield Buffer.alloc(3200);
      }
    }
    const error = await refusal(wrong.sync.transcribeLive(endless(), { sample_rate: 16000, channels: 1 }, { timeout: 10_000 }));
    expect(error).toMatchObject({ status: 401, message: 'Invalid API key' });
    expect(lastRequest().wire.authorization).toBe('wrong');
  });
});

describe('warm', () => {
  test('answers, so the SDK reports the connection open; a closed port does not', async () => {
    expect(await client.sync.warm()).toBe(true);
    const closed = await startSandbox();
    const url = closed.url;
    await closed.close();
    expect(await new AssemblyAI({ apiKey: 'k', syncBaseUrl: url }).sync.warm()).toBe(false);
  });
});

describe('refusals, as the SDK reports them', () => {
  test('a wrong key: 401 with the service words', async () => {
    const error = await refusal(new AssemblyAI({ apiKey: 'nope', syncBaseUrl: sandbox.url }).sync.transcribe(wav(16000, 1)));
    expect(error).toMatchObject({ status: 401, message: 'Invalid API key' });
    expect(error.message).not.toMatch(/credentials were not provided/);
  });

  test('over 120 s: 400 bad_audio naming the length', async () => {
    const error = await refusal(client.sync.transcribe(wav(8000, 121)));
    expect(error).toMatchObject({ status: 400, errorCode: 'bad_audio' });
    expect(error.message).toMatch(/120 s/);
  });

  test('under 80 ms: 400 audio_too_short', async () => {
    const error = await refusal(client.sync.transcribe(wav(16000, 0.05)));
    expect(error).toMatchObject({ status: 400, errorCode: 'audio_too_short' });
    expect(error.message).toMatch(/50 ms/);
  });

  test('bytes that are not audio: 400 bad_audio', async () => {
    const error = await refusal(client.sync.transcribe(Buffer.from('this is a text file, not a recording\n'.repeat(50))));
    expect(error).toMatchObject({ status: 400, errorCode: 'bad_audio' });
  });

  test('an unsupported sample rate: 400 bad_audio naming it', async () => {
    const error = await refusal(client.sync.transcribe(wav(11025, 1)));
    expect(error).toMatchObject({ status: 400, errorCode: 'bad_audio', message: expect.stringMatching(/11025 Hz/) });
  });

  test('over-cap prompt and key terms are refused by the SDK before sending', async () => {
    const before = sandbox.syncRequests.length;
    await expect(client.sync.transcribe(wav(16000, 1), { prompt: 'x'.repeat(6001) })).rejects.toThrow(/prompt exceeds 6000/);
    const terms = Array.from({ length: 101 }, (_, i) => `term${i}`);
    await expect(client.sync.transcribe(wav(16000, 1), { keyterms_prompt: terms })).rejects.toThrow(/keyterms_prompt exceeds 100 terms/);
    expect(sandbox.syncRequests.length).toBe(before);
  });
});

describe('the error body forms the service sends, each read by the SDK', () => {
  const path = '/v1/transcribe/live';
  test.each([
    ['code-message', { message: 'Audio could not be decoded', errorCode: 'bad_audio' }],
    ['error-code', { message: 'Audio could not be decoded', errorCode: 'bad_audio' }],
    ['problem', { message: 'Audio could not be decoded', errorCode: 'bad_audio' }],
    ['detail', { message: 'Audio could not be decoded', errorCode: undefined }],
    ['error', { message: 'Audio could not be decoded', errorCode: undefined }],
    ['text', { message: 'Audio could not be decoded', errorCode: undefined }],
    // A list of field errors has no message the SDK reads: it says the status.
    ['detail-list', { message: 'sync transcription failed with status 400', errorCode: undefined }],
  ] as const)('%s', async (form, expected) => {
    sandbox.faults.add({ type: 'status', status: 400, path, form, code: 'bad_audio', message: 'Audio could not be decoded' });
    const error = await refusal(client.sync.transcribe(wav(16000, 1)));
    expect(error.status).toBe(400);
    expect(error.message).toBe(expected.message);
    expect(error.errorCode).toBe(expected.errorCode);
  });

  test('429 and 503 carry Retry-After', async () => {
    sandbox.faults.add({
      type: 'status',
      status: 429,
      path,
      retryAfter: 7,
      form: 'problem',
      code: 'Too Many Requests',
      message: 'Slow down',
    });
    const limited = await refusal(client.sync.transcribe(wav(16000, 1)));
    expect(limited).toMatchObject({ status: 429, retryAfter: 7, errorCode: 'too_many_requests', message: 'Slow down' });
    sandbox.faults.add({ type: 'status', status: 503, path, retryAfter: 2, form: 'code-message' });
    const busy = await refusal(client.sync.transcribe(wav(16000, 1)));
    expect(busy).toMatchObject({ status: 503, retryAfter: 2, errorCode: 'capacity_exceeded' });
  });
});
