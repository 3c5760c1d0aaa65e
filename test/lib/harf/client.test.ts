import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { startSandbox } from '../../../sandbox';
import {
  AbortedError,
  AuthenticationError,
  BadInputError,
  ConnectionError,
  RateLimitError,
  RequestRejectedError,
  ServerError,
  TaskFailedError,
  TaskTimedOutError,
  UnexpectedResponseError,
  WaitTimeoutError,
} from '../../../lib/errors';
import { HarfClient } from '../../../lib/harf/client';
import type { HttpTransport } from '../../../lib/http/types';
import { createNodeTransport } from '../../../lib/http/nodeTransport';
import { startRedirectServer } from '../../support/servers';
import { wav } from '../../support/wav';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

let sandbox: Sandbox;
let client: HarfClient;
// The transport the clients make for themselves, shared by the requests this file sends directly.
const node = createNodeTransport();
const nodeTransport = node.transport;
const fastRetry = { retries: 3, minDelayMs: 10, maxDelayMs: 3000, maxElapsedMs: 20_000 };

beforeAll(async () => {
  sandbox = await startSandbox({ taskDelayMs: 150, processingDelayMs: 0 });
});
afterAll(() => {
  node.close();
  return sandbox.close();
});
beforeEach(() => {
  sandbox.faults.clear();
  // The sandbox keeps the last 1000 requests only: counts taken within one test must not meet that edge.
  sandbox.log.length = 0;
  client = new HarfClient({ token: sandbox.token, baseUrl: sandbox.url, retry: fastRetry });
});

/** The real transport, counting how many requests are under way at once. */
function countingTransport(): { counting: HttpTransport; highest: () => number } {
  let active = 0;
  let most = 0;
  const counting: HttpTransport = async (request) => {
    active++;
    most = Math.max(most, active);
    try {
      return await nodeTransport(request);
    } finally {
      active--;
    }
  };
  return { counting, highest: () => most };
}

function apiRequests(): { path: string; status: number }[] {
  return sandbox.log.filter((entry) => entry.path.startsWith('/api/'));
}

describe('transcribe by URL', () => {
  it('answers one file result per URL, in order, with the API fields as sent', async () => {
    const urls = ['https://media.example/b.mp3?duration=12', 'https://media.example/a.mp3?duration=30'];
    const results = await client.transcribeUrls(urls);
    expect(results.map((r) => r.media_url)).toEqual(urls);
    expect(results[1].duration).toBe('0:00:30');
    expect(results[1].segments.length).toBeGreaterThan(1);
    expect(typeof results[1].stats.known_words).toBe('number');
  });

  it('returns the API reference example exactly for its URL', async () => {
    const [result] = await client.transcribeUrls(['https://i.ganjoor.net/a2/41417.mp3']);
    expect(result.duration).toBe('0:00:44');
    expect(result.segments[0]).toEqual({ start: '0:00:00', end: '0:00:02', text: '[حکایت]' });
    expect(result.stats).toEqual({ words: 57, known_words: 54 });
  });

  it('refuses bad URLs before sending, naming the position', async () => {
    const before = apiRequests().length;
    await expect(client.transcribeUrls(['https://ok.example/a.mp3', 'ftp://x/b.mp3'])).rejects.toMatchObject({
      name: 'BadInputError',
      field: 'media_urls[1]',
    });
    await expect(client.transcribeUrls([])).rejects.toBeInstanceOf(BadInputError);
    expect(apiRequests().length).toBe(before);
  });

  it('reports a failed wait=true transcription as TaskFailedError', async () => {
    await expect(client.transcribeUrls(['https://media.example/fail.mp3'])).rejects.toBeInstanceOf(TaskFailedError);
  });
});

