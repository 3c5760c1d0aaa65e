/**
 * A real n8n (the pinned 2.x from the runtime cache, on Node 24) for one test run: a fresh user
 * folder, the packed package installed as a community package the way n8n installs one, and the
 * CLI commands a person would use: import:credentials, import:workflow, execute --id.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const { ensureN8n } = require('../../../scripts/runtimes/n8n') as { ensureN8n: () => N8nRuntime };
const { node24Env } = require('../../../scripts/runtimes/node24') as {
  node24Env: (env?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
};
const { packedTarballCopy } = require('../../../scripts/pack') as { packedTarballCopy: () => string };

export const PACKAGE_NAME = 'n8n-nodes-harf';
export const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', '..', 'n8n-workflows');
// Fixed so that credentials stay readable between the separate CLI processes of one run.
const ENCRYPTION_KEY = 'harf-e2e-encryption-key-0123456789';

export interface N8nRuntime {
  node24: string;
  n8nBin: string;
  version: string;
  /** The folder n8n is installed in (its node_modules holds n8n-core and n8n-workflow). */
  dir: string;
}

export interface CommandResult {
  code: number | null;
  /** The signal that ended the process, if one did (e.g. SIGSEGV). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface NodeExecutionData {
  json: Record<string, any>;
  binary?: Record<string, { mimeType: string; fileName?: string; fileSize?: string; data?: string; id?: string }>;
  pairedItem?: { item: number } | Array<{ item: number }>;
  error?: unknown;
}

export interface NodeRun {
  executionStatus?: string;
  error?: { message?: string; description?: string; httpCode?: string; [key: string]: unknown };
  data?: { main: Array<NodeExecutionData[] | null> };
}

/** What `n8n execute --rawOutput` prints: the execution's run data. */
export interface ExecutionResult {
  status: string;
  finished: boolean;
  data: { resultData: { runData: Record<string, NodeRun[]>; error?: { message?: string } } };
}

export interface CredentialExport {
  id: string;
  name: string;
  type: string;
  data: Record<string, unknown>;
}

export interface WorkflowJson {
  id: string;
  name: string;
  nodes: Array<{ name: string; type: string; parameters: Record<string, any>; credentials?: Record<string, any>; [key: string]: any }>;
  connections: Record<string, any>;
  [key: string]: unknown;
}

/**
 * n8n 2.40's CLI sometimes dies of SIGSEGV inside process.exit, after the execution has finished,
 * been saved and been printed: an isolated-vm thread of its expression engine is still refilling
 * the isolate pool while the process tears down (it happens with n8n's own nodes alone, more often
 * under load). The run itself is complete then, so that ending is told apart from a real failure.
 */
export function crashedOnlyAtExit(result: CommandResult): boolean {
  if (result.signal !== 'SIGSEGV') return false;
  try {
    return parseExecutionOutput(result.stdout).finished !== undefined;
  } catch {
    return false;
  }
}

export interface N8nInstance {
  runtime: N8nRuntime;
  userFolder: string;
  env: NodeJS.ProcessEnv;
  /** Every command's output, for the assertion that no secret is ever printed. */
  transcript: CommandResult[];
  /** Commands that completed their work, then died of SIGSEGV on exit (see crashedOnlyAtExit). */
  crashesAtExit: string[];
  run(args: string[], timeoutMs?: number): Promise<CommandResult>;
  importCredentials(credentials: CredentialExport[]): Promise<CommandResult>;
  importWorkflows(workflows: WorkflowJson[]): Promise<CommandResult>;
  /** Runs an imported workflow; rejects unless n8n reports success (see executeAllowingFailure). */
  execute(workflowId: string, timeoutMs?: number): Promise<ExecutionResult>;
  /** Runs an imported workflow and returns the command's outcome whether it succeeded or not. */
  executeAllowingFailure(workflowId: string, timeoutMs?: number): Promise<CommandResult>;
  remove(): void;
}

/** The pinned n8n, installed into the runtime cache on first use. */
export function provisionN8n(): N8nRuntime {
  return ensureN8n();
}

/** The packed package, packed once under a lock (scripts/pack.js). */
export function packedTarball(): string {
  return packedTarballCopy() as string;
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a command without blocking this process (the sandbox answering n8n lives here). */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(command)} ${args.join(' ')} ran past ${options.timeoutMs} ms:\n${tail(stdout + stderr)}`));
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export function tail(text: string, lines = 40): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes/node_modules/<name>` as n8n 2.x's community
 * package installer does: unpack, drop dev/peer/optional dependencies from its package.json, then
 * `npm install` its own dependencies shallowly without scripts, and record it in nodes/package.json.
 */
export async function installCommunityPackage(nodesDir: string, tarball: string, env: NodeJS.ProcessEnv): Promise<string> {
  const packageDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
  fs.mkdirSync(packageDir, { recursive: true });
  const untar = await runCommand('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1'], {
    cwd: nodesDir,
    env,
    timeoutMs: 60_000,
  });
  if (untar.code !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  const manifestPath = path.join(packageDir, 'package.json');
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  const install = await runCommand(
    'npm',
    [
      'install',
      '--audit=false',
      '--fund=false',
      '--bin-links=false',
      '--install-strategy=shallow',
      '--ignore-scripts=true',
      '--package-lock=false',
      '--loglevel=error',
    ],
    { cwd: packageDir, env, timeoutMs: 300_000 },
  );
  if (install.code !== 0) throw new Error(`npm install in ${packageDir} failed:\n${tail(install.stdout + install.stderr)}`);
  fs.writeFileSync(
    path.join(nodesDir, 'package.json'),
    JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: manifest.version } }, null, 2),
  );
  return packageDir;
}

