/**
 * n8n as a person runs it: `n8n start` (the pinned 2.x on Node 24) on a free local port, with a
 * fresh user folder and the packed package installed as a community package; the owner set up and
 * logged in, and n8n's REST API called as the editor calls it (the `n8n-auth` cookie and the
 * `browser-id` header). The process helpers are shared with the queue-mode cluster.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { freePort, freshUserFolder, packedTarball, provisionN8n, tail, type N8nRuntime } from './n8n';

export interface N8nProcess {
  name: string;
  userFolder: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  exited: Promise<void>;
  /** Sends `signal` to the process and the task runner it started. */
  kill(signal: NodeJS.Signals): void;
  alive(): boolean;
}

const READY_TIMEOUT_MS = 240_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: 5000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
  });
}

/** Waits until the process has logged `logLine` and `url` answers 200. */
export async function waitReady(process: N8nProcess, url: string, logLine: RegExp): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!process.alive()) throw new Error(`n8n ${process.name} exited while starting:\n${tail(process.output(), 60)}`);
    if (logLine.test(process.output()) && (await get(url)) === 200) return;
    if (Date.now() > deadline)
      throw new Error(`n8n ${process.name} was not ready within ${READY_TIMEOUT_MS} ms:\n${tail(process.output(), 60)}`);
    await sleep(500);
  }
}

/** Starts `n8n <args>` in its own process group, its output kept and written to `<name>.log` in the user folder. */
export function startProcess(runtime: N8nRuntime, name: string, args: string[], env: NodeJS.ProcessEnv, userFolder: string): N8nProcess {
  // Its own process group, so the task runner n8n starts ends with it.
  const child = spawn(runtime.node24, [runtime.n8nBin, ...args], {
    cwd: userFolder,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const logFile = fs.createWriteStream(path.join(userFolder, `${name}.log`));
  let output = '';
  const keep = (chunk: Buffer) => {
    logFile.write(chunk);
    output += chunk.toString('utf8');
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let running = true;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running = false;
      logFile.end();
      resolve();
    }),
  );
  return {
    name,
    userFolder,
    child,
    output: () => output,
    exited,
    alive: () => running,
    kill(signal) {
      if (!running || child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        child.kill(signal);
      }
    },
  };
}

/** SIGTERM (n8n shuts down gracefully), SIGKILL after 20 s, then whatever of its group is left. */
export async function stopProcess(process: N8nProcess): Promise<void> {
  if (!process.alive()) return;
  process.kill('SIGTERM');
  const killed = setTimeout(() => process.kill('SIGKILL'), 20_000);
  await process.exited;
  clearTimeout(killed);
  // Whatever of its group is left (a task runner) goes too.
  process.kill('SIGKILL');
}

export interface RestAnswer {
  status: number;
  /** The parsed JSON body (n8n wraps results in `data`), or the text when it is not JSON. */
  body: any;
}

export interface N8nServer {
  runtime: N8nRuntime;
  url: string;
  process: N8nProcess;
  /** Calls n8n's REST API (`/rest/<route>`) as the logged-in owner. */
  rest(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', route: string, body?: unknown): Promise<RestAnswer>;
  /** Stops n8n gracefully and removes its user folder; what it printed stays readable in `process.output()`. */
  stop(): Promise<void>;
}

const OWNER = { email: 'owner@harf-e2e.invalid', firstName: 'Harf', lastName: 'Tester', password: 'Harf-e2e-Passw0rd' };
// The editor sends one id per browser; n8n ties the session cookie to it.
const BROWSER_ID = 'harf-e2e-browser-1';

/** `n8n start` with the package installed, ready to answer, the owner set up and logged in. */
export async function startN8nServer(
  options: { runtime?: N8nRuntime; tarball?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<N8nServer> {
  const runtime = options.runtime ?? provisionN8n();
  const tarball = options.tarball ?? packedTarball();
  const folder = await freshUserFolder('harf-n8n-server-', tarball, 'harf-server-encryption-key-2d4f6a8c0e');
  const userFolder = folder.userFolder;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...folder.env,
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
    // The MCP server registry would be fetched from n8n's site; this machine reaches no site.
    N8N_DISABLED_MODULES: 'mcp-registry',
    ...options.env,
  };
  const main = startProcess(runtime, 'n8n', ['start'], env, userFolder);
  const stop = async () => {
    await stopProcess(main);
    fs.rmSync(userFolder, { recursive: true, force: true });
  };

  let cookie = '';
  const rest: N8nServer['rest'] = async (method, route, body) => {
    const response = await fetch(`${url}/rest/${route.replace(/^\//, '')}`, {
      method,
      headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID, ...(cookie ? { cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const auth = response.headers.getSetCookie().find((line) => line.startsWith('n8n-auth='));
    if (auth) cookie = auth.split(';')[0];
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: kept as text.
    }
    return { status: response.status, body: parsed };
  };

  try {
    await waitReady(main, `${url}/healthz/readiness`, /Editor is now accessible via/);
    const setup = await rest('POST', 'owner/setup', OWNER);
    if (setup.status !== 200) throw new Error(`owner setup answered ${setup.status}: ${JSON.stringify(setup.body)}`);
    const login = await rest('POST', 'login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
    if (login.status !== 200 || !cookie) throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
  } catch (error) {
    const output = main.output();
    await stop();
    throw new Error(`${(error as Error).message}\n${tail(output, 40)}`);
  }
  return { runtime, url, process: main, rest, stop };
}