describe('tasks', () => {
  it('submits, then waits for every task with progress reports', async () => {
    const urls = ['https://media.example/one.mp3?duration=10', 'https://media.example/two.mp3?duration=20'];
    const tasks = await client.submitUrls(urls);
    expect(tasks.map((t) => t.media_url)).toEqual(urls);
    expect(new Set(tasks.map((t) => t.task_id)).size).toBe(2);
    const progress: number[] = [];
    const outcomes = await client.waitForTasks(
      tasks.map((t) => t.task_id),
      { intervalMs: 50, onProgress: (p) => progress.push(p.done) },
    );
    expect(outcomes.map((o) => o.state)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(outcomes[1].results?.[0].media_url).toBe(urls[1]);
    expect(outcomes.every((o) => o.checks >= 2)).toBe(true);
    expect(progress[progress.length - 1]).toBe(2);
  });

  it('keeps the good results when other tasks FAIL or TIME OUT', async () => {
    const tasks = await client.submitUrls([
      'https://media.example/fail.mp3',
      'https://media.example/good.mp3?duration=8',
      'https://media.example/timeout.mp3',
    ]);
    const outcomes = await client.waitForTasks(
      tasks.map((t) => t.task_id),
      { intervalMs: 50 },
    );
    expect(outcomes[0].state).toBe('FAILURE');
    expect(outcomes[0].error).toBeInstanceOf(TaskFailedError);
    expect(outcomes[1].state).toBe('SUCCESS');
    expect(outcomes[1].results?.[0].duration).toBe('0:00:08');
    expect(outcomes[2].error).toBeInstanceOf(TaskTimedOutError);
  });

  it('checks one task per request', async () => {
    sandbox.configure({ taskDelayMs: 600_000 });
    try {
      const [task] = await client.submitUrls(['https://media.example/x.mp3']);
      const status = await client.checkTask(task.task_id);
      expect(status).toEqual({ task_id: task.task_id, state: 'PENDING' });
    } finally {
      sandbox.configure({ taskDelayMs: 150 });
    }
  });

  it('checks many tasks once, several at a time, each answer for its own task', async () => {
    const tasks = await client.submitUrls(['https://media.example/done.mp3?duration=5', 'https://media.example/fail.mp3']);
    await client
      .waitForTasks(
        tasks.map((t) => t.task_id),
        { intervalMs: 30 },
      )
      .catch(() => undefined);
    const { counting, highest } = countingTransport();
    const bounded = new HarfClient({ token: sandbox.token, baseUrl: sandbox.url, transport: counting });
    sandbox.faults.add({ type: 'delay', ms: 50, times: 10 });
    const statuses = await bounded.checkTasks([tasks[0].task_id, tasks[1].task_id, 'unknown-task', ' '], { concurrency: 2 });
    expect(statuses.map((s) => s.state)).toEqual(['SUCCESS', 'FAILURE', 'PENDING', 'PENDING']);
    expect(statuses[0].results?.[0].media_url).toBe('https://media.example/done.mp3?duration=5');
    expect(statuses[3].error).toBeInstanceOf(BadInputError);
    expect(highest()).toBe(2);
  });

  it('ends tasks still pending at its own timeout with a WaitTimeoutError, and keeps the others', async () => {
    const [task] = await client.submitUrls(['https://media.example/quick.mp3?duration=5']);
    const outcomes = await client.waitForTasks(['never-existed', task.task_id], { intervalMs: 40, timeoutMs: 700 });
    expect(outcomes[0].state).toBe('PENDING');
    expect(outcomes[0].error).toBeInstanceOf(WaitTimeoutError);
    expect(outcomes[1].state).toBe('SUCCESS');
  });

  it('stops at once when cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await expect(client.waitForTasks(['never-existed'], { intervalMs: 50, signal: controller.signal })).rejects.toBeInstanceOf(
      AbortedError,
    );
  });

  it('never has more status requests under way than its concurrency', async () => {
    const { counting, highest } = countingTransport();
    const bounded = new HarfClient({ token: sandbox.token, baseUrl: sandbox.url, transport: counting });
    const tasks = await bounded.submitUrls(Array.from({ length: 9 }, (_, i) => `https://media.example/c${i}.mp3?duration=5`));
    sandbox.faults.add({ type: 'delay', ms: 60, times: 100 });
    const outcomes = await bounded.waitForTasks(
      tasks.map((t) => t.task_id),
      { intervalMs: 20, concurrency: 2 },
    );
    expect(outcomes.every((o) => o.state === 'SUCCESS')).toBe(true);
    expect(highest()).toBe(2);
  });

  it('backs off between checks of one task', async () => {
    const intervals: number[] = [];
    const sleep = async (ms: number) => {
      intervals.push(ms);
    };
    await client.waitForTasks(['never-existed'], { intervalMs: 100, backoffFactor: 2, maxIntervalMs: 500, timeoutMs: 300, sleep });
    expect(intervals.slice(0, 5)).toEqual([100, 200, 400, 500, 500]);
  });
});

