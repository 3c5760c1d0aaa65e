/**
 * What the Node-RED end-to-end and browser tests share: the two runtimes, a user directory with the
 * packed package installed as the palette manager would, the example flows as Node-RED serves them,
 * and a TCP relay in front of the sandbox that counts the connections Node-RED keeps open.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const runtimes = require('../../../scripts/runtimes/node-red');
const { packedTarballCopy } = require('../../../scripts/pack');

export const PACKAGE_NAME = 'n8n-nodes-harf';
export const NODE_TYPES = [
  'harf-config',
  'harf-transcribe-urls',
  'harf-upload-file',
  'harf-check-status',
  'harf-live-stream',
  'harf-align-text',
  'harf-speakers',
  'assemblyai-config',
  'assemblyai-short-audio',
] as const;

export interface NodeRedRuntime {
  name: string;
  version: string;
  node: string;
  nodeRedDir: string;
  redJs: string;
  runtimePath: string;
  env: NodeJS.ProcessEnv;
}

export interface DebugMessage {
  id: string;
  name?: string;
  topic?: string;
  property?: string;
  format?: string;
  msg: any;
}

export interface DebugFeed {
  messages: DebugMessage[];
  waitFor(predicate: (message: DebugMessage) => boolean, count?: number, timeoutMs?: number): Promise<DebugMessage[]>;
  close(): Promise<void>;
}

export interface ApiAnswer {
  status: number;
  text: string;
  json: any;
  headers: Record<string, string | string[] | undefined>;
}

export interface RunningNodeRed {
  url: string;
  userDir: string;
  logFile: string;
  fileWorkingDirectory: string;
  exited: Promise<{ code: number | null; signal: string | null }>;
  output(): string;
  log(): string;
  api(method: string, pathname: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer>;
  nodeSets(): Promise<Array<{ id: string; module: string; types: string[]; enabled: boolean; err?: string }>>;
  deploy(flows: FlowNode[]): Promise<ApiAnswer>;
  inject(nodeId: string): Promise<void>;
  stop(graceMs?: number): Promise<{ code: number | null; signal: string | null }>;
}

export type FlowNode = Record<string, any> & { id: string; type: string };

export const nodeRed4 = (): NodeRedRuntime => runtimes.nodeRed4();
export const ensureNodeRed5 = (): NodeRedRuntime => runtimes.ensureNodeRed5();
export const startNodeRed = (runtime: NodeRedRuntime, options: Record<string, unknown>): Promise<RunningNodeRed> =>
  runtimes.startNodeRed(runtime, options);
export const watchDebug = (url: string): Promise<DebugFeed> => runtimes.watchDebug(url);

export function artifactsDir(...parts: string[]): string {
  const dir = path.join(__dirname, '..', '..', 'artifacts', ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The packed package, packed once under a lock (scripts/pack.js). */
function packedTarball(): string {
  return packedTarballCopy() as string;
}

/** A fresh Node-RED user directory with the packed package installed into it. */
export function userDirWithPackage(runtime: NodeRedRuntime, label: string): string {
  const tarball = packedTarball();
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), `harf-node-red-${label}-`));
  runtimes.installIntoUserDir(runtime, userDir, tarball);
  return userDir;
}

