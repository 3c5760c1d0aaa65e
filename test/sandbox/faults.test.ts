/**
 * Faults for reliability work: a live websocket upgrade refused with 429 or 503 a number of times,
 * and a status check answered with an oversized or a never-ending body, generated as it is sent so
 * the sandbox itself holds none of it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { LIVE_PATH, startSandbox, type Sandbox } from '../../sandbox';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 0, taskDelayMs: 0 });
});
afterEach(() => sandbox.faults.clear());
afterAll(() => sandbox.close());

interface Handshake {
  status: number;
  retryAfter?: string;
  body: string;
}

/** Opens the live websocket: 101 when it opens, else the refusal's status, Retry-After and body. */
function handshake(url = sandbox.wsUrl, token = sandbox.token): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}${LIVE_PATH}`, { headers: { Authorization: `Token ${token}` } });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body }));
    });
    ws.on('error', (error) => reject(error));
  });
}

describe('the live upgrade refused, N times, then accepted', () => {
  test('429 with Retry-After, twice', async () => {
    sandbox.faults.add({
      type: 'status',
      status: 429,
      retryAfter: 1,
      path: LIVE_PATH,
      times: 2,
      body: { detail: 'Request was throttled. Expected available in 1 second.' },
    });
    for (let i = 0; i < 2; i++) {
      expect(await handshake()).toEqual({
        status: 429,
        retryAfter: '1',
        body: JSON.stringify({ detail: 'Request was throttled. Expected available in 1 second.' }),
      });
    }
    expect((await handshake()).status).toBe(101);
  });

  test("503 with the service's words in a JSON body, then normal", async () => {
    sandbox.faults.add({
      type: 'status',
      status: 503,
      path: LIVE_PATH,
      body: { detail: 'The live service is restarting; try again shortly.' },
    });
    const refused = await handshake();
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toEqual({ detail: 'The live service is restarting; try again shortly.' });
    expect((await handshake()).status).toBe(101);
  });

  test('HTTP requests to other paths do not use a fault on the live path', async () => {
    sandbox.faults.add({ type: 'status', status: 429, path: LIVE_PATH });
    const res = await fetch(`${sandbox.url}/api/healthcheck/`, { headers: { authorization: `Token ${sandbox.token}` } });
    expect(res.status).toBe(200);
    expect(sandbox.faults.pending()).toHaveLength(1);
  });
});

/** POSTs a task check to `base` and reads its answer, counting bytes; `stopAfter` ends the read early. */
function checkTasks(
  base: string,
  token: string,
  stopAfter = Infinity,
): Promise<{ status: number; headers: Record<string, unknown>; bytes: number; text?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/api/transcribe_files/`,
      { method: 'POST', agent: false, headers: { authorization: `Token ${token}`, 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (stopAfter === Infinity) chunks.push(chunk);
          else if (bytes >= stopAfter) {
            res.destroy();
            resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes });
          }
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ tasks_ids: ['a1b2c3'], wait: false }));
  });
}

describe('a status check answered with a body no client should read whole', () => {
  test('oversized: 50 MB of valid JSON, with its Content-Length; the next check is normal', async () => {
    sandbox.faults.add({ type: 'oversized', bytes: 50_000_000, path: '/api/transcribe_files/' });
    const answer = await checkTasks(sandbox.url, sandbox.token);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-length']).toBe('50000000');
    expect(answer.bytes).toBe(50_000_000);
    expect(JSON.parse(answer.text!)).toMatchObject({ state: 'PENDING' });
    expect((await checkTasks(sandbox.url, sandbox.token)).bytes).toBeLessThan(1000);
  });

  test('endless: a chunked body that never ends, a piece every intervalMs', async () => {
    sandbox.faults.add({ type: 'endless', intervalMs: 20, path: '/api/transcribe_files/' });
    const started = Date.now();
    const answer = await checkTasks(sandbox.url, sandbox.token, 300_000);
    expect(answer.headers['transfer-encoding']).toBe('chunked');
    expect(answer.headers['content-length']).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    expect(sandbox.log[sandbox.log.length - 1]).toMatchObject({ fault: 'endless', path: '/api/transcribe_files/', status: 200 });
  });

  test('the fault is checked: bytes and intervalMs are integers in range', () => {
    expect(() => sandbox.faults.add({ type: 'oversized', bytes: -1 } as never)).toThrow(/fault.bytes: found -1, expected an integer/);
    expect(() => sandbox.faults.add({ type: 'endless', intervalMs: 'soon' } as never)).toThrow(/fault.intervalMs/);
  });
});

const procStatus = (pid: number) => `/proc/${pid}/status`;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(procStatus(pid), 'utf8'))![1]) / 1024;

/** The sandbox's CLI in a process of its own, so its memory can be measured apart from the test's. */
async function sandboxProcess(): Promise<{ child: ChildProcess; url: string }> {
  const loader = [
    "const fs = require('fs'); const ts = require('typescript');",
    'const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };',
    "const load = (f) => ts.transpileModule(fs.readFileSync(f, 'utf8'), { compilerOptions: options }).outputText;",
    "require.extensions['.ts'] = (m, f) => m._compile(load(f), f);",
    `require(${JSON.stringify(join(__dirname, '..', '..', 'sandbox', 'cli.ts'))});`,
  ].join('\n');
  const child = spawn(process.execPath, ['-e', loader], {
    env: { ...process.env, HARF_SANDBOX_PORT: '0', HARF_SANDBOX_TOKEN: 'memory-token' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /URL:\s+(http:\/\/\S+)/.exec(out);
      if (match && out.includes('AssemblyAI key')) resolve(match[1]);
    });
    child.on('exit', () => reject(new Error(`exited early: ${out}`)));
  });
  return { child, url };
}

(existsSync('/proc/self/status') ? test : test.skip)(
  'the sandbox generates the endless body as it is read: 200 MB sent, its own memory grows by little',
  async () => {
    const { child, url } = await sandboxProcess();
    try {
      const add = await fetch(`${url}/__sandbox/faults`, {
        method: 'POST',
        headers: { authorization: 'Token memory-token', 'content-type': 'application/json' },
        body: JSON.stringify([{ type: 'endless', path: '/api/transcribe_files/' }]),
      });
      expect(add.status).toBe(200);
      const before = rssMb(child.pid!);
      const answer = await checkTasks(url, 'memory-token', 200 * 1024 * 1024);
      expect(answer.bytes).toBeGreaterThanOrEqual(200 * 1024 * 1024);
      expect(rssMb(child.pid!) - before).toBeLessThan(60);
      expect((await checkTasks(url, 'memory-token')).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  },
  60_000,
);
