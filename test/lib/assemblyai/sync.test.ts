import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startSandbox } from '../../../sandbox';
import { AssemblyAiClient, DEFAULT_SYNC_MODEL, SYNC_BASE_URLS } from '../../../lib/assemblyai';
import { AuthenticationError, BadInputError, RateLimitError, RequestRejectedError, ServerError } from '../../../lib/errors';
import { buildWav, tone } from '../../fixtures/audio/wav-builder';
import { failure } from '../../support/failure';
import { recordingHeader, wav } from '../../support/wav';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;
let client: AssemblyAiClient;
const voiceNote = readFileSync(join(__dirname, '..', '..', 'fixtures', 'audio', 'voice-note.ogg'));

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 0 });
  client = new AssemblyAiClient({ apiKey: sandbox.assemblyAiKey, syncBaseUrl: sandbox.url, retry: { minDelayMs: 5 } });
});
afterEach(() => sandbox.faults.clear());
afterAll(() => sandbox.close());

const lastRequest = () => sandbox.syncRequests[sandbox.syncRequests.length - 1];
const sends = () => sandbox.log.filter((entry) => entry.path === '/v1/transcribe/live').length;

describe('the Sync API is the default', () => {
  test('the client defaults to the documented hosts', () => {
    const plain = new AssemblyAiClient({ apiKey: 'k' });
    expect(plain.syncBaseUrl).toBe('https://sync.assemblyai.com');
    expect(SYNC_BASE_URLS).toEqual({
      default: 'https://sync.assemblyai.com',
      us: 'https://sync.us.assemblyai.com',
      eu: 'https://sync.eu.assemblyai.com',
    });
  });

  test('a WAV that already fits is sent as it is, with the model header and the config part', async () => {
    const audio = wav(16000, 3);
    const result = await client.transcribeShortAudio(audio, { filename: 'note.wav' });
    const request = lastRequest();
    expect(request.status).toBe(200);
    expect(request.model).toBe(DEFAULT_SYNC_MODEL);
    // As AssemblyAI's SDK 4.41 sends it: the live route, config first, chunked.
    expect(request.wire).toMatchObject({
      method: 'POST',
      path: '/v1/transcribe/live',
      authorization: 'right',
      contentType: 'multipart/form-data',
      transferEncoding: 'chunked',
    });
    expect(request.parts).toEqual(['config', 'audio']);
    expect(request.audio?.contentType).toBe('audio/wav');
    expect(request.audio?.bytes.equals(audio)).toBe(true);
    expect(request.config).toEqual({ timestamps: true });
    // The answer's own fields, and Harf's shape beside them.
    expect(result.session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.audio_duration_ms).toBe(3000);
    expect(result.media_url).toBe('note.wav');
    expect(result.duration).toBe('0:00:03');
    expect(result.words.every((word) => typeof word.start === 'number' && word.end > word.start)).toBe(true);
    expect(result.words[result.words.length - 1].end).toBeLessThanOrEqual(3000);
    const joined = result.segments.map((segment) => segment.text).join(' ');
    expect(joined.replace(/[[\]]/g, '')).toBe(result.words.map((word) => word.text).join(' '));
    const uncertain = result.words.filter((word) => word.confidence < 0.5).length;
    expect(result.stats).toEqual({ words: result.words.length, known_words: result.words.length - uncertain });
  });

  test('a 44.1 kHz stereo 16-bit WAV fits too and goes as it is, without rate or channels in the config', async () => {
    const audio = wav(44100, 1, 2);
    await client.transcribeShortAudio(audio);
    expect(lastRequest().audio?.bytes.equals(audio)).toBe(true);
    expect(lastRequest().audio?.contentType).toBe('audio/wav');
    expect(lastRequest().config).toEqual({ timestamps: true });
  });

  test('a WAV that does not fit (24-bit, 11025 Hz) is converted to 16 kHz mono 16-bit raw PCM as it is sent', async () => {
    const audio = buildWav({ sampleRate: 11025, channels: [tone(300, 11025, 2), tone(500, 11025, 2)], kind: 'pcm24' });
    const result = await client.transcribeShortAudio(audio);
    const request = lastRequest();
    expect(request.audio?.contentType).toBe('audio/pcm');
    expect(request.audio?.bytes.length).toBe(64000);
    expect(request.config).toEqual({ timestamps: true, sample_rate: 16000, channels: 1 });
    expect(result.duration).toBe('0:00:02');
  });

  test('a Telegram voice note (OGG/Opus) is decoded and streamed as 16 kHz mono raw PCM', async () => {
    const result = await client.transcribeShortAudio(voiceNote, { filename: 'voice.ogg' });
    const request = lastRequest();
    expect(request.audio?.filename).toBe('voice.pcm');
    expect(request.audio?.contentType).toBe('audio/pcm');
    expect(request.config).toMatchObject({ sample_rate: 16000, channels: 1 });
    expect((request.audio?.bytes as Buffer).length / 32000).toBeCloseTo(3, 2);
    expect(request.wire.transferEncoding).toBe('chunked');
    expect(result.audio_duration_ms).toBe(3000);
    expect(result.duration).toBe('0:00:03');
    expect(result.media_url).toBe('voice.ogg');
  });

  test('model, languages, key terms and prompt reach the service', async () => {
    const result = await client.transcribeShortAudio(wav(8000, 2), {
      model: 'universal-2',
      languages: ['en', 'fa'],
      keyTerms: ['Stella', ' AssemblyAI '],
      prompt: 'A voice note about shopping',
    });
    expect(lastRequest().model).toBe('universal-2');
    expect(lastRequest().config).toEqual({
      timestamps: true,
      language_codes: ['en', 'fa'],
      keyterms_prompt: ['Stella', 'AssemblyAI'],
      prompt: 'A voice note about shopping',
    });
    // The sandbox "hears" the first key term.
    expect(result.words[0].text).toBe('Stella');
  });

  test('options are checked by name before anything is sent', async () => {
    const before = sends();
    await expect(client.transcribeShortAudio(wav(8000, 1), { languages: ['English!'] })).rejects.toMatchObject({ field: 'languages' });
    await expect(client.transcribeShortAudio(wav(8000, 1), { model: 'no spaces please' })).rejects.toMatchObject({ field: 'model' });
    await expect(client.transcribeShortAudio(wav(8000, 1), { endpoint: 'v3' as never })).rejects.toMatchObject({ field: 'endpoint' });
    expect(sends()).toBe(before);
  });
});