/** Polls `condition` until it holds; throws with `describe()` when `timeoutMs` passes first. */
export async function waitUntil(condition: () => boolean, describe: () => string, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Gave up after ${timeoutMs} ms waiting for: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface RelayedConnection {
  /** The first line the client sent, e.g. "GET /ws_api/transcribe_files/wav/sync/ HTTP/1.1". */
  firstLine: string;
  open: boolean;
}

export interface SocketCounter {
  url: string;
  connections: RelayedConnection[];
  open(): RelayedConnection[];
  close(): Promise<void>;
}

/**
 * A TCP relay to the sandbox: Node-RED talks to the relay, so the test sees every connection the
 * runtime opens and whether it is still open (the sandbox cannot tell one client from another).
 */
export async function startSocketCounter(targetUrl: string): Promise<SocketCounter> {
  const target = new URL(targetUrl);
  const connections: RelayedConnection[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const record: RelayedConnection = { firstLine: '', open: true };
    connections.push(record);
    sockets.add(client);
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    let head = '';
    client.on('data', (chunk: Buffer) => {
      if (!record.firstLine) {
        head += chunk.toString('latin1');
        const end = head.indexOf('\r\n');
        if (end >= 0) record.firstLine = head.slice(0, end);
      }
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const finish = () => {
      record.open = false;
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    // The client's side decides: the count is of sockets Node-RED holds.
    client.on('close', finish);
    client.on('error', finish);
    upstream.on('close', () => client.end());
    upstream.on('error', finish);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    open: () => connections.filter((connection) => connection.open),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The package's example flows as Node-RED's Import > Examples menu serves them, by file name. */
export async function examplesFromNodeRed(nodeRed: RunningNodeRed): Promise<Map<string, FlowNode[]>> {
  const modules = await nodeRed.api('GET', '/library/examples/flows/');
  if (modules.status !== 200 || !Array.isArray(modules.json) || !modules.json.includes(PACKAGE_NAME)) {
    throw new Error(
      `Node-RED lists no examples of ${PACKAGE_NAME} (GET /library/examples/flows/ answered ${modules.status} ${modules.text}). ` +
        'Node-RED reads them from examples/ at the package root: package.json "files" must ship examples.',
    );
  }
  const flows = new Map<string, FlowNode[]>();
  const walk = async (folder: string): Promise<void> => {
    const listing = await nodeRed.api('GET', `/library/examples/flows/${encodeURI(folder)}`);
    if (listing.status !== 200) throw new Error(`GET examples ${folder} answered ${listing.status}: ${listing.text}`);
    for (const entry of listing.json as Array<string | { fn: string }>) {
      if (typeof entry === 'string') await walk(`${folder}/${entry}`);
      else {
        const name = entry.fn.replace(/\.json$/, '');
        const flow = await nodeRed.api('GET', `/library/examples/flows/${encodeURI(`${folder}/${name}`)}`);
        if (flow.status !== 200 || !Array.isArray(flow.json))
          throw new Error(`Example ${name} answered ${flow.status}: ${flow.text.slice(0, 300)}`);
        flows.set(`${folder}/${name}`.slice(PACKAGE_NAME.length + 1), flow.json as FlowNode[]);
      }
    }
  };
  await walk(PACKAGE_NAME);
  return flows;
}

export interface Accounts {
  harfUrl: string;
  harfToken: string;
  assemblyAiUrl: string;
  assemblyAiKey: string;
}

/**
 * The examples as one deployment, the way a user's import then Deploy sends them: each example in
 * its own tab, config nodes once (the examples share their ids), each config node pointing at the
 * sandbox with its credential in `credentials`, as the editor sends it on deploy.
 */
export function deploymentOf(examples: FlowNode[][], accounts: Accounts, extra: FlowNode[] = []): FlowNode[] {
  const byId = new Map<string, FlowNode>();
  const tabs = new Set<string>();
  for (const flow of examples) {
    for (const node of flow) {
      if (node.z) tabs.add(node.z);
      if (!byId.has(node.id)) byId.set(node.id, structuredClone(node));
    }
  }
  for (const node of extra) {
    if (node.z) tabs.add(node.z);
    byId.set(node.id, node);
  }
  for (const node of byId.values()) {
    if (node.type === 'harf-config') {
      node.baseUrl = accounts.harfUrl;
      node.credentials = { token: accounts.harfToken };
    }
    if (node.type === 'assemblyai-config') {
      node.baseUrl = accounts.assemblyAiUrl;
      node.syncBaseUrl = accounts.assemblyAiUrl;
      node.credentials = { apiKey: accounts.assemblyAiKey };
    }
  }
  const tabNodes: FlowNode[] = [...tabs]
    .filter((id) => !byId.has(id))
    .map((id, index) => ({ id, type: 'tab', label: `Example ${index + 1}`, disabled: false, info: '' }));
  return [...tabNodes, ...byId.values()];
}

/** The one node of `type` (and optional name) in a flow. */
export function nodeOf(flow: FlowNode[], type: string, name?: string): FlowNode {
  const found = flow.filter((node) => node.type === type && (name === undefined || node.name === name));
  if (found.length !== 1) throw new Error(`Expected one ${type}${name ? ` named "${name}"` : ''}, found ${found.length}`);
  return found[0];
}