describe('upload', () => {
  it('streams a file from a path, named and typed by its extension', async () => {
    const file = path.join(os.tmpdir(), `harf-upload-${process.pid}.wav`);
    fs.writeFileSync(file, wav(16000, 3.5));
    const [result] = await client.uploadFile(file);
    expect(result.duration).toMatch(/^0:00:03(\.5)?/);
    const upload = sandbox.log.filter((e) => e.contentType?.startsWith('multipart/')).pop();
    expect(upload).toBeDefined();
    expect(result.media_url).toContain(path.basename(file));
    fs.rmSync(file);
  });

  it('uploads a Buffer, maps a voice note name to an audio type, and reports progress', async () => {
    const sent: number[] = [];
    const [result] = await client.uploadFile(Buffer.alloc(64_000, 1), {
      filename: 'voice.oga',
      contentType: 'application/octet-stream',
      onProgress: (bytes) => sent.push(bytes),
    });
    // Telegram's .oga is Ogg audio under a rarer name: sent as .ogg, audio/ogg.
    expect(result.media_url).toContain('voice.ogg');
    expect(sent[sent.length - 1]).toBe(64_000);
  });

  it('sends a name given as a path as the file name alone', async () => {
    const [result] = await client.uploadFile(wav(16000, 1), { filename: '/home/someone/recordings/interview.wav' });
    expect(result.media_url).toMatch(/\/interview\.wav$/);
    expect(result.media_url).not.toContain('recordings');
    const [windows] = await client.uploadFile(wav(16000, 1), { filename: 'C:\\Users\\someone\\Recordings\\call.wav' });
    expect(windows.media_url).toMatch(/\/call\.wav$/);
  });

  it('names a nameless upload from its first bytes, and refuses what is not media', async () => {
    const [result] = await client.uploadFile(wav(16000, 1));
    expect(result.media_url).toMatch(/audio\.wav$/);
    expect(result.duration).toMatch(/^0:00:01/);
    await expect(
      client.uploadFile(Buffer.from('%PDF-1.7 not audio'), { filename: 'notes.pdf', contentType: 'application/pdf' }),
    ).rejects.toMatchObject({
      name: 'BadInputError',
      field: 'file',
    });
  });

  it('refuses an empty Buffer and a missing path, naming the field', async () => {
    await expect(client.uploadFile(Buffer.alloc(0))).rejects.toMatchObject({ field: 'file' });
    await expect(client.uploadFile('/no/such/file.mp3')).rejects.toThrow(/does not exist/);
  });

  it('sends a path again after a 503 but never a one-shot stream', async () => {
    const file = path.join(os.tmpdir(), `harf-retry-${process.pid}.wav`);
    fs.writeFileSync(file, wav(16000, 1));
    sandbox.faults.add({ type: 'status', status: 503, path: '/api/transcribe_files/' });
    await expect(client.uploadFile(file)).resolves.toHaveLength(1);
    sandbox.faults.add({ type: 'status', status: 503, path: '/api/transcribe_files/' });
    await expect(client.uploadFile(Readable.from([wav(16000, 1)]), { filename: 'a.wav' })).rejects.toBeInstanceOf(ServerError);
    fs.rmSync(file);
  });

  it('uploads 200 MiB from a path with bounded memory', async () => {
    const file = path.join(os.tmpdir(), `harf-big-${process.pid}.wav`);
    const dataBytes = 200 * 1024 * 1024;
    const header = wav(16000, 0).subarray(0, 44);
    header.writeUInt32LE(36 + dataBytes, 4);
    header.writeUInt32LE(dataBytes, 40);
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, header);
    fs.ftruncateSync(fd, 44 + dataBytes);
    fs.closeSync(fd);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const [result] = await client.uploadFile(file);
      // 200 MiB of 16 kHz 16-bit mono is 6553.6 s.
      expect(result.duration).toMatch(/^1:49:13/);
    } finally {
      clearInterval(sampler);
      fs.rmSync(file);
    }
    // Loose bound: the file must not be held in memory (the benchmark measures precisely).
    expect(peak - baseline).toBeLessThan(100 * 1024 * 1024);
  }, 120_000);
});

describe('alignment', () => {
  it('returns one segment per word with microsecond times', async () => {
    const result = await client.alignText('https://media.example/a.mp3?duration=6', 'سخن را سر از خردمند');
    expect(result.segments.map((s) => s.text)).toEqual(['سخن', 'را', 'سر', 'از', 'خردمند']);
    expect(result.segments[1].start).toMatch(/^0:00:\d\d\.\d{6}$/);
  });

  it('refuses empty text', async () => {
    await expect(client.alignText('https://media.example/a.mp3', '  ')).rejects.toMatchObject({ field: 'text' });
  });
});