describe('the limits, before sending', () => {
  test('over 120 s is refused with its length, pointing to Upload File', async () => {
    const before = sandbox.syncRequests.length;
    const error = await failure(client.transcribeShortAudio(wav(8000, 121)));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toContain('121.0 seconds of audio');
    expect(error.message).toMatch(/Harf's Upload File/);
    expect(sandbox.syncRequests.length).toBe(before);
    // A client of its own: a socket the sandbox closed while idle is never reused for this large body.
    const fresh = new AssemblyAiClient({ apiKey: sandbox.assemblyAiKey, syncBaseUrl: sandbox.url });
    await expect(fresh.transcribeShortAudio(wav(8000, 120))).resolves.toMatchObject({ audio_duration_ms: 120000 });
    fresh.close();
  });

  test('under 80 ms is refused', async () => {
    await expect(client.transcribeShortAudio(wav(16000, 0.05))).rejects.toThrow(/50 ms of audio, expected at least 80 ms/);
  });

  test('what is no audio at all is refused naming what it is', async () => {
    const error = await failure(
      client.transcribeShortAudio(Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A '), Buffer.alloc(64)])),
    );
    expect(error.message).toMatch(/MP4\/M4A file/);
    expect(error.message).toMatch(/Upload File/);
  });
});

describe('errors in each body form', () => {
  test.each([
    [{ error_code: 'bad_audio', message: 'Audio could not be decoded' }, 400, /HTTP 400\): Audio could not be decoded$/],
    [{ error: 'Audio is too short', error_code: 'audio_too_short' }, 400, /HTTP 400\): Audio is too short$/],
    [
      { type: 'about:blank', status: 415, title: 'Unsupported Media Type', detail: 'Use audio/wav' },
      415,
      /HTTP 415\): Unsupported Media Type: Use audio\/wav/,
    ],
    [{ detail: 'X-AAI-Model header is required' }, 400, /HTTP 400\): X-AAI-Model header is required/],
    [{ error: 'Something went wrong' }, 400, /HTTP 400\): Something went wrong/],
  ])('%j is read into the message', async (body, status, message) => {
    sandbox.faults.add({ type: 'status', status, path: '/v1/transcribe/live', body });
    const error = await failure(client.transcribeShortAudio(wav(8000, 1)));
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect(error.message).toMatch(message);
  });

  test("the sandbox's own refusals come through clearly", async () => {
    const unknown = await failure(client.transcribeShortAudio(wav(8000, 1), { model: 'universal-9' }));
    expect(unknown.message).toMatch(/Unknown model "universal-9"/);
    expect(unknown.errorCode).toBe('bad_request');
    const secret = 'aai-wrong-sync-key-5521';
    const wrong = new AssemblyAiClient({ apiKey: secret, syncBaseUrl: sandbox.url });
    const refused = await failure(wrong.transcribeShortAudio(wav(8000, 1)));
    expect(refused).toBeInstanceOf(AuthenticationError);
    expect(refused.message).toMatch(/AssemblyAI refused the API key \(HTTP 401\): Invalid API key/);
    expect(JSON.stringify({ m: refused.message, b: refused.body, s: refused.stack })).not.toContain(secret);
  });
});