/** Finds the execution JSON in the output: n8n's log lines may come before (and after) it. */
export function parseExecutionOutput(stdout: string): ExecutionResult {
  const lines = stdout.split('\n');
  for (let start = 0; start < lines.length; start++) {
    if (lines[start] !== '{') continue;
    for (let end = lines.length - 1; end > start; end--) {
      if (lines[end] !== '}') continue;
      try {
        const parsed = JSON.parse(lines.slice(start, end + 1).join('\n'));
        if (parsed && typeof parsed === 'object' && parsed.data?.resultData) return parsed as ExecutionResult;
      } catch {
        // Not this closing brace: keep looking.
      }
    }
  }
  throw new Error(`no execution JSON in n8n's output:\n${tail(stdout)}`);
}

/** The items of one output of a node, across all of its runs (a node in a loop runs more than once). */
export function outputItems(result: ExecutionResult, nodeName: string, outputIndex = 0): NodeExecutionData[] {
  const runs = result.data.resultData.runData[nodeName];
  if (!runs) {
    throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(result.data.resultData.runData).join(', ')}`);
  }
  return runs.flatMap((run) => run.data?.main[outputIndex] ?? []);
}

export function runsOf(result: ExecutionResult, nodeName: string): NodeRun[] {
  return result.data.resultData.runData[nodeName] ?? [];
}

/** The bytes of a binary field that n8n stored on disk (binary data mode "filesystem"). */
export function readStoredBinary(instance: { userFolder: string }, binary: { id?: string; data?: string }): Buffer {
  const id = binary.id ?? '';
  const separator = id.indexOf(':');
  if (separator < 0) return Buffer.from(binary.data ?? '', 'base64');
  return fs.readFileSync(path.join(instance.userFolder, '.n8n', 'storage', id.slice(separator + 1)));
}

export function readWorkflow(file: string): WorkflowJson {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowJson;
}

export function exampleWorkflows(): Array<{ file: string; workflow: WorkflowJson }> {
  return fs
    .readdirSync(EXAMPLES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ file: name, workflow: readWorkflow(path.join(EXAMPLES_DIR, name)) }));
}

/** Settings of every n8n process a test starts: the package loads, nothing phones home, logs on the console. */
export const HEADLESS_N8N_ENV: NodeJS.ProcessEnv = {
  N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
  N8N_DIAGNOSTICS_ENABLED: 'false',
  N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
  N8N_TEMPLATES_ENABLED: 'false',
  N8N_PERSONALIZATION_ENABLED: 'false',
  N8N_SECURE_COOKIE: 'false',
  N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
  N8N_RUNNERS_MODE: 'internal',
  // `execute` prints its result through the logger at info level.
  N8N_LOG_LEVEL: 'info',
  N8N_LOG_OUTPUT: 'console',
  NODE_ENV: 'production',
};

/** This machine's environment with Node 24 first and no settings of an n8n the developer may run themselves. */
export function cleanN8nEnv(): NodeJS.ProcessEnv {
  const env = node24Env();
  for (const name of Object.keys(env)) {
    if (name.startsWith('N8N_') || name.startsWith('DB_') || name.startsWith('EXECUTIONS_') || name.startsWith('QUEUE_')) delete env[name];
  }
  return env;
}

/**
 * A fresh user folder (under the system's temporary folder, named from `prefix`) with the package
 * installed, and the environment of an n8n using it: SQLite there, `encryptionKey`, a free port
 * for the task runner's broker.
 */
export async function freshUserFolder(
  prefix: string,
  tarball: string,
  encryptionKey: string,
): Promise<{ userFolder: string; env: NodeJS.ProcessEnv }> {
  const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const nodesDir = path.join(userFolder, '.n8n', 'nodes');
  fs.mkdirSync(nodesDir, { recursive: true });
  const baseEnv = cleanN8nEnv();
  await installCommunityPackage(nodesDir, tarball, baseEnv);
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    ...HEADLESS_N8N_ENV,
    N8N_USER_FOLDER: userFolder,
    N8N_ENCRYPTION_KEY: encryptionKey,
    DB_TYPE: 'sqlite',
    // The JS task runner's broker listens on a port: a free one, so runs never collide.
    N8N_RUNNERS_BROKER_PORT: String(await freePort()),
  };
  return { userFolder, env };
}

/** A fresh user folder with the package installed, ready for the CLI. */
export async function createN8nInstance(options: { runtime?: N8nRuntime; tarball?: string } = {}): Promise<N8nInstance> {
  const runtime = options.runtime ?? provisionN8n();
  const tarball = options.tarball ?? packedTarball();
  const folder = await freshUserFolder('harf-n8n-', tarball, ENCRYPTION_KEY);
  const userFolder = folder.userFolder;
  const env: NodeJS.ProcessEnv = { ...folder.env, N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' };

  const transcript: CommandResult[] = [];
  const crashesAtExit: string[] = [];
  const run = async (args: string[], timeoutMs = 180_000): Promise<CommandResult> => {
    const result = await runCommand(runtime.node24, [runtime.n8nBin, ...args], { cwd: userFolder, env, timeoutMs });
    transcript.push(result);
    return result;
  };
  const mustSucceed = (what: string, result: CommandResult): CommandResult => {
    if (result.code !== 0) {
      const ending = result.signal ? `was killed by ${result.signal}` : `exited with ${result.code}`;
      throw new Error(`n8n ${what} ${ending}:\n${tail(result.stdout + result.stderr)}`);
    }
    return result;
  };
  const writeInput = (name: string, content: unknown): string => {
    const file = path.join(userFolder, name);
    fs.writeFileSync(file, JSON.stringify(content, null, 2));
    return file;
  };

  return {
    runtime,
    userFolder,
    env,
    transcript,
    crashesAtExit,
    run,
    async importCredentials(credentials) {
      const file = writeInput('credentials-input.json', credentials);
      try {
        return mustSucceed('import:credentials', await run(['import:credentials', `--input=${file}`]));
      } finally {
        // The decrypted form holds the secrets: gone as soon as n8n has encrypted them.
        fs.rmSync(file, { force: true });
      }
    },
    async importWorkflows(workflows) {
      const dir = path.join(userFolder, 'workflows-input');
      fs.mkdirSync(dir, { recursive: true });
      for (const workflow of workflows) fs.writeFileSync(path.join(dir, `${workflow.id}.json`), JSON.stringify(workflow));
      return mustSucceed('import:workflow', await run(['import:workflow', '--separate', `--input=${dir}`]));
    },
    async executeAllowingFailure(workflowId, timeoutMs) {
      return await run(['execute', `--id=${workflowId}`, '--rawOutput'], timeoutMs);
    },
    async execute(workflowId, timeoutMs) {
      let result = await run(['execute', `--id=${workflowId}`, '--rawOutput'], timeoutMs);
      if (crashedOnlyAtExit(result)) {
        crashesAtExit.push(`execute --id=${workflowId}`);
        console.warn(`n8n execute --id=${workflowId} printed its complete result, then died of SIGSEGV on exit`);
        result = { ...result, code: 0, signal: null };
      }
      mustSucceed(`execute --id=${workflowId}`, result);
      const execution = parseExecutionOutput(result.stdout);
      if (execution.status !== 'success') {
        throw new Error(`workflow ${workflowId} ended "${execution.status}": ${JSON.stringify(execution.data.resultData.error)}`);
      }
      return execution;
    },
    remove() {
      fs.rmSync(userFolder, { recursive: true, force: true });
    },
  };
}
