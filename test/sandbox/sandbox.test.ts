import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { MultipartParser, DOCUMENTED_EXAMPLE_URL, startSandbox, type PartInfo, type Sandbox } from '../../sandbox';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;

  json: any;
}

interface SendOptions {
  method?: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  /** Writes the body in these pieces, one event-loop turn apart (or `gapMs` apart). */
  pieces?: Buffer[];
  gapMs?: number;
}

function send(url: string, options: SendOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.pieces) {
      const pieces = options.pieces;
      let i = 0;
      const next = () => {
        if (i >= pieces.length) {
          req.end();
          return;
        }
        req.write(pieces[i++]);
        if (options.gapMs) setTimeout(next, options.gapMs);
        else setImmediate(next);
      };
      next();
    } else {
      req.end(options.body);
    }
  });
}

/** A WAV file: RIFF header then `seconds` of a quiet tone. */
function makeWav(options: { sampleRate?: number; channels?: number; bits?: number; format?: number; seconds: number }): Buffer {
  const { sampleRate = 16000, channels = 1, bits = 16, format = 1, seconds } = options;
  const blockAlign = (channels * bits) / 8;
  const frames = Math.round(seconds * sampleRate);
  const dataLength = frames * blockAlign;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + dataLength, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(format, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(bits, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(dataLength, 40);
  const data = Buffer.alloc(dataLength);
  for (let i = 0; i + 1 < dataLength; i += 2) data.writeInt16LE(Math.round(800 * Math.sin(i / 20)), i);
  return Buffer.concat([header, data]);
}

function multipartBody(
  boundary: string,
  parts: Array<{ name: string; filename?: string; contentType?: string; data: Buffer | string }>,
): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += '\r\n';
    if (part.contentType) head += `Content-Type: ${part.contentType}\r\n`;
    pieces.push(Buffer.from(`${head}\r\n`), Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data), Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(pieces);
}

/** Splits a buffer into pieces of 1–7 bytes. */
function tinyPieces(buffer: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  let at = 0;
  let n = 0;
  while (at < buffer.length) {
    const size = (n++ % 7) + 1;
    pieces.push(buffer.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

function secondsOf(time: string): number {
  const match = /^(\d+):(\d\d):(\d\d)(?:\.(\d{6}))?$/.exec(time);
  if (!match) throw new Error(`not a Harf time: ${time}`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) + (match[4] ? Number(match[4]) / 1e6 : 0);
}

function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => w.replace(/[[\]]/g, '') !== '').length;
}

function bracketedWords(text: string): number {
  return [...text.matchAll(/\[([^\]]*)\]/g)].reduce((n, m) => n + countWords(m[1]), 0);
}

interface LiveRun {
  answers: unknown[];
  closeCode: number;
  closeReason: string;
}

/** Sends each frame and waits for its one answer, then `finalize` if asked, and reads until close. */
function runLive(sandbox: Sandbox, frames: Buffer[], options: { finalize?: boolean; token?: string } = {}): Promise<LiveRun> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${sandbox.wsUrl}/ws_api/transcribe_files/wav/sync/`, {
      headers: { Authorization: `Token ${options.token ?? sandbox.token}` },
    });
    const answers: unknown[] = [];
    let sent = 0;
    let closed = false;
    const sendNext = () => {
      if (closed) return;
      if (sent < frames.length) {
        ws.send(frames[sent++], { binary: true });
      } else if (options.finalize !== false) {
        ws.send('finalize');
      } else {
        ws.close(1000);
      }
    };
    ws.on('open', sendNext);
    ws.on('message', (data, isBinary) => {
      expect(isBinary).toBe(false);
      answers.push(JSON.parse(data.toString()));
      if (answers.length === sent && sent <= frames.length) sendNext();
    });
    ws.on('close', (code, reason) => {
      closed = true;
      resolve({ answers, closeCode: code, closeReason: reason.toString() });
    });
    ws.on('error', reject);
  });
}

function frames32000(buffer: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < buffer.length; at += 32000) out.push(buffer.subarray(at, at + 32000));
  return out;
}

let sandbox: Sandbox;
let auth: Record<string, string>;
const json = { 'Content-Type': 'application/json' };

function post(path: string, body: unknown, headers: Record<string, string> = auth): Promise<Reply> {
  return send(`${sandbox.url}${path}`, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });
}

async function waitForTask(taskId: string): Promise<{ reply: Reply; checks: number }> {
  for (let checks = 1; checks <= 200; checks++) {
    const reply = await post('/api/transcribe_files/', { tasks_ids: [taskId], wait: false });
    if (!(reply.json && reply.json.state === 'PENDING')) return { reply, checks };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`task ${taskId} still pending`);
}

beforeAll(async () => {
  sandbox = await startSandbox({ taskDelayMs: 150, processingDelayMs: 5 });
  auth = { Authorization: `Token ${sandbox.token}` };
});

afterAll(() => sandbox.close());

beforeEach(() => {
  sandbox.faults.clear();
  sandbox.configure({ liveFinalForm: 'segment', taskDelayMs: 150 });
});

describe('identity and auth', () => {
  test('GET / says plainly that it is a sandbox', async () => {
    const reply = await send(`${sandbox.url}/`);
    expect(reply.status).toBe(200);
    expect(reply.json.sandbox).toBe(true);
    expect(reply.json.notice).toMatch(/sandbox/i);
    expect(reply.json.notice).toMatch(/not real recognition/);
  });

  test('the default token is random and starts with sandbox-', async () => {
    const other = await startSandbox();
    try {
      expect(other.token).toMatch(/^sandbox-.{8,}/);
      expect(other.token).not.toBe(sandbox.token);
      expect(other.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(other.wsUrl).toBe(other.url.replace('http', 'ws'));
    } finally {
      await other.close();
    }
  });

  test('a missing Authorization header answers 401 with DRF wording and a request id', async () => {
    const reply = await post('/api/transcribe_files/', { media_urls: ['https://example.org/a.mp3'] }, {});
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ detail: 'Authentication credentials were not provided.' });
    expect(reply.headers['www-authenticate']).toBe('Token');
    expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f]{24}$/);
  });

  test('another scheme counts as no credentials; a wrong token is an invalid token', async () => {
    const bearer = await post('/api/transcribe_files/', {}, { Authorization: `Bearer ${sandbox.token}` });
    expect(bearer.status).toBe(401);
    expect(bearer.json).toEqual({ detail: 'Authentication credentials were not provided.' });
    const wrong = await post('/api/alignment/', {}, { Authorization: 'Token not-the-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ detail: 'Invalid token.' });
    const empty = await post('/api/alignment/', {}, { Authorization: 'Token' });
    expect(empty.json).toEqual({ detail: 'Invalid token header. No credentials provided.' });
  });

  test('the keyword is case-insensitive as in DRF', async () => {
    const reply = await post(
      '/api/transcribe_files/',
      { media_urls: [DOCUMENTED_EXAMPLE_URL] },
      { Authorization: `token ${sandbox.token}` },
    );
    expect(reply.status).toBe(200);
  });

  test('each response has its own request id', async () => {
    const a = await send(`${sandbox.url}/`);
    const b = await send(`${sandbox.url}/`);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  test('unknown paths answer 404, wrong methods 405, a missing trailing slash is pointed out', async () => {
    expect((await post('/api/nothing/', {})).status).toBe(404);
    const noSlash = await post('/api/transcribe_files', { media_urls: [DOCUMENTED_EXAMPLE_URL] });
    expect(noSlash.status).toBe(404);
    expect(noSlash.json.detail).toMatch(/slash/);
    const get = await send(`${sandbox.url}/api/transcribe_files/`, { headers: auth });
    expect(get.status).toBe(405);
    expect(get.json).toEqual({ detail: 'Method "GET" not allowed.' });
  });
});

describe('validation like DRF', () => {
  test('media_urls is required', async () => {
    const reply = await post('/api/transcribe_files/', {});
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ media_urls: ['This field is required.'] });
  });

  test('media_urls must be a non-empty list', async () => {
    expect((await post('/api/transcribe_files/', { media_urls: 'https://example.org/a.mp3' })).json).toEqual({
      media_urls: ['Expected a list of items but got type "str".'],
    });
    expect((await post('/api/transcribe_files/', { media_urls: [] })).json).toEqual({ media_urls: ['This list may not be empty.'] });
  });

  test('each bad URL is reported under its index, with the wait error beside it', async () => {
    const reply = await post('/api/transcribe_files/', {
      media_urls: ['https://example.org/ok.mp3', 'not a url', 7, 'mailto:x@example.org'],
      wait: 'maybe',
    });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({
      media_urls: { '1': ['Enter a valid URL.'], '2': ['Not a valid string.'], '3': ['Enter a valid URL.'] },
      wait: ['Must be a valid boolean.'],
    });
    expect(Object.keys(reply.json)).toEqual(['media_urls', 'wait']);
  });

  test('invalid JSON, a non-object body and an unsupported content type', async () => {
    const bad = await send(`${sandbox.url}/api/transcribe_files/`, {
      method: 'POST',
      headers: { ...auth, ...json },
      body: '{"media_urls": [',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toMatch(/^JSON parse error - /);
    const list = await post('/api/transcribe_files/', ['https://example.org/a.mp3']);
    expect(list.status).toBe(400);
    expect(list.json).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] });
    const text = await send(`${sandbox.url}/api/transcribe_files/`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'text/plain' },
      body: 'https://example.org/a.mp3',
    });
    expect(text.status).toBe(415);
    expect(text.json).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
  });

  test('wait accepts DRF boolean spellings', async () => {
    const reply = await post('/api/transcribe_files/', { media_urls: ['https://example.org/a.mp3'], wait: 'false' });
    expect(reply.status).toBe(200);
    expect(reply.json.state).toBe('PENDING');
  });
});

describe('transcribe by URL', () => {
  test('the API reference example URL answers exactly the documented example', async () => {
    const reply = await post('/api/transcribe_files/', { media_urls: [DOCUMENTED_EXAMPLE_URL] });
    expect(reply.status).toBe(200);
    expect(reply.json).toHaveLength(1);
    const [file] = reply.json;
    expect(file.media_url).toBe(DOCUMENTED_EXAMPLE_URL);
    expect(file.duration).toBe('0:00:44');
    expect(file.stats).toEqual({ words: 57, known_words: 54 });
    expect(file.segments).toHaveLength(9);
    expect(file.segments[0]).toEqual({ start: '0:00:00', end: '0:00:02', text: '[حکایت]' });
    expect(file.segments[5].text).toBe('سخن را سر از [ای] خردمند و بن');
    expect(file.segments[8]).toEqual({ start: '0:00:37', end: '0:00:39', text: 'تا نبیند خموش' });
  });

  test('wait=true answers one result per URL, in order, deterministic per URL', async () => {
    const urls = ['https://example.org/b.mp3', 'https://example.org/a.mp3', 'https://example.org/b.mp3'];
    const first = await post('/api/transcribe_files/', { media_urls: urls, wait: true });
    expect(first.status).toBe(200);
    expect(first.json.map((f: { media_url: string }) => f.media_url)).toEqual(urls);
    expect(first.json[0]).toEqual(first.json[2]);
    const again = await post('/api/transcribe_files/', { media_urls: urls });
    expect(again.json).toEqual(first.json);
  });

  test('segments of about 5 s cover the duration; stats count words and bracketed words', async () => {
    for (const seconds of [1, 7, 33, 61.5]) {
      const url = `https://example.org/talk.mp3?duration=${seconds}`;
      const [file] = (await post('/api/transcribe_files/', { media_urls: [url] })).json;
      expect(secondsOf(file.duration)).toBeCloseTo(seconds, 6);
      expect(secondsOf(file.segments[0].start)).toBe(0);
      expect(secondsOf(file.segments[file.segments.length - 1].end)).toBeCloseTo(seconds, 6);
      for (let i = 1; i < file.segments.length; i++) expect(file.segments[i].start).toBe(file.segments[i - 1].end);
      for (const segment of file.segments) expect(secondsOf(segment.end) - secondsOf(segment.start)).toBeLessThanOrEqual(9);
      const words = file.segments.reduce((n: number, s: { text: string }) => n + countWords(s.text), 0);
      const uncertain = file.segments.reduce((n: number, s: { text: string }) => n + bracketedWords(s.text), 0);
      expect(file.stats).toEqual({ words, known_words: words - uncertain });
      if (file.segments.length >= 2) expect(uncertain).toBeGreaterThan(0);
      expect(file.segments[0].text).toMatch(/[\u0600-\u06FF]/);
    }
  });

  test('without ?duration the length is 20–90 s from the URL; ?uncertain=0 gives no brackets', async () => {
    const [plain] = (await post('/api/transcribe_files/', { media_urls: ['https://example.org/episode-17.mp3'] })).json;
    const seconds = secondsOf(plain.duration);
    expect(seconds).toBeGreaterThanOrEqual(20);
    expect(seconds).toBeLessThanOrEqual(90);
    const [certain] = (await post('/api/transcribe_files/', { media_urls: ['https://example.org/e.mp3?duration=40&uncertain=0'] })).json;
    expect(certain.stats.words).toBe(certain.stats.known_words);
    expect(certain.segments.some((s: { text: string }) => s.text.includes('['))).toBe(false);
  });

  test('wait=true with a failing or timing-out URL answers the state', async () => {
    expect(
      (await post('/api/transcribe_files/', { media_urls: ['https://example.org/ok.mp3', 'https://example.org/will-fail.mp3'] })).json,
    ).toEqual({
      state: 'FAILURE',
    });
    expect((await post('/api/transcribe_files/', { media_urls: ['https://example.org/timeout.mp3'] })).json).toEqual({ state: 'TIMEOUT' });
  });
});