describe('sending again', () => {
  test('429 and 503 are sent again after Retry-After', async () => {
    const before = sends();
    sandbox.faults.add({
      type: 'status',
      status: 429,
      path: '/v1/transcribe/live',
      retryAfter: 0,
      body: { status: 429, title: 'Too Many Requests', detail: 'Slow down' },
    });
    sandbox.faults.add({ type: 'status', status: 503, path: '/v1/transcribe/live', retryAfter: 0 });
    await expect(client.transcribeShortAudio(wav(8000, 1))).resolves.toMatchObject({ audio_duration_ms: 1000 });
    expect(sends() - before).toBe(3);
  });

  test('a Retry-After longer than allowed fails at once, saying how long it asked', async () => {
    const patient = new AssemblyAiClient({ apiKey: sandbox.assemblyAiKey, syncBaseUrl: sandbox.url, retry: { maxRetryAfterMs: 1000 } });
    const before = sends();
    sandbox.faults.add({ type: 'status', status: 429, path: '/v1/transcribe/live', retryAfter: 30, body: { error: 'Rate limit reached' } });
    const error = await failure(patient.transcribeShortAudio(wav(8000, 1)));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toMatch(/Rate limit reached.*asked to wait 30 s/);
    expect(sends() - before).toBe(1);
  });

  test('500 and 504 are sent once more, never twice', async () => {
    const before = sends();
    sandbox.faults.add({ type: 'status', status: 500, path: '/v1/transcribe/live' });
    await expect(client.transcribeShortAudio(wav(8000, 1))).resolves.toMatchObject({ audio_duration_ms: 1000 });
    expect(sends() - before).toBe(2);
    sandbox.faults.add({ type: 'status', status: 504, path: '/v1/transcribe/live', times: 3 });
    const error = await failure(client.transcribeShortAudio(wav(8000, 1)));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 504, jobMayHaveStarted: true });
    expect(sends() - before).toBe(4);
  });
});

