/**
 * The sandbox's Sync API on the wire, as AssemblyAI serves it: the key and headers are judged before
 * the body is read, the live routes read the body as it arrives and refuse as soon as they can (so a
 * client stops uploading), unknown AssemblyAI paths answer in AssemblyAI's words, and every request
 * is recorded as it looked.
 */
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { startSandbox, type Sandbox } from '../../sandbox';
import { wav } from '../support/wav';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 0 });
});
afterEach(() => sandbox.faults.clear());
afterAll(() => sandbox.close());

const BOUNDARY = 'sandbox-wire-test';
const partHead = (name: string, type: string, filename?: string) =>
  Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n` +
      `Content-Type: ${type}\r\n\r\n`,
  );
const configPart = (config: unknown) =>
  Buffer.concat([partHead('config', 'application/json'), Buffer.from(`${JSON.stringify(config)}\r\n`)]);
const closing = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  text: string;
  json: () => Record<string, unknown>;
}

/** Opens a chunked POST and hands back the request (to write to) and its answer, whenever it comes. */
function open(path: string, headers: Record<string, string> = {}, method = 'POST'): { req: ClientRequest; answer: Promise<Answer> } {
  const req = request(`${sandbox.url}${path}`, {
    method,
    agent: false,
    headers: {
      authorization: sandbox.assemblyAiKey,
      'X-AAI-Model': 'universal-3-5-pro',
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      ...headers,
    },
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> });
      });
    });
    // Once the answer has come the sandbox may close the connection under a request still being written.
    req.on('error', (error) => {
      if (!responded) reject(error);
    });
  });
  let responded = false;
  req.once('response', () => (responded = true));
  req.flushHeaders();
  return { req, answer };
}

/** Writes `piece` up to `times` times, stopping as soon as the answer has come. */
async function writeUntilAnswered(req: ClientRequest, answer: Promise<Answer>, piece: Buffer, times: number): Promise<void> {
  let answered = false;
  answer.then(
    () => (answered = true),
    () => (answered = true),
  );
  const answeredOrDrained = () => Promise.race([answer, new Promise((resolve) => req.once('drain', resolve))]);
  for (let i = 0; i < times && !answered && !req.destroyed; i++) {
    if (!req.write(piece)) await answeredOrDrained();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The answer comes while the request body is still open (nothing after `sent` has been written). */
async function answeredBeforeTheEnd(req: ClientRequest, answer: Promise<Answer>): Promise<Answer> {
  const result = await answer;
  expect(req.writableEnded).toBe(false);
  if (!req.destroyed) req.end(closing);
  return result;
}

describe('headers are judged before the body is read', () => {
  test.each([
    ['a wrong key', { authorization: 'wrong' }, 401, { error: 'Invalid API key' }],
    ['no key', { authorization: '' }, 401, { error: 'Invalid API key' }],
    ['no model', { 'X-AAI-Model': '' }, 400, { detail: [{ loc: ['header', 'X-AAI-Model'], msg: 'Field required', type: 'missing' }] }],
    ['an unknown model', { 'X-AAI-Model': 'whisper' }, 400, { error_code: 'bad_request' }],
    ['a JSON body', { 'content-type': 'application/json' }, 415, { status: 415, title: 'Unsupported Media Type' }],
  ])('%s: answered before any body byte is sent', async (_name, headers, status, body) => {
    const { req, answer } = open('/v1/transcribe/live', headers);
    const result = await answeredBeforeTheEnd(req, answer);
    expect(result.status).toBe(status);
    expect(result.json()).toMatchObject(body);
    expect(result.text).not.toMatch(/credentials were not provided/);
  });

  test('a declared length over 40 MB: 413 audio_too_large at once', async () => {
    const { req, answer } = open('/v1/transcribe', { 'content-length': String(41 * 1024 * 1024) });
    const result = await answer;
    req.destroy();
    expect(result.status).toBe(413);
    expect(result.json()).toMatchObject({ error_code: 'audio_too_large' });
  });
});

describe('the live routes read the body as it arrives', () => {
  test.each(['/v1/transcribe/live', '/v1/transcribe/stream'])(
    '%s: config, then audio written in pieces, then the transcript',
    async (path) => {
      const { req, answer } = open(path);
      const audio = wav(16000, 1.5);
      req.write(configPart({ timestamps: true }));
      req.write(partHead('audio', 'audio/wav', 'mic.wav'));
      for (let at = 0; at < audio.length; at += 5000) req.write(audio.subarray(at, at + 5000));
      req.end(closing);
      const result = await answer;
      expect(result.status).toBe(200);
      expect(result.json()).toMatchObject({ audio_duration_ms: 1500 });
      const wire = sandbox.syncRequests[sandbox.syncRequests.length - 1].wire;
      expect(wire).toMatchObject({
        path,
        transferEncoding: 'chunked',
        configKeys: ['timestamps'],
        parts: [{ name: 'config' }, { name: 'audio', filename: 'mic.wav' }],
      });
      expect(sandbox.log[sandbox.log.length - 1].sync).toBe(wire);
    },
  );

  test('audio before its config is refused with AssemblyAI body, before the body ends', async () => {
    const { req, answer } = open('/v1/transcribe/live');
    req.write(Buffer.concat([partHead('audio', 'audio/wav'), wav(16000, 0.5)]));
    const result = await answeredBeforeTheEnd(req, answer);
    expect(result.status).toBe(400);
    expect(result.json()).toEqual({ error_code: 'bad_request', message: 'The "config" part must come before the "audio" part' });
  });

  test('an audio part of another type: 415 as soon as its headers arrive', async () => {
    const { req, answer } = open('/v1/transcribe/live');
    req.write(Buffer.concat([configPart({}), partHead('audio', 'audio/ogg', 'note.ogg')]));
    const result = await answeredBeforeTheEnd(req, answer);
    expect(result.status).toBe(415);
    expect(result.headers['content-type']).toBe('application/problem+json');
  });

  test('raw PCM past 120 s is refused while it is still coming', async () => {
    const { req, answer } = open('/v1/transcribe/live');
    req.write(Buffer.concat([configPart({ sample_rate: 8000, channels: 1 }), partHead('audio', 'audio/pcm')]));
    await writeUntilAnswered(req, answer, Buffer.alloc(16000), 125);
    const result = await answeredBeforeTheEnd(req, answer);
    expect(result.status).toBe(400);
    expect(result.json()).toMatchObject({ error_code: 'bad_audio', message: expect.stringMatching(/longer than 120 s/) });
  });

  test('over 40 MB of audio without a declared length: 413 once it passes the limit', async () => {
    const { req, answer } = open('/v1/transcribe/live');
    req.write(Buffer.concat([configPart({}), partHead('audio', 'audio/wav'), wav(48000, 0.1, 2).subarray(0, 44)]));
    await writeUntilAnswered(req, answer, Buffer.alloc(1024 * 1024), 45);
    const result = await answeredBeforeTheEnd(req, answer);
    // A WAV header whose rate makes 40 MB under 120 s: the size is what is refused.
    expect(result.status).toBe(413);
    expect(result.json()).toMatchObject({ error_code: 'audio_too_large' });
  });

  test('the older route still takes audio before config (one buffered request)', async () => {
    const { req, answer } = open('/v1/transcribe');
    req.end(
      Buffer.concat([
        partHead('audio', 'audio/wav', 'a.wav'),
        wav(16000, 1),
        Buffer.from('\r\n'),
        configPart({ timestamps: true }),
        closing.subarray(2),
      ]),
    );
    const result = await answer;
    expect(result.status).toBe(200);
    expect(sandbox.syncRequests[sandbox.syncRequests.length - 1].parts).toEqual(['audio', 'config']);
  });
});

describe('other AssemblyAI paths', () => {
  test('GET /v1/warm and /warm: 204, with or without a key', async () => {
    for (const path of ['/v1/warm', '/warm']) {
      const { req, answer } = open(path, { authorization: '' }, 'GET');
      req.end();
      expect((await answer).status).toBe(204);
    }
  });

  test.each([
    ['POST', '/v1/dictate', 404, { detail: 'Not Found' }],
    ['POST', '/v1/transcribe/dictation', 404, { detail: 'Not Found' }],
    ['GET', '/v2/nothing', 404, { error: 'Not found: /v2/nothing' }],
    ['GET', '/v1/transcribe/live', 405, { error: 'Method GET not allowed; use POST.' }],
  ])('%s %s: %d in AssemblyAI words, never a Harf token error', async (method, path, status, body) => {
    const { req, answer } = open(path, { authorization: '' }, method);
    req.end();
    const result = await answer;
    expect(result.status).toBe(status);
    expect(result.json()).toEqual(body);
  });

  test('GET /__sandbox/sync shows each request as it looked, without its audio or key', async () => {
    const res = await fetch(`${sandbox.url}/__sandbox/sync`, { headers: { authorization: `Token ${sandbox.token}` } });
    const requests = (await res.json()) as Record<string, unknown>[];
    expect(requests.length).toBeGreaterThan(3);
    expect(JSON.stringify(requests)).not.toContain(sandbox.assemblyAiKey);
    expect(requests[requests.length - 1]).toMatchObject({ wire: { method: 'POST', path: '/v1/transcribe' } });
  });
});