describe('tasks', () => {
  test('wait=false answers one uuid task id per URL; each moves from PENDING to its result', async () => {
    const urls = ['https://example.org/one.mp3?duration=12', 'https://example.org/two.mp3?duration=8'];
    sandbox.configure({ taskDelayMs: 600_000 });
    const submitted = await post('/api/transcribe_files/', { media_urls: urls, wait: false });
    expect(submitted.status).toBe(200);
    expect(submitted.json.state).toBe('PENDING');
    expect(submitted.json.task_ids).toHaveLength(2);
    for (const id of submitted.json.task_ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const immediately = await post('/api/transcribe_files/', { tasks_ids: [submitted.json.task_ids[0]], wait: false });
    expect(immediately.json).toEqual({ state: 'PENDING' });
    sandbox.configure({ taskDelayMs: 150 });
    for (const [i, id] of submitted.json.task_ids.entries()) {
      const { reply } = await waitForTask(id);
      expect(reply.status).toBe(200);
      expect(reply.json).toHaveLength(1);
      expect(reply.json[0].media_url).toBe(urls[i]);
      expect(reply.json[0]).toEqual((await post('/api/transcribe_files/', { media_urls: [urls[i]] })).json[0]);
    }
  });

  test('unknown task ids are PENDING, as Celery answers', async () => {
    const reply = await post('/api/transcribe_files/', { tasks_ids: ['no-such-task'], wait: false });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ state: 'PENDING' });
  });

  test('file names with fail end in FAILURE, with timeout in TIMEOUT, after being PENDING', async () => {
    sandbox.configure({ taskDelayMs: 600_000 });
    const submitted = await post('/api/transcribe_files/', {
      media_urls: ['https://example.org/x/FAIL-me.mp3', 'https://example.org/x/slow-timeout.ogg'],
      wait: false,
    });
    const [failId, timeoutId] = submitted.json.task_ids;
    expect((await post('/api/transcribe_files/', { tasks_ids: [failId], wait: false })).json).toEqual({ state: 'PENDING' });
    sandbox.configure({ taskDelayMs: 0 });
    const failed = await waitForTask(failId);
    expect(failed.checks).toBe(1);
    expect(failed.reply.json).toEqual({ state: 'FAILURE' });
    expect((await waitForTask(timeoutId)).reply.json).toEqual({ state: 'TIMEOUT' });
  });

  test('tasks_ids must be a list', async () => {
    const reply = await post('/api/transcribe_files/', { tasks_ids: 'abc', wait: false });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ tasks_ids: ['Expected a list of items but got type "str".'] });
  });
});

