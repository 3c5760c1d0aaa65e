/**
 * The Harf sandbox: a local stand-in for the Harf service (and AssemblyAI's short-audio endpoints)
 * that answers like the real ones, with sample Persian text instead of real recognition, and can
 * be told to misbehave so that every error path of a client can be tested.
 *
 * Where things go: an endpoint is a row of `ROUTES` (routes.ts) with a handler taking the state; a
 * control endpoint a row of `CONTROL_ROUTES` (control.ts); a fault a row of `FAULT_KINDS` (faults.ts)
 * and of `faultAnswers.ts`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { resetJobs } from './control';
import { FaultControl } from './faults';
import { harfAccount } from './harf';
import { sendJson, type SandboxLogEntry } from './http';
import type { LiveSessionRecord, SyncRequestRecord } from './records';
import { handleRequest, logEntry } from './routes';
import {
  JobCounter,
  validateSettings,
  type LiveFinalForm,
  type SandboxJobs,
  type SandboxSettings,
  type SandboxState,
  type SandboxUpload,
} from './state';
import { handleUpgrade } from './upgrade';

export { FaultControl, FaultShapeError, validateFault, FAULT_KINDS } from './faults';
export type { Fault, FaultType } from './faults';
export { ERROR_FORMS, ERROR_FORM_NAMES } from './errorForms';
export type { ErrorForm } from './errorForms';
export type { SandboxLogEntry } from './http';
export type { LiveSessionRecord, LiveSegmentMessage, SyncRequestRecord, SyncWire, SyncWirePart } from './records';
export { SYNC_MODELS } from './assemblyaiSync';
export { LIVE_PATH } from './live';
export { ROUTES, SANDBOX_NOTICE } from './routes';
export { CONTROL_ROUTES } from './control';
export type { LiveFinalForm, SandboxJobs, SandboxSettings, SandboxUpload } from './state';
export { MultipartParser, MultipartError, boundaryFrom } from './multipart';
export type { PartInfo, MultipartHandlers } from './multipart';
export { formatTime } from './time';
export { fileResultFor, durationForUrl, DOCUMENTED_EXAMPLE_URL, GOLESTAN_LINES } from './transcripts';
export type { SandboxFileResult, SandboxSegment } from './transcripts';
export { readWavHeader } from './wav';
export { diarize, voicesInMedia, voiceOfSample, SPEAKER_TASKS } from './speakers';
export type { SpeakerTask, SandboxSpeakerSegment } from './speakers';
export type { WavHeader } from './wav';

export const DEFAULT_ASSEMBLYAI_KEY = 'sandbox-assemblyai-key';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The Harf token to accept; default a random `sandbox-…`. */
  token?: string;
  /**
   * More Harf tokens to accept, each its own account (1, 2, …; `token` is 0): jobs are counted by account,
   * and one account's tasks are unknown to another.
   */
  tokens?: string[];
  /** How long a wait=false task stays PENDING (ms). Default 1500. */
  taskDelayMs?: number;
  /** How long a wait=true request or an upload takes (ms). Default 300. */
  processingDelayMs?: number;
  /** Form of the live endpoint's answer to `finalize`. Default 'segment'. */
  liveFinalForm?: LiveFinalForm;
  /** The AssemblyAI key to accept. Default 'sandbox-assemblyai-key'. */
  assemblyAiKey?: string;
  /** Sample rate assumed for AssemblyAI's raw PCM. Default 8000. */
  assemblyAiSampleRate?: number;
}

export interface Sandbox {
  /** Base URL, e.g. http://127.0.0.1:8765 (no trailing slash). */
  url: string;
  /** The same with ws:// */
  wsUrl: string;
  port: number;
  token: string;
  /** Every Harf token accepted, `token` first; a token's index is its account. */
  tokens: string[];
  assemblyAiKey: string;
  faults: FaultControl;
  /** Recent requests, oldest first (the same array all along; cleared in place). */
  log: SandboxLogEntry[];
  /** Live websocket sessions, oldest first. */
  liveSessions: LiveSessionRecord[];
  /**
   * The last requests to AssemblyAI's Sync API (POST /v1/transcribe/live and the others), oldest first,
   * with their parts and how they looked on the wire.
   */
  syncRequests: SyncRequestRecord[];
  /** Current settings. */
  readonly settings: Readonly<SandboxSettings>;
  /** The jobs started so far (transcriptions, submissions, uploads, alignments), in all and by media URL. */
  jobs(): SandboxJobs;
  /** Every file uploaded (name, size, SHA-256, media URL, account), oldest first; cleared by resetJobs(). */
  uploads: SandboxUpload[];
  /** Starts the job count again from zero. */
  resetJobs(): void;
  /** Changes settings while running. */
  configure(settings: Partial<SandboxSettings>): void;
  /** Ends every connection and stops listening. */
  close(): Promise<void>;
}