describe('the sandbox is the Sync API as documented', () => {
  async function post(
    parts: { name: string; type: string; body: Buffer | string; filename?: string }[],
    headers: Record<string, string> = {},
    path = '/v1/transcribe',
  ) {
    const form = new FormData();
    for (const part of parts)
      form.append(
        part.name,
        new Blob([typeof part.body === 'string' ? part.body : new Uint8Array(part.body)], { type: part.type }),
        part.filename,
      );
    // The form as bytes, sent on a connection of its own (no idle socket reused between requests).
    const encoded = new Response(form);
    const bytes = Buffer.from(await encoded.arrayBuffer());
    const sent = {
      authorization: sandbox.assemblyAiKey,
      'X-AAI-Model': 'universal-3-5-pro',
      ...headers,
      'content-type': encoded.headers.get('content-type') as string,
    };
    return await new Promise<{ status: number; type: string | undefined; body: Record<string, unknown> }>((resolve, reject) => {
      const req = request(
        `${sandbox.url}${path}`,
        { method: 'POST', agent: false, headers: { ...sent, 'content-length': String(bytes.length) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              type: res.headers['content-type'],
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(bytes);
    });
  }
  const config = (value: unknown) => ({ name: 'config', type: 'application/json', body: JSON.stringify(value) });
  const audio = (body: Buffer, type = 'audio/wav') => ({ name: 'audio', type, body, filename: 'a.wav' });

  test('raw PCM with its rate in the config; /transcribe answers too; words carry times only when asked', async () => {
    const pcm = wav(16000, 1).subarray(44);
    const timed = await post([audio(pcm, 'audio/pcm'), config({ sample_rate: 16000, channels: 1, timestamps: true })], {}, '/transcribe');
    expect(timed.status).toBe(200);
    expect(timed.body.audio_duration_ms).toBe(1000);
    expect((timed.body.words as Record<string, unknown>[])[0]).toEqual(
      expect.objectContaining({ start: expect.any(Number), end: expect.any(Number) }),
    );
    const plain = await post([audio(wav(16000, 1))]);
    expect(plain.status).toBe(200);
    expect(Object.keys((plain.body.words as Record<string, unknown>[])[0]).sort()).toEqual(['confidence', 'text']);
  });

  test('each refusal has its code and body form', async () => {
    const noModel = await post([audio(wav(16000, 1))], { 'X-AAI-Model': '' });
    expect(noModel).toMatchObject({ status: 400, body: { detail: [{ loc: ['header', 'X-AAI-Model'], msg: 'Field required' }] } });
    const rawWithoutRate = await post([audio(wav(16000, 1).subarray(44), 'audio/pcm')]);
    expect(rawWithoutRate).toMatchObject({ status: 400, body: { error_code: 'bad_request' } });
    const ogg = await post([audio(voiceNote, 'audio/ogg')]);
    expect(ogg).toMatchObject({ status: 415, type: 'application/problem+json', body: { status: 415, title: 'Unsupported Media Type' } });
    const eightBit = await post([audio(buildWav({ sampleRate: 16000, channels: [tone(440, 16000, 1)], kind: 'pcm8' }))]);
    expect(eightBit).toMatchObject({ status: 400, body: { error_code: 'bad_audio' } });
    const oddRate = await post([audio(wav(11025, 1))]);
    expect(oddRate).toMatchObject({ status: 400, body: { error_code: 'bad_audio', message: expect.stringMatching(/11025 Hz/) } });
    const short = await post([audio(wav(16000, 0.05))]);
    expect(short).toMatchObject({ status: 400, body: { error_code: 'audio_too_short' } });
    const long = await post([audio(wav(8000, 121))]);
    expect(long).toMatchObject({ status: 400, body: { error_code: 'bad_audio', message: expect.stringMatching(/121\.0 s/) } });
    const wrongKey = await post([audio(wav(16000, 1))], { authorization: 'nope' });
    expect(wrongKey).toMatchObject({ status: 401, body: { error: 'Invalid API key' } });
    const tooLarge = await post([audio(Buffer.alloc(41 * 1024 * 1024))]);
    expect(tooLarge).toMatchObject({ status: 413, body: { error_code: 'audio_too_large' } });
  });
});

describe('the config caps, before sending', () => {
  test('a prompt over 6,000 characters and key terms over 100 terms or 8,000 characters are refused naming the field', async () => {
    const before = sends();
    const prompt = await failure(client.transcribeShortAudio(wav(8000, 1), { prompt: 'a'.repeat(7000) }));
    expect(prompt).toMatchObject({ field: 'prompt', found: 'a prompt of 7000 characters' });
    const many = await failure(client.transcribeShortAudio(wav(8000, 1), { keyTerms: Array.from({ length: 101 }, (_, i) => `term${i}`) }));
    expect(many).toMatchObject({ field: 'keyTerms', found: '101 key terms' });
    const long = await failure(client.transcribeShortAudio(wav(8000, 1), { keyTerms: ['a'.repeat(4000), 'b'.repeat(4001)] }));
    expect(long.message).toMatch(/key terms of 8001 characters in all, expected at most 8000/);
    expect(sends()).toBe(before);
    // At the caps, everything goes.
    await client.transcribeShortAudio(wav(8000, 1), { prompt: 'p'.repeat(6000), keyTerms: Array.from({ length: 100 }, (_, i) => `t${i}`) });
    expect(lastRequest().config?.prompt).toHaveLength(6000);
    expect(lastRequest().config?.keyterms_prompt).toHaveLength(100);
  });

  test('the conversation context is trimmed oldest first past 500 turns or 16,000 characters, never refused', async () => {
    const turns = Array.from({ length: 510 }, (_, i) => `turn ${i}`);
    await client.transcribeShortAudio(wav(8000, 1), { conversationContext: turns });
    const sent = lastRequest().config?.conversation_context as string[];
    expect(sent).toHaveLength(500);
    expect(sent[0]).toBe('turn 10');
    expect(sent[499]).toBe('turn 509');
    await client.transcribeShortAudio(wav(8000, 1), { conversationContext: ['x'.repeat(9000), 'y'.repeat(8000), 'last'] });
    expect(lastRequest().config?.conversation_context).toEqual(['y'.repeat(8000), 'last']);
  });
});

describe('after a 500 or 504 sent twice', () => {
  test('the error says it was sent twice, not that it was not sent again', async () => {
    sandbox.faults.add({
      type: 'status',
      status: 504,
      path: '/v1/transcribe/live',
      times: 2,
      body: { error: 'Gateway timeout', error_code: 'timeout' },
    });
    const error = await failure(client.transcribeShortAudio(wav(8000, 1)));
    expect(error.message).toMatch(/it was sent 2 times in all and not again/);
    expect(error.message).not.toMatch(/it was not sent again/);
    expect(error.errorCode).toBe('timeout');
  });
});

describe('audio still being recorded', () => {
  test('chunks go up over one request as they come, and the transcript follows the last one', async () => {
    const whole = voiceNote;
    async function* recording() {
      for (let offset = 0; offset < whole.length; offset += 4000) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        yield whole.subarray(offset, offset + 4000);
      }
    }
    const before = sends();
    const result = await client.transcribeLiveAudio(recording(), { filename: 'call-7' });
    expect(sends() - before).toBe(1);
    expect(lastRequest().parts).toEqual(['config', 'audio']);
    expect(lastRequest().audio?.contentType).toBe('audio/pcm');
    expect((lastRequest().audio?.bytes as Buffer).length / 32000).toBeCloseTo(3, 2);
    expect(result.media_url).toBe('call-7');
    expect(result.duration).toBe('0:00:03');
  });

  test('past 120 s the upload stops with the limit error naming the length, and no transcription is made', async () => {
    const second = wav(16000, 1).subarray(44);
    const header = recordingHeader();
    async function* endless() {
      yield header;
      for (let i = 0; i < 200; i++) yield second;
    }
    const answered = sandbox.syncRequests.filter((request) => request.status === 200).length;
    const error = await failure(client.transcribeLiveAudio(endless()));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toMatch(/more than 120 seconds of audio, expected audio of at most 120 seconds/);
    expect(sandbox.syncRequests.filter((request) => request.status === 200).length).toBe(answered);
  });

  test('a recording shorter than 80 ms is refused without a request', async () => {
    const before = sends();
    async function* blip() {
      yield wav(16000, 0.05);
    }
    await expect(client.transcribeLiveAudio(blip())).rejects.toThrow(/50 ms of audio, expected at least 80 ms/);
    expect(sends()).toBe(before);
  });
});

describe('a refusal that comes while the audio is still going up', () => {
  test('a wrong key stops the upload at once', async () => {
    const wrong = new AssemblyAiClient({ apiKey: 'aai-wrong-live-key-0042', syncBaseUrl: sandbox.url, retry: { retries: 0 } });
    let produced = 0;
    const second = wav(16000, 1).subarray(44);
    const header = recordingHeader();
    async function* slowRecording() {
      yield header;
      for (let i = 0; i < 100; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        produced++;
        yield second;
      }
    }
    const error = await failure(wrong.transcribeLiveAudio(slowRecording()));
    expect(error).toBeInstanceOf(AuthenticationError);
    // It stopped long before the 100 seconds of audio were produced.
    expect(produced).toBeLessThan(50);
    wrong.close();
  });
});