describe('multipart parser', () => {
  test('finds boundaries split across chunks of every size and keeps part bytes intact', () => {
    const audio = Buffer.alloc(5000);
    for (let i = 0; i < audio.length; i++) audio[i] = (i * 31) % 256;
    // Bytes that look like the start of the delimiter inside the data must survive.
    audio.write('\r\n--bound', 1000, 'latin1');
    const body = multipartBody('boundXYZ', [
      { name: 'note', data: 'hello' },
      { name: 'media', filename: 'صدا.wav', contentType: 'audio/wav', data: audio },
    ]);
    for (const size of [1, 2, 3, 7, 13, 64, 4096, body.length]) {
      const parts: Array<PartInfo & { data: Buffer }> = [];
      const parser = new MultipartParser('boundXYZ', {
        onPart: (part) => parts.push({ ...part, data: Buffer.alloc(0) }),
        onData: (data) => {
          const last = parts[parts.length - 1];
          last.data = Buffer.concat([last.data, data]);
        },
        onPartEnd: () => undefined,
      });
      for (let at = 0; at < body.length; at += size) parser.write(body.subarray(at, at + size));
      parser.end();
      expect(parts.map((p) => p.name)).toEqual(['note', 'media']);
      expect(parts[0].data.toString()).toBe('hello');
      expect(parts[1].filename).toBe('صدا.wav');
      expect(parts[1].contentType).toBe('audio/wav');
      expect(parts[1].data.equals(audio)).toBe(true);
    }
  });

  test('a body without its closing boundary is an error', () => {
    const parser = new MultipartParser('b', { onPart: () => undefined, onData: () => undefined, onPartEnd: () => undefined });
    parser.write(Buffer.from('--b\r\nContent-Disposition: form-data; name="media"; filename="a.wav"\r\n\r\nabc'));
    expect(() => parser.end()).toThrow(/ended before the closing boundary/);
  });
});