describe('errors', () => {
  it('says the token was refused, without showing it', async () => {
    const secret = 'wrong-token-7f3a9c2e';
    const wrong = new HarfClient({ token: secret, baseUrl: sandbox.url, retry: fastRetry });
    const error = await wrong.transcribeUrls(['https://media.example/a.mp3']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect((error as Error).message).toMatch(/refused the token/);
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message, stack: (error as Error).stack })).not.toContain(
      secret,
    );
  });

  it('says where a moved Base URL redirects an upload, without the user name or password in the address', async () => {
    const moved = await startRedirectServer('https://user:secret-pass@harf.example/api/transcribe_files/');
    const stale = new HarfClient({ token: sandbox.token, baseUrl: moved.url, retry: fastRetry });
    try {
      const error = await stale.uploadFile(wav(16000, 1), { filename: 'moved.wav' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestRejectedError);
      expect((error as RequestRejectedError).status).toBe(301);
      expect((error as Error).message).toBe(
        'Harf redirected the request while uploading a file (HTTP 301) to https://harf.example/api/transcribe_files. The service has moved: set the Base URL to where it answers now.',
      );
    } finally {
      stale.close();
      await moved.close();
    }
  });

  it('retries 429 after Retry-After, then succeeds', async () => {
    sandbox.faults.add({ type: 'status', status: 429, retryAfter: 1, body: { detail: 'Request was throttled.' } });
    const before = apiRequests().length;
    const started = Date.now();
    await expect(client.transcribeUrls(['https://media.example/a.mp3'])).resolves.toHaveLength(1);
    expect(apiRequests().length - before).toBe(2);
    // The server asked for one second; asking sooner would be refused again.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up on 429 after the retry budget, with the server detail', async () => {
    sandbox.faults.add({ type: 'status', status: 429, times: 10, body: { detail: 'Request was throttled.' } });
    const error = await client.transcribeUrls(['https://media.example/a.mp3']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as Error).message).toContain('Request was throttled.');
    expect(
      apiRequests()
        .slice(-4)
        .every((r) => r.status === 429),
    ).toBe(true);
  });

  it('a 500 is not sent again, and the HTML of the page is stripped from the excerpt', async () => {
    sandbox.faults.add({ type: 'html', status: 500 });
    const before = apiRequests().length;
    const error = (await client.transcribeUrls(['https://media.example/a.mp3']).catch((e: unknown) => e)) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.status).toBe(500);
    expect(error.body).not.toMatch(/<[a-z]/i);
    expect(error.requestId).toBeTruthy();
    expect(apiRequests().length - before).toBe(1);
  });

  it('names the missing field of a malformed 200', async () => {
    sandbox.faults.add({
      type: 'malformed',
      body: JSON.stringify([{ media_url: 'x', duration: '0:00:01', stats: { words: 1, known_words: 1 } }]),
    });
    const error = await client.transcribeUrls(['https://media.example/a.mp3']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as UnexpectedResponseError).field).toBe('[0].segments');
    sandbox.faults.add({ type: 'malformed', body: '<html>oops</html>' });
    await expect(client.transcribeUrls(['https://media.example/a.mp3'])).rejects.toThrow(/not JSON/);
  });

  it('passes on the service validation message of a 400', async () => {
    const raw = await nodeTransport({
      method: 'POST',
      url: `${sandbox.url}/api/transcribe_files/`,
      headers: { authorization: `Token ${sandbox.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(raw.status).toBe(400);
    sandbox.faults.add({ type: 'status', status: 400, body: { media_urls: ['This field is required.'] } });
    const error = await client.transcribeUrls(['https://media.example/a.mp3']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect((error as Error).message).toContain('media_urls: This field is required.');
  });

  it('gives up on a stalled request at its own limit', async () => {
    const impatient = new HarfClient({ token: sandbox.token, baseUrl: sandbox.url, requestTimeoutMs: 300, retry: { retries: 0 } });
    sandbox.faults.add({ type: 'stall' });
    await expect(impatient.transcribeUrls(['https://media.example/a.mp3'])).rejects.toBeInstanceOf(WaitTimeoutError);
  });

  it('reports an unreachable host as a connection failure', async () => {
    const nowhere = new HarfClient({ token: 't0ken-x', baseUrl: 'http://127.0.0.1:9', retry: { retries: 1, minDelayMs: 1 } });
    await expect(nowhere.transcribeUrls(['https://media.example/a.mp3'])).rejects.toMatchObject({
      name: 'ConnectionError',
      code: 'ECONNREFUSED',
    });
  });

  it('refuses an empty token and a bad base URL by name', () => {
    expect(() => new HarfClient({ token: '', baseUrl: sandbox.url })).toThrow(/Invalid token/);
    expect(() => new HarfClient({ token: 'abc123', baseUrl: 'harf.example' })).toThrow(/Invalid baseUrl: found the text "harf.example"/);
  });
});

describe('sending again (a job is started once)', () => {
  const url = (name: string) => `https://media.example/${name}.mp3`;
  let before: number;
  beforeEach(() => {
    sandbox.resetJobs();
    before = apiRequests().length;
  });
  const sent = () => apiRequests().length - before;

  it.each([502, 504])('a %i after the job started is not sent again, and the error says the job may have started', async (status) => {
    sandbox.faults.add({ type: 'status', status, passThrough: true, times: 5 });
    const error = (await client.transcribeUrls([url('long')]).catch((e: unknown) => e)) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.status).toBe(status);
    expect(error.jobMayHaveStarted).toBe(true);
    expect(error.message).toMatch(/the job may have started/);
    expect(error.toJSON()).toMatchObject({ job_may_have_started: true });
    expect(sent()).toBe(1);
    expect(sandbox.jobs()).toEqual({ started: 1, byMediaUrl: { [url('long')]: 1 } });
  });

  it('a connection lost after the request was sent is not sent again: submit, alignment, upload', async () => {
    sandbox.faults.add({ type: 'drop', passThrough: true, times: 3 });
    const submit = (await client.submitUrls([url('lost')]).catch((e: unknown) => e)) as ConnectionError;
    expect(submit).toBeInstanceOf(ConnectionError);
    expect(submit.requestSent).toBe(true);
    expect(submit.jobMayHaveStarted).toBe(true);
    const align = (await client.alignText(url('lost'), 'یک دو').catch((e: unknown) => e)) as ConnectionError;
    expect(align.jobMayHaveStarted).toBe(true);
    const upload = (await client.uploadFile(wav(16000, 1), { filename: 'lost.wav' }).catch((e: unknown) => e)) as ConnectionError;
    expect(upload).toBeInstanceOf(ConnectionError);
    expect(upload.jobMayHaveStarted).toBe(true);
    expect(sent()).toBe(3);
    expect(sandbox.jobs()).toEqual({ started: 3, byMediaUrl: { [url('lost')]: 2, 'lost.wav': 1 } });
  });

  it('a timeout once the request was sent is not sent again', async () => {
    const impatient = new HarfClient({ token: sandbox.token, baseUrl: sandbox.url, requestTimeoutMs: 300, retry: fastRetry });
    sandbox.faults.add({ type: 'stall', times: 3 });
    const error = (await impatient.transcribeUrls([url('slow')]).catch((e: unknown) => e)) as WaitTimeoutError;
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.requestSent).toBe(true);
    expect(error.jobMayHaveStarted).toBe(true);
    expect(sent()).toBe(1);
    sandbox.faults.clear();
  });

  it('429 and 503 are sent again: the service started nothing', async () => {
    sandbox.faults.add([
      { type: 'status', status: 503 },
      { type: 'status', status: 429, retryAfter: 0 },
    ]);
    await expect(client.transcribeUrls([url('busy')])).resolves.toHaveLength(1);
    expect(sent()).toBe(3);
    expect(sandbox.jobs()).toEqual({ started: 1, byMediaUrl: { [url('busy')]: 1 } });
  });

  it('a connection that failed before the whole upload was sent is sent again, once the job count shows one', async () => {
    sandbox.faults.add({ type: 'drop', early: true });
    const big = wav(16000, 300);
    const [result] = await client.uploadFile(big, { filename: 'early.wav' });
    expect(result.media_url).toMatch(/early\.wav$/);
    expect(sent()).toBe(2);
    expect(sandbox.jobs()).toEqual({ started: 1, byMediaUrl: { 'early.wav': 1 } });
  });

  it('a refused connection is sent again (nothing reached the service)', async () => {
    let calls = 0;
    const nowhere = new HarfClient({
      token: 't0ken-x',
      baseUrl: 'http://127.0.0.1:9',
      retry: { retries: 2, minDelayMs: 1 },
      transport: (request) => (calls++, nodeTransport(request)),
    });
    const error = (await nowhere.submitUrls([url('a')]).catch((e: unknown) => e)) as ConnectionError;
    expect(error).toMatchObject({ name: 'ConnectionError', code: 'ECONNREFUSED', requestSent: false, jobMayHaveStarted: false });
    expect(calls).toBe(3);
  });

  it('a status check is asked again after a 500, a 502, a 504 and a lost connection', async () => {
    const [task] = await client.submitUrls([url('asked')]);
    sandbox.faults.add([{ type: 'status', status: 500 }, { type: 'html', status: 502 }, { type: 'drop' }]);
    const status = await client.checkTask(task.task_id);
    expect(['PENDING', 'SUCCESS']).toContain(status.state);
    sandbox.faults.add({ type: 'status', status: 504, passThrough: true });
    await expect(client.checkTask(task.task_id)).resolves.toMatchObject({ task_id: task.task_id });
    expect(sent()).toBe(1 + 4 + 2);
    expect(sandbox.jobs().started).toBe(1);
  });

  it('a Retry-After longer than the longest wait fails at once with the wait asked for; the limit is an option', async () => {
    sandbox.faults.add({ type: 'status', status: 429, retryAfter: 120 });
    const error = (await client.transcribeUrls([url('later')]).catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.message).toMatch(/asked to wait 120 s .*longest wait allowed \(60 s/);
    expect(sent()).toBe(1);
    // A 503 asking for longer than allowed is the same: a rate-limit error, not a wait.
    const strict = new HarfClient({ token: sandbox.token, baseUrl: sandbox.url, retry: { ...fastRetry, maxRetryAfterMs: 500 } });
    sandbox.faults.add({ type: 'status', status: 503, retryAfter: 1 });
    await expect(strict.transcribeUrls([url('later')])).rejects.toMatchObject({ name: 'RateLimitError', retryAfterMs: 1000, status: 503 });
    const patient = new HarfClient({ token: sandbox.token, baseUrl: sandbox.url, retry: { ...fastRetry, maxRetryAfterMs: 200_000 } });
    sandbox.faults.add({ type: 'status', status: 429, retryAfter: 1 });
    await expect(patient.transcribeUrls([url('later')])).resolves.toHaveLength(1);
    expect(sent()).toBe(4);
    expect(sandbox.jobs().started).toBe(1);
  });
});

describe('connections', () => {
  it('keeps one connection alive between requests, and close() ends it', async () => {
    const http = await import('node:http');
    const open = new Set<import('node:net').Socket>();
    const server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"state":"PENDING"}');
    });
    server.on('connection', (socket) => {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as import('node:net').AddressInfo;
    const own = new HarfClient({ token: 'local-token-1', baseUrl: `http://127.0.0.1:${port}` });
    try {
      await own.checkTask('a');
      await own.checkTask('b');
      expect(open.size).toBe(1);
      own.close();
      await new Promise<void>((resolve) => {
        const check = () => (open.size === 0 ? resolve() : setTimeout(check, 10));
        check();
      });
      expect(open.size).toBe(0);
    } finally {
      server.close();
    }
  });
});

describe('request limits', () => {
  it('lets an upload take longer than the answer limit while its bytes keep flowing', async () => {
    const patient = new HarfClient({ token: sandbox.token, baseUrl: sandbox.url, requestTimeoutMs: 400, retry: { retries: 0 } });
    const audio = wav(16000, 2);
    async function* slowly() {
      for (let offset = 0; offset < audio.length; offset += 8000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        yield audio.subarray(offset, offset + 8000);
      }
    }
    // About 800 ms of sending, twice the limit.
    const [result] = await patient.uploadFile(Readable.from(slowly()), { filename: 'slow.wav' });
    expect(result.duration).toMatch(/^0:00:02/);
  });

  it('gives up on an upload whose bytes stop flowing', async () => {
    const patient = new HarfClient({ token: sandbox.token, baseUrl: sandbox.url, requestTimeoutMs: 300, retry: { retries: 0 } });
    async function* stuck() {
      yield wav(16000, 1);
      await new Promise(() => undefined);
    }
    await expect(patient.uploadFile(Readable.from(stuck()), { filename: 'stuck.wav' })).rejects.toThrow(/Could not send the request/);
  });
});