function settingsOf(options: SandboxOptions): SandboxSettings {
  return {
    taskDelayMs: 1500,
    processingDelayMs: 300,
    liveFinalForm: 'segment',
    assemblyAiSampleRate: 8000,
    ...validateSettings({
      ...(options.taskDelayMs !== undefined && { taskDelayMs: options.taskDelayMs }),
      ...(options.processingDelayMs !== undefined && { processingDelayMs: options.processingDelayMs }),
      ...(options.liveFinalForm !== undefined && { liveFinalForm: options.liveFinalForm }),
      ...(options.assemblyAiSampleRate !== undefined && { assemblyAiSampleRate: options.assemblyAiSampleRate }),
    }),
  };
}

function tokensOf(options: SandboxOptions): string[] {
  const token = options.token || `sandbox-${randomBytes(12).toString('hex')}`;
  const tokens = [token, ...(options.tokens ?? [])];
  if (tokens.some((t) => typeof t !== 'string' || t === '' || /\s/.test(t)) || new Set(tokens).size !== tokens.length) {
    throw new Error('tokens: expected distinct tokens without spaces, none equal to token');
  }
  return tokens;
}

function newState(options: SandboxOptions, timers: Set<NodeJS.Timeout>): SandboxState {
  const tokens = tokensOf(options);
  const state: SandboxState = {
    token: tokens[0],
    tokens,
    accountOf: (req) => Math.max(0, harfAccount(req, tokens)),
    assemblyAiKey: options.assemblyAiKey || DEFAULT_ASSEMBLYAI_KEY,
    settings: settingsOf(options),
    faults: new FaultControl(),
    log: [],
    liveSessions: [],
    syncRequests: [],
    tasks: new Map(),
    mediaDurations: new Map(),
    jobs: new JobCounter(tokens.length),
    uploads: [],
    url: '',
    closed: false,
    sleep(ms: number) {
      return new Promise<void>((resolve) => {
        if (state.closed) return;
        if (ms <= 0) return resolve();
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      });
    },
  };
  return state;
}

/** Serves HTTP requests and websocket handshakes, keeping every socket so close() can end them. */
function serve(state: SandboxState, server: Server, wss: WebSocketServer, sockets: Set<Duplex>): void {
  const keep = (socket: Duplex) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const upgradeIds = new WeakMap<IncomingMessage, string>();
  wss.on('headers', (headers, req) => {
    const id = upgradeIds.get(req);
    if (id) headers.push(`X-Request-Id: ${id}`);
  });
  server.on('connection', keep);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handleRequest(state, req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { detail: `Sandbox error: ${(error as Error).message}` });
    });
  });
  const context = { state, wss, upgradeIds, record: (req: IncomingMessage, id: string) => logEntry(state, req, id) };
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    keep(socket);
    socket.on('error', () => socket.destroy());
    handleUpgrade(context, req, socket, head).catch(() => socket.destroy());
  });
}

async function listen(server: Server, options: SandboxOptions): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const host = options.host ?? '127.0.0.1';
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return { url: `http://${urlHost}:${port}`, port };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const timers = new Set<NodeJS.Timeout>();
  const state = newState(options, timers);
  const sockets = new Set<Duplex>();
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  serve(state, server, wss, sockets);
  const { url, port } = await listen(server, options);
  state.url = url;

  let closing: Promise<void> | undefined;
  return {
    url: state.url,
    wsUrl: state.url.replace(/^http/, 'ws'),
    port,
    token: state.token,
    tokens: state.tokens,
    assemblyAiKey: state.assemblyAiKey,
    faults: state.faults,
    log: state.log,
    liveSessions: state.liveSessions,
    syncRequests: state.syncRequests,
    settings: state.settings,
    jobs: () => state.jobs.snapshot(),
    uploads: state.uploads,
    resetJobs: () => resetJobs(state),
    configure(changes: Partial<SandboxSettings>) {
      Object.assign(state.settings, validateSettings(changes));
    },
    close() {
      if (!closing) {
        state.closed = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        closing = new Promise<void>((resolve) => {
          for (const client of wss.clients) client.terminate();
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
          wss.close();
        });
      }
      return closing;
    },
  };
}