describe('upload', () => {
  const boundary = '----sandboxtest7d9';
  const multipart = { ...{}, 'Content-Type': `multipart/form-data; boundary=${boundary}` };

  test('a WAV upload gets its duration from the header and a media URL of the sandbox', async () => {
    const body = multipartBody(boundary, [
      { name: 'media', filename: 'voice note.wav', contentType: 'audio/wav', data: makeWav({ seconds: 3.5 }) },
    ]);
    const reply = await send(`${sandbox.url}/api/transcribe_files/`, { method: 'POST', headers: { ...auth, ...multipart }, body });
    expect(reply.status).toBe(200);
    expect(reply.json).toHaveLength(1);
    const [file] = reply.json;
    expect(file.duration).toBe('0:00:03.500000');
    expect(file.media_url).toMatch(new RegExp(`^${sandbox.url}/media/[0-9a-f]+/voice%20note\\.wav$`));
    expect(secondsOf(file.segments[file.segments.length - 1].end)).toBeCloseTo(3.5, 6);
    // The media URL is known afterwards: transcribing it by URL gives the same duration.
    const byUrl = await post('/api/transcribe_files/', { media_urls: [file.media_url] });
    expect(byUrl.json[0]).toEqual(file);
    const log = sandbox.log.filter((e) => e.path === '/api/transcribe_files/' && e.bytes === body.length);
    expect(log.length).toBeGreaterThan(0);
  });

  test('a stereo 44.1 kHz WAV uses its own byte rate', async () => {
    const body = multipartBody(boundary, [
      { name: 'media', filename: 'stereo.wav', contentType: 'audio/x-wav', data: makeWav({ seconds: 2, sampleRate: 44100, channels: 2 }) },
    ]);
    const reply = await send(`${sandbox.url}/api/transcribe_files/`, { method: 'POST', headers: { ...auth, ...multipart }, body });
    expect(reply.json[0].duration).toBe('0:00:02');
  });

  test('other audio is estimated from its size at 128 kbit/s', async () => {
    const body = multipartBody(boundary, [
      { name: 'media', filename: 'song.mp3', contentType: 'audio/mpeg', data: Buffer.alloc(160000, 0xff) },
    ]);
    const reply = await send(`${sandbox.url}/api/transcribe_files/`, { method: 'POST', headers: { ...auth, ...multipart }, body });
    expect(reply.status).toBe(200);
    expect(reply.json[0].duration).toBe('0:00:10');
  });

  test('a body arriving a few bytes at a time is parsed the same', async () => {
    const body = multipartBody(boundary, [
      { name: 'language', data: 'fa' },
      { name: 'media', filename: 'chunks.wav', contentType: 'audio/wav', data: makeWav({ seconds: 0.25 }) },
    ]);
    const reply = await send(`${sandbox.url}/api/transcribe_files/`, {
      method: 'POST',
      headers: { ...auth, ...multipart, 'Content-Length': body.length },
      pieces: tinyPieces(body),
    });
    expect(reply.status).toBe(200);
    expect(reply.json[0].duration).toBe('0:00:00.250000');
  });

  test('missing media part, a field instead of a file, an empty file', async () => {
    const none = multipartBody(boundary, [{ name: 'other', filename: 'a.wav', contentType: 'audio/wav', data: 'x' }]);
    const r1 = await send(`${sandbox.url}/api/transcribe_files/`, { method: 'POST', headers: { ...auth, ...multipart }, body: none });
    expect(r1.status).toBe(400);
    expect(r1.json).toEqual({ media: ['No file was submitted.'] });
    const field = multipartBody(boundary, [{ name: 'media', data: 'https://example.org/a.mp3' }]);
    const r2 = await send(`${sandbox.url}/api/transcribe_files/`, { method: 'POST', headers: { ...auth, ...multipart }, body: field });
    expect(r2.json).toEqual({ media: ['The submitted data was not a file. Check the encoding type on the form.'] });
    const empty = multipartBody(boundary, [{ name: 'media', filename: 'a.wav', contentType: 'audio/wav', data: '' }]);
    const r3 = await send(`${sandbox.url}/api/transcribe_files/`, { method: 'POST', headers: { ...auth, ...multipart }, body: empty });
    expect(r3.json).toEqual({ media: ['The submitted file is empty.'] });
  });

  test('a file type that is not audio or video is refused, naming the type', async () => {
    const body = multipartBody(boundary, [{ name: 'media', filename: 'notes.txt', contentType: 'text/plain', data: 'hello' }]);
    const reply = await send(`${sandbox.url}/api/transcribe_files/`, { method: 'POST', headers: { ...auth, ...multipart }, body });
    expect(reply.status).toBe(400);
    expect(reply.json.media[0]).toMatch(/found "text\/plain" for "notes.txt"; expected audio\/\*, video\/\*/);
    for (const ok of ['video/mp4', 'application/ogg', 'application/octet-stream', 'audio/ogg']) {
      const accepted = multipartBody(boundary, [{ name: 'media', filename: 'voice.oga', contentType: ok, data: Buffer.alloc(1000) }]);
      expect(
        (await send(`${sandbox.url}/api/transcribe_files/`, { method: 'POST', headers: { ...auth, ...multipart }, body: accepted })).status,
      ).toBe(200);
    }
  });

  test('a multipart body without boundary or closing boundary answers a parse error', async () => {
    const noBoundary = await send(`${sandbox.url}/api/transcribe_files/`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'multipart/form-data' },
      body: 'x',
    });
    expect(noBoundary.status).toBe(400);
    expect(noBoundary.json.detail).toMatch(/^Multipart form parse error/);
    const cut = multipartBody(boundary, [{ name: 'media', filename: 'a.wav', contentType: 'audio/wav', data: 'abc' }]);
    const truncated = await send(`${sandbox.url}/api/transcribe_files/`, {
      method: 'POST',
      headers: { ...auth, ...multipart },
      body: cut.subarray(0, cut.length - 10),
    });
    expect(truncated.status).toBe(400);
    expect(truncated.json.detail).toMatch(/closing boundary/);
  });

  test('an upload whose file name contains fail answers FAILURE', async () => {
    const body = multipartBody(boundary, [
      { name: 'media', filename: 'fail.wav', contentType: 'audio/wav', data: makeWav({ seconds: 1 }) },
    ]);
    const reply = await send(`${sandbox.url}/api/transcribe_files/`, { method: 'POST', headers: { ...auth, ...multipart }, body });
    expect(reply.json).toEqual({ state: 'FAILURE' });
  });

  test('a 200 MiB upload streams through in bounded memory and its WAV duration is read', async () => {
    const dataBytes = 200 * 1024 * 1024;
    const header = makeWav({ seconds: 0 });
    header.writeUInt32LE(36 + dataBytes, 4);
    header.writeUInt32LE(dataBytes, 40);
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="long.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const chunk = Buffer.alloc(256 * 1024, 7);
    const total = head.length + header.length + dataBytes + tail.length;
    if (global.gc) global.gc();
    const startRss = process.memoryUsage().rss;
    let peakRss = startRss;
    const reply = await new Promise<Reply>((resolve, reject) => {
      const req = httpRequest(
        `${sandbox.url}/api/transcribe_files/`,
        { method: 'POST', agent: false, headers: { ...auth, ...multipart, 'Content-Length': total } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: JSON.parse(text) });
          });
        },
      );
      req.on('error', reject);
      req.write(head);
      req.write(header);
      let sent = 0;
      const pump = () => {
        while (sent < dataBytes) {
          const piece = chunk.subarray(0, Math.min(chunk.length, dataBytes - sent));
          sent += piece.length;
          peakRss = Math.max(peakRss, process.memoryUsage().rss);
          if (!req.write(piece)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end(tail);
      };
      pump();
    });
    expect(reply.status).toBe(200);
    // 200 MiB of 16 kHz mono 16-bit audio is 6553.6 s.
    expect(reply.json[0].duration).toBe('1:49:13.600000');
    expect(sandbox.log.some((e) => e.bytes === total && e.status === 200)).toBe(true);
    // Loose bound: holding the upload would need more than 200 MiB.
    expect(peakRss - startRss).toBeLessThan(120 * 1024 * 1024);
  }, 120000);
});

describe('alignment', () => {
  test('one segment per word, microsecond times spread over the duration', async () => {
    const text = 'یکی را از   حکما شنیدم';
    const reply = await post('/api/alignment/', { media_url: 'https://example.org/a.mp3?duration=10', text });
    expect(reply.status).toBe(200);
    expect(reply.json.media_url).toBe('https://example.org/a.mp3?duration=10');
    expect(reply.json.text).toBe(text);
    expect(reply.json.segments.map((s: { text: string }) => s.text)).toEqual(['یکی', 'را', 'از', 'حکما', 'شنیدم']);
    for (const segment of reply.json.segments) {
      expect(segment.start).toMatch(/^\d+:\d\d:\d\d\.\d{6}$/);
      expect(segment.end).toMatch(/^\d+:\d\d:\d\d\.\d{6}$/);
      expect(secondsOf(segment.end)).toBeGreaterThan(secondsOf(segment.start));
    }
    expect(reply.json.segments[0].start).toBe('0:00:00.000000');
    expect(reply.json.segments[4].end).toBe('0:00:10.000000');
    for (let i = 1; i < 5; i++)
      expect(secondsOf(reply.json.segments[i].start)).toBeGreaterThanOrEqual(secondsOf(reply.json.segments[i - 1].end));
  });

  test('missing or blank fields and a bad URL are field errors', async () => {
    expect((await post('/api/alignment/', {})).json).toEqual({ media_url: ['This field is required.'], text: ['This field is required.'] });
    const reply = await post('/api/alignment/', { media_url: 'nope', text: '  ' });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ media_url: ['Enter a valid URL.'], text: ['This field may not be blank.'] });
  });
});

describe('live websocket', () => {
  test('answers once per frame: PENDING until 5 s of audio, then a segment; finalize sends the rest and closes 1000', async () => {
    const wav = makeWav({ seconds: 12.3 });
    const frames = frames32000(wav);
    expect(frames[frames.length - 1].length).toBeLessThan(32000);
    const run = await runLive(sandbox, frames);
    expect(run.closeCode).toBe(1000);
    expect(run.answers).toHaveLength(frames.length + 1);
    const segments = run.answers.filter((a) => typeof a === 'object' && a !== null && 'segment_id' in a) as Array<{
      segment_id: number;
      text: string;
      start: string;
      end: string;
    }>;
    expect(segments.map((s) => s.segment_id)).toEqual([1, 2, 3]);
    expect(segments[0].start).toBe('0:00:00');
    expect(secondsOf(segments[0].end)).toBeGreaterThanOrEqual(5);
    expect(segments[1].start).toBe(segments[0].end);
    expect(secondsOf(segments[2].end)).toBeCloseTo(12.3, 6);
    expect(run.answers[0]).toEqual({ state: 'PENDING' });
    expect(run.answers[run.answers.length - 1]).toEqual(segments[2]);
    for (const s of segments) expect(s.text).toMatch(/[\u0600-\u06FF]/);
    const session = sandbox.liveSessions[sandbox.liveSessions.length - 1];
    expect(session.frames).toEqual(frames.map((f) => f.length));
    expect(session.totalBytes).toBe(wav.length);
    expect(session.audioBytes).toBe(wav.length - 44);
    expect(session.header).toEqual({ audioFormat: 'pcm', sampleRate: 16000, channels: 1, bitsPerSample: 16 });
    expect(session.finalized).toBe(true);
    expect(session.textFrames).toEqual(['finalize']);
    expect(session.closedBy).toBe('server');
  });

  test.each([
    ['array', (last: unknown) => expect(last).toEqual([expect.objectContaining({ segment_id: 1, start: '0:00:00', end: '0:00:02' })])],
    ['object', (last: unknown) => expect(last).toEqual({ segments: [expect.objectContaining({ segment_id: 1, end: '0:00:02' })] })],
    ['state', (last: unknown) => expect(last).toEqual({ state: 'SUCCESS' })],
  ] as const)('finalize answers in the %s form when configured', async (form, check) => {
    sandbox.configure({ liveFinalForm: form });
    const run = await runLive(sandbox, frames32000(makeWav({ seconds: 2 })));
    expect(run.closeCode).toBe(1000);
    check(run.answers[run.answers.length - 1]);
    if (form === 'state') expect(run.answers[run.answers.length - 2]).toEqual(expect.objectContaining({ segment_id: 1, end: '0:00:02' }));
  });

  test('a WAV that is not 16 kHz mono 16-bit PCM is closed with 1007 saying what was found and needed', async () => {
    const run = await runLive(sandbox, frames32000(makeWav({ seconds: 1, sampleRate: 44100, channels: 2 })));
    expect(run.closeCode).toBe(1007);
    expect(run.closeReason).toBe('WAV is 44100 Hz 2 channels 16-bit PCM; needs 16000 Hz mono 16-bit PCM');
    expect(run.answers).toEqual([]);
    const float = await runLive(sandbox, [makeWav({ seconds: 0.5, bits: 32, format: 3 })]);
    expect(float.closeCode).toBe(1007);
    expect(float.closeReason).toMatch(/16000 Hz mono 32-bit FLOAT; needs/);
    expect(sandbox.liveSessions[sandbox.liveSessions.length - 1].header?.audioFormat).toBe('float');
  });

  test('bytes without a RIFF header are closed with 1007', async () => {
    const run = await runLive(sandbox, [Buffer.alloc(32000, 1)]);
    expect(run.closeCode).toBe(1007);
    expect(run.closeReason).toMatch(/Expected WAV bytes \(RIFF header first\); found bytes starting with 0x01010101/);
  });

  test('a session closed by the client without finalize is recorded as such', async () => {
    const run = await runLive(sandbox, frames32000(makeWav({ seconds: 1.5 })), { finalize: false });
    expect(run.answers).toEqual([{ state: 'PENDING' }, { state: 'PENDING' }]);
    const session = sandbox.liveSessions[sandbox.liveSessions.length - 1];
    expect(session.finalized).toBe(false);
    expect(session.closedBy).toBe('client');
    expect(session.closeCode).toBe(1000);
  });

  test('the upgrade is refused with HTTP 401 without the right token', async () => {
    for (const headers of [{}, { Authorization: 'Token wrong' }]) {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const ws = new WebSocket(`${sandbox.wsUrl}/ws_api/transcribe_files/wav/sync/`, { headers });
        ws.on('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        ws.on('open', () => reject(new Error('opened without a token')));
        ws.on('error', () => undefined);
      });
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body).detail).toMatch(/credentials were not provided|Invalid token/);
    }
  });
});

describe('faults', () => {
  const urlBody = { media_urls: ['https://example.org/a.mp3'] };

  test('status: the given status, body and Retry-After, once; then normal answers', async () => {
    sandbox.faults.add({ type: 'status', status: 429, retryAfter: 3, body: { detail: 'Request was throttled.' } });
    const limited = await post('/api/transcribe_files/', urlBody);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('3');
    expect(limited.json).toEqual({ detail: 'Request was throttled.' });
    expect(limited.headers['x-request-id']).toBeDefined();
    expect((await post('/api/transcribe_files/', urlBody)).status).toBe(200);
  });

  test('status with a text body and times: 2', async () => {
    sandbox.faults.add({ type: 'status', status: 503, body: 'upstream down', times: 2 });
    for (let i = 0; i < 2; i++) {
      const reply = await post('/api/transcribe_files/', urlBody);
      expect(reply.status).toBe(503);
      expect(reply.text).toBe('upstream down');
      expect(reply.headers['content-type']).toMatch(/^text\/plain/);
    }
    expect((await post('/api/transcribe_files/', urlBody)).status).toBe(200);
  });

  test('html: an nginx error page', async () => {
    sandbox.faults.add({ type: 'html', status: 502 });
    const reply = await post('/api/transcribe_files/', urlBody);
    expect(reply.status).toBe(502);
    expect(reply.headers['content-type']).toBe('text/html');
    expect(reply.text).toContain('<title>502 Bad Gateway</title>');
    expect(reply.text).toContain('nginx');
  });

  test('malformed: a 200 of the wrong shape, by default valid JSON', async () => {
    sandbox.faults.add({ type: 'malformed' });
    const reply = await post('/api/transcribe_files/', urlBody);
    expect(reply.status).toBe(200);
    expect(reply.json).toBeDefined();
    expect(Array.isArray(reply.json)).toBe(false);
    expect(reply.json.state).toBeUndefined();
    sandbox.faults.add({ type: 'malformed', body: '[{"media_url": 1' });
    const broken = await post('/api/transcribe_files/', urlBody);
    expect(broken.status).toBe(200);
    expect(broken.text).toBe('[{"media_url": 1');
  });

  test('drop: the socket is destroyed without an answer', async () => {
    sandbox.faults.add({ type: 'drop' });
    await expect(post('/api/transcribe_files/', urlBody)).rejects.toThrow(/socket hang up|ECONNRESET/);
    const entry = sandbox.log[sandbox.log.length - 1];
    expect(entry.fault).toBe('drop');
    expect(entry.status).toBe(0);
  });

  test('stall: never answers until the sandbox closes', async () => {
    const other = await startSandbox({ taskDelayMs: 10 });
    other.faults.add({ type: 'stall' });
    const pending = send(`${other.url}/api/transcribe_files/`, {
      method: 'POST',
      headers: { ...json, Authorization: `Token ${other.token}` },
      body: JSON.stringify(urlBody),
    });
    let settled = false;
    pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    while (!other.log.some((e) => e.fault === 'stall' && e.bytes > 0)) await new Promise((r) => setTimeout(r, 10));
    // A normal request on the same server is answered while the stalled one still waits.
    const normal = await send(`${other.url}/`);
    expect(normal.status).toBe(200);
    expect(settled).toBe(false);
    await other.close();
    await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  test('delay: holds one answer back while others pass, then answers normally', async () => {
    sandbox.faults.add({ type: 'delay', ms: 400 });
    const order: string[] = [];
    const delayed = post('/api/transcribe_files/', urlBody).then((reply) => {
      order.push('delayed');
      return reply;
    });
    while (!sandbox.log.some((e) => e.fault === 'delay' && e.status === 0)) await new Promise((r) => setTimeout(r, 5));
    const normal = await send(`${sandbox.url}/`);
    order.push('normal');
    const reply = await delayed;
    expect(normal.status).toBe(200);
    expect(reply.status).toBe(200);
    expect(reply.json[0].media_url).toBe('https://example.org/a.mp3');
    expect(order).toEqual(['normal', 'delayed']);
  });

  test('path prefix: a fault waits for a request to its path', async () => {
    sandbox.faults.add({ type: 'status', status: 500, path: '/api/alignment/' });
    expect((await post('/api/transcribe_files/', urlBody)).status).toBe(200);
    expect((await post('/api/alignment/', { media_url: 'https://example.org/a.mp3', text: 'سلام' })).status).toBe(500);
    expect(sandbox.faults.pending()).toEqual([]);
  });

  test('ws-close: closes the websocket with 1011 after the given frames', async () => {
    sandbox.faults.add({ type: 'ws-close', afterFrames: 2 });
    const run = await runLive(sandbox, frames32000(makeWav({ seconds: 6 })));
    expect(run.closeCode).toBe(1011);
    expect(run.answers).toEqual([{ state: 'PENDING' }, { state: 'PENDING' }]);
    expect(sandbox.liveSessions[sandbox.liveSessions.length - 1].frames).toHaveLength(2);
  });

  test('ws-reject: refuses the upgrade with the status; HTTP requests do not use it', async () => {
    sandbox.faults.add({ type: 'ws-reject', status: 503 });
    expect((await post('/api/transcribe_files/', urlBody)).status).toBe(200);
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${sandbox.wsUrl}/ws_api/transcribe_files/wav/sync/`, {
        headers: { Authorization: `Token ${sandbox.token}` },
      });
      ws.on('unexpected-response', (_req, res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      ws.on('error', () => undefined);
    });
    expect(status).toBe(503);
    expect((await runLive(sandbox, frames32000(makeWav({ seconds: 0.5 })))).closeCode).toBe(1000);
  });

  test('over HTTP: POST adds one or many, DELETE clears, both need the token', async () => {
    const control = `${sandbox.url}/__sandbox/faults`;
    const refused = await send(control, { method: 'POST', headers: json, body: JSON.stringify({ type: 'drop' }) });
    expect(refused.status).toBe(401);
    const added = await send(control, {
      method: 'POST',
      headers: { ...json, ...auth },
      body: JSON.stringify([
        { type: 'status', status: 504, path: '/api/' },
        { type: 'html', status: 503 },
      ]),
    });
    expect(added.status).toBe(200);
    expect(added.json.pending).toHaveLength(2);
    expect((await post('/api/transcribe_files/', urlBody)).status).toBe(504);
    const cleared = await send(control, { method: 'DELETE', headers: auth });
    expect(cleared.status).toBe(200);
    expect((await post('/api/transcribe_files/', urlBody)).status).toBe(200);
  });

  test('a fault in the wrong shape is refused naming the field', async () => {
    const reply = await send(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { ...json, ...auth },
      body: JSON.stringify({ type: 'status', status: 'five hundred' }),
    });
    expect(reply.status).toBe(400);
    expect(reply.json.detail).toBe('fault.status: found "five hundred", expected an integer from 100 to 599');
    expect(() => sandbox.faults.add({ type: 'explode' } as never)).toThrow(/fault.type: found "explode", expected one of status/);
  });

  test('over HTTP: settings change with POST /__sandbox/config and live sessions are listed', async () => {
    const refused = await send(`${sandbox.url}/__sandbox/config`, { method: 'POST', headers: json, body: '{"taskDelayMs":0}' });
    expect(refused.status).toBe(401);
    const bad = await send(`${sandbox.url}/__sandbox/config`, {
      method: 'POST',
      headers: { ...json, ...auth },
      body: JSON.stringify({ liveFinalForm: 'poem' }),
    });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toBe('liveFinalForm: found "poem", expected one of segment, array, object, state');
    const changed = await send(`${sandbox.url}/__sandbox/config`, {
      method: 'POST',
      headers: { ...json, ...auth },
      body: JSON.stringify({ liveFinalForm: 'object' }),
    });
    expect(changed.status).toBe(200);
    expect(changed.json.liveFinalForm).toBe('object');
    expect(sandbox.settings.liveFinalForm).toBe('object');
    const audio = makeWav({ seconds: 1 });
    const run = await runLive(sandbox, frames32000(audio));
    expect(run.answers[run.answers.length - 1]).toEqual({ segments: [expect.objectContaining({ segment_id: 1, end: '0:00:01' })] });
    const live = await send(`${sandbox.url}/__sandbox/live`, { headers: auth });
    expect(live.status).toBe(200);
    const last = live.json[live.json.length - 1];
    expect(last).toEqual(expect.objectContaining({ frames: [32000, 44], totalBytes: 32044, finalized: true, closeCode: 1000 }));
    // The audio after the header, hashed across the frame edge.
    expect(last.audioSha256).toBe(createHash('sha256').update(audio.subarray(44)).digest('hex'));
    const upgrade = sandbox.log.filter((e) => e.path === '/ws_api/transcribe_files/wav/sync/').pop();
    expect(upgrade?.status).toBe(101);
  });

  test('GET /__sandbox/log lists recent requests without any Authorization header', async () => {
    await post('/api/transcribe_files/', { media_urls: ['https://example.org/logged.mp3'] });
    const reply = await send(`${sandbox.url}/__sandbox/log`, { headers: auth });
    expect(reply.status).toBe(200);
    const last = reply.json[reply.json.length - 1];
    expect(last).toEqual(
      expect.objectContaining({ method: 'POST', path: '/api/transcribe_files/', contentType: 'application/json', status: 200 }),
    );
    expect(last.bytes).toBe(JSON.stringify({ media_urls: ['https://example.org/logged.mp3'] }).length);
    expect(reply.text).not.toContain(sandbox.token);
    expect(reply.text.toLowerCase()).not.toContain('authorization');
    expect((await send(`${sandbox.url}/__sandbox/log`)).status).toBe(401);
  });
});

describe('jobs started', () => {
  const jobs = async () => (await send(`${sandbox.url}/__sandbox/jobs`, { headers: auth })).json;

  beforeEach(async () => {
    const reset = await send(`${sandbox.url}/__sandbox/jobs`, { method: 'DELETE', headers: auth });
    expect(reset.json).toEqual({ started: 0, byMediaUrl: {} });
  });

  test('each URL transcribed or submitted, each upload and each alignment is one job; task checks are none', async () => {
    await post('/api/transcribe_files/', { media_urls: ['https://example.org/a.mp3', 'https://example.org/b.mp3'] });
    const submitted = await post('/api/transcribe_files/', { media_urls: ['https://example.org/a.mp3'], wait: false });
    await post('/api/transcribe_files/', { tasks_ids: submitted.json.task_ids, wait: false });
    await post('/api/alignment/', { media_url: 'https://example.org/c.mp3', text: 'سلام دنیا' });
    const boundary = 'jobsboundary';
    await send(`${sandbox.url}/api/transcribe_files/`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body: multipartBody(boundary, [{ name: 'media', filename: 'voice.wav', contentType: 'audio/wav', data: makeWav({ seconds: 1 }) }]),
    });
    // Refused requests start nothing.
    await post('/api/transcribe_files/', { media_urls: ['not a url'] });
    expect(await jobs()).toEqual({
      started: 5,
      byMediaUrl: { 'https://example.org/a.mp3': 2, 'https://example.org/b.mp3': 1, 'https://example.org/c.mp3': 1, 'voice.wav': 1 },
    });
    expect(sandbox.jobs()).toEqual(await jobs());
    sandbox.resetJobs();
    expect(sandbox.jobs()).toEqual({ started: 0, byMediaUrl: {} });
    expect((await send(`${sandbox.url}/__sandbox/jobs`)).status).toBe(401);
  });

  test('a fault that answers in place of the service starts no job; one that passes through does', async () => {
    sandbox.faults.add({ type: 'status', status: 504 });
    expect((await post('/api/transcribe_files/', urlBodyOf('x'))).status).toBe(504);
    expect(sandbox.jobs().started).toBe(0);
    sandbox.faults.add({ type: 'status', status: 504, passThrough: true });
    const gatewayTimeout = await post('/api/transcribe_files/', urlBodyOf('x'));
    expect(gatewayTimeout.status).toBe(504);
    expect(gatewayTimeout.json).toEqual({ detail: 'Gateway Time-out' });
    expect(sandbox.jobs()).toEqual({ started: 1, byMediaUrl: { 'https://example.org/x.mp3': 1 } });
    sandbox.faults.add({ type: 'html', status: 502, passThrough: true });
    expect((await post('/api/alignment/', { media_url: 'https://example.org/x.mp3', text: 'یک' })).status).toBe(502);
    expect(sandbox.jobs().started).toBe(2);
  });

  test('drop with passThrough: the connection is lost after the job started; early: before the body is read', async () => {
    sandbox.faults.add({ type: 'drop', passThrough: true });
    await expect(post('/api/transcribe_files/', urlBodyOf('lost'))).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(sandbox.jobs().byMediaUrl).toEqual({ 'https://example.org/lost.mp3': 1 });
    expect(sandbox.log[sandbox.log.length - 1]).toEqual(expect.objectContaining({ fault: 'drop', status: 0 }));
    sandbox.faults.add({ type: 'drop', early: true });
    await expect(post('/api/transcribe_files/', urlBodyOf('early'))).rejects.toThrow(/socket hang up|ECONNRESET|EPIPE/);
    expect(sandbox.log[sandbox.log.length - 1]).toEqual(expect.objectContaining({ fault: 'drop', bytes: 0, status: 0 }));
    expect(sandbox.jobs().started).toBe(1);
    expect(() => sandbox.faults.add({ type: 'delay', ms: 1, passThrough: true })).toThrow(/fault.passThrough: found true/);
  });
});

function chunks(buffer: Buffer, count: number): Buffer[] {
  const size = Math.ceil(buffer.length / count);
  return Array.from({ length: count }, (_, index) => buffer.subarray(index * size, (index + 1) * size));
}

describe('uploads received and more than one account', () => {
  let accounts: Sandbox;
  const second = 'second-account-token-5b1e';
  const third = 'third-account-token-9c2f';
  const as = (token: string) => ({ authorization: `Token ${token}`, 'content-type': 'application/json' });

  beforeAll(async () => {
    accounts = await startSandbox({ taskDelayMs: 0, processingDelayMs: 0, tokens: [second, third] });
  });
  afterAll(async () => {
    await accounts.close();
  });

  test('every upload is recorded with its size and SHA-256, and resetJobs() clears them', async () => {
    const wav = makeWav({ seconds: 1 });
    wav[wav.length - 1] ^= 0x5a; // bytes that a truncated or re-encoded upload would not keep
    const boundary = 'hashboundary';
    const answer = await send(`${accounts.url}/api/transcribe_files/`, {
      method: 'POST',
      headers: { authorization: `Token ${second}`, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      // In pieces, so the hash is taken across chunk edges.
      pieces: chunks(multipartBody(boundary, [{ name: 'media', filename: 'hashed.wav', contentType: 'audio/wav', data: wav }]), 7),
    });
    expect(answer.status).toBe(200);
    const sha256 = createHash('sha256').update(wav).digest('hex');
    const expected = {
      fileName: 'hashed.wav',
      contentType: 'audio/wav',
      bytes: wav.length,
      sha256,
      mediaUrl: answer.json[0].media_url,
      account: 1,
      receivedMs: expect.any(Number),
    };
    expect(accounts.uploads).toEqual([expected]);
    expect((await send(`${accounts.url}/__sandbox/uploads`, { headers: as(third) })).json).toEqual([expected]);
    accounts.resetJobs();
    expect(accounts.uploads).toEqual([]);
  });

  test('an upload records how long its body took to arrive, as benchmarks compare clients by it', async () => {
    const boundary = 'slowboundary';
    const body = multipartBody(boundary, [
      { name: 'media', filename: 'slow.wav', contentType: 'audio/wav', data: makeWav({ seconds: 1 }) },
    ]);
    const answer = await send(`${accounts.url}/api/transcribe_files/`, {
      method: 'POST',
      headers: { authorization: `Token ${second}`, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      pieces: chunks(body, 5),
      gapMs: 60,
    });
    expect(answer.status).toBe(200);
    const [upload] = accounts.uploads;
    // Five pieces 60 ms apart: at least four gaps between the first byte and the last.
    expect(upload.receivedMs).toBeGreaterThanOrEqual(200);
    expect(upload.receivedMs).toBeLessThan(10_000);
    accounts.resetJobs();
  });

  test("each token is its own account: jobs counted by account, and one account cannot see another's tasks", async () => {
    accounts.resetJobs();
    const submit = async (token: string, name: string) =>
      (
        await send(`${accounts.url}/api/transcribe_files/`, {
          method: 'POST',
          headers: as(token),
          body: JSON.stringify({ media_urls: [`https://example.org/${name}.mp3`], wait: false }),
        })
      ).json;
    const check = async (token: string, ids: string[]) =>
      (
        await send(`${accounts.url}/api/transcribe_files/`, {
          method: 'POST',
          headers: as(token),
          body: JSON.stringify({ tasks_ids: ids, wait: false }),
        })
      ).json;
    const mine = await submit(second, 'mine');
    await submit(accounts.token, 'first');
    expect(Array.isArray(await check(second, mine.task_ids))).toBe(true);
    expect(await check(third, mine.task_ids)).toEqual({ state: 'PENDING' });
    expect(await check(accounts.token, mine.task_ids)).toEqual({ state: 'PENDING' });
    expect(accounts.jobs()).toEqual({
      started: 2,
      byMediaUrl: { 'https://example.org/mine.mp3': 1, 'https://example.org/first.mp3': 1 },
      byAccount: { '0': { 'https://example.org/first.mp3': 1 }, '1': { 'https://example.org/mine.mp3': 1 }, '2': {} },
    });
    expect((await send(`${accounts.url}/api/transcribe_files/`, { method: 'POST', headers: as('unknown-token'), body: '{}' })).status).toBe(
      401,
    );
    await expect(startSandbox({ token: 'same', tokens: ['same'] })).rejects.toThrow(/tokens: expected distinct tokens/);
  });
});

function urlBodyOf(name: string): { media_urls: string[] } {
  return { media_urls: [`https://example.org/${name}.mp3`] };
}

describe('AssemblyAI short audio', () => {
  const key = () => ({ authorization: sandbox.assemblyAiKey });
  const pcm = (seconds: number, rate = 8000) => makeWav({ seconds, sampleRate: rate }).subarray(44);

  test('transcribes raw PCM: words spread in ms over the length, some unsure, deterministic', async () => {
    const audio = pcm(4);
    const reply = await post('/v2/stream', { audio_data: audio.toString('base64') }, key());
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual(
      expect.objectContaining({ status: 'completed', id: expect.any(String), created: expect.any(String), text: expect.any(String) }),
    );
    expect(typeof reply.json.confidence).toBe('number');
    const words = reply.json.words as Array<{ text: string; confidence: number; start: number; end: number }>;
    expect(words.length).toBeGreaterThan(3);
    expect(words.map((w) => w.text).join(' ')).toBe(reply.json.text);
    expect(words[0].start).toBe(0);
    expect(words[words.length - 1].end).toBeLessThanOrEqual(4000);
    expect(words[words.length - 1].end).toBeGreaterThan(3000);
    expect(words.some((w) => w.confidence < 0.5)).toBe(true);
    expect(words.some((w) => w.confidence >= 0.5)).toBe(true);
    const again = await post('/v2/stream', { audio_data: audio.toString('base64') }, key());
    expect(again.json.words).toEqual(words);
  });

  test('a wrong or missing key answers 401 with AssemblyAI wording', async () => {
    const variants: Array<Record<string, string>> = [{}, { authorization: 'wrong' }, { authorization: `Token ${sandbox.assemblyAiKey}` }];
    for (const headers of variants) {
      const reply = await post('/v2/stream', { audio_data: pcm(1).toString('base64') }, headers);
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({ error: 'Authentication error, API token missing/invalid' });
    }
  });

  test('bad bodies answer 400 with an error', async () => {
    const missing = await post('/v2/stream', {}, key());
    expect(missing.status).toBe(400);
    expect(missing.json.error).toMatch(/audio_data/);
    const notBase64 = await post('/v2/stream', { audio_data: 'this is not base64!' }, key());
    expect(notBase64.status).toBe(400);
    expect(notBase64.json.error).toMatch(/base64/);
    const withHeader = await post('/v2/stream', { audio_data: makeWav({ seconds: 1, sampleRate: 8000 }).toString('base64') }, key());
    expect(withHeader.status).toBe(400);
    expect(withHeader.json.error).toMatch(/WAV header/);
  });

  test('over 15 s is refused; exactly 15 s is accepted; the sample rate setting counts', async () => {
    const long = await post('/v2/stream', { audio_data: pcm(15.5).toString('base64') }, key());
    expect(long.status).toBe(400);
    expect(long.json.error).toMatch(/15\.50 seconds at 8000 Hz.*15 seconds/);
    expect((await post('/v2/stream', { audio_data: pcm(15).toString('base64') }, key())).status).toBe(200);
    sandbox.configure({ assemblyAiSampleRate: 16000 });
    try {
      expect((await post('/v2/stream', { audio_data: pcm(15.5).toString('base64') }, key())).status).toBe(200);
    } finally {
      sandbox.configure({ assemblyAiSampleRate: 8000 });
    }
  });

  test('GET /v2/transcript checks the key', async () => {
    const ok = await send(`${sandbox.url}/v2/transcript?limit=1`, { headers: key() });
    expect(ok.status).toBe(200);
    expect(ok.json.transcripts).toEqual([]);
    expect(ok.json.page_details.limit).toBe(1);
    const refused = await send(`${sandbox.url}/v2/transcript?limit=1`, { headers: { authorization: 'nope' } });
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual({ error: 'Authentication error, API token missing/invalid' });
  });
});

describe('lifecycle', () => {
  test('close() ends open websockets and keep-alive sockets and resolves', async () => {
    const other = await startSandbox();
    const ws = new WebSocket(`${other.wsUrl}/ws_api/transcribe_files/wav/sync/`, { headers: { Authorization: `Token ${other.token}` } });
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await other.close();
    expect(await closed).toBe(1006);
    await expect(send(`${other.url}/`)).rejects.toThrow(/ECONNREFUSED/);
  });

  test('the CLI prints URL, token and AssemblyAI key, says it is a sandbox, and exits on SIGTERM', async () => {
    const loader = [
      "const fs = require('fs'); const ts = require('typescript');",
      "require.extensions['.ts'] = (m, f) => m._compile(ts.transpileModule(fs.readFileSync(f, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, f);",
      `require(${JSON.stringify(join(__dirname, '..', '..', 'sandbox', 'cli.ts'))});`,
    ].join('\n');
    const child = spawn(process.execPath, ['-e', loader], {
      env: { ...process.env, HARF_SANDBOX_PORT: '0', HARF_SANDBOX_TOKEN: 'cli-test-token' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const match = /URL:\s+(http:\/\/\S+)/.exec(out);
        if (match && out.includes('AssemblyAI key')) resolve(match[1]);
      });
      child.on('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    expect(out).toMatch(/sandbox/i);
    expect(out).toMatch(/not real recognition/);
    expect(out).toContain('Token:          cli-test-token');
    expect(out).toContain('AssemblyAI key: sandbox-assemblyai-key');
    const viaCli = await send(`${url}/api/transcribe_files/`, {
      method: 'POST',
      headers: { ...json, Authorization: 'Token cli-test-token' },
      body: JSON.stringify({ media_urls: [DOCUMENTED_EXAMPLE_URL] }),
    });
    expect(viaCli.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30000);
});
