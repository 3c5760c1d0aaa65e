/**
 * The Harf sandbox: a local stand-in for the Harf service (and AssemblyAI's short-audio endpoint)
 * that answers like the real ones, with sample Persian text instead of real recognition, and can
 * be told to misbehave so that every error path of a client can be tested.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { handleAssemblyAiStream, handleAssemblyAiTranscriptList } from './assemblyai';
import { FaultControl, type Fault } from './faults';
import { handleAlignment, handleTranscribeFiles, harfAccount, harfAuthError, readJsonObject, sendUnauthorized } from './harf';
import { drainBody, newRequestId, nginxErrorPage, readBody, sendJson, sendText, STATUS_TEXT, type SandboxLogEntry } from './http';
import { HEALTHCHECK_PATH, handleHealthcheck, handleSpeakerTask, speakerTaskOf } from './speakers';
import { LIVE_PATH, runLiveSession, type LiveSessionRecord } from './live';
import { JobCounter, LOG_LIMIT, validateSettings, type LiveFinalForm, type SandboxJobs, type SandboxSettings, type SandboxState, type SandboxUpload } from './state';

export { FaultControl, FaultShapeError, validateFault } from './faults';
export type { Fault, FaultType } from './faults';
export type { SandboxLogEntry } from './http';
export type { LiveSessionRecord, LiveSegmentMessage } from './live';
export { LIVE_PATH } from './live';
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
export const SANDBOX_NOTICE =
  'This is the Harf sandbox, not the real service: it answers with sample Persian text (Saadi\'s Golestan), not real recognition.';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The Harf token to accept; default a random `sandbox-…`. */
  token?: string;
  /** More Harf tokens to accept, each its own account (1, 2, …; `token` is 0): jobs are counted by account, and one account's tasks are unknown to another. */
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

function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://sandbox').pathname;
  } catch {
    return req.url ?? '/';
  }
}

function welcome(state: SandboxState): Record<string, unknown> {
  return {
    service: 'Harf sandbox',
    sandbox: true,
    notice: SANDBOX_NOTICE,
    baseUrl: state.url,
    endpoints: {
      transcribe: 'POST /api/transcribe_files/',
      alignment: 'POST /api/alignment/',
      speakers: 'POST /api/speaker_tasks/{diarization,identification,verification,indexing}/',
      healthcheck: 'GET /api/healthcheck/',
      live: `websocket ${LIVE_PATH}`,
      assemblyAi: 'POST /v2/stream',
      control: [
        'POST /__sandbox/faults',
        'DELETE /__sandbox/faults',
        'GET /__sandbox/log',
        'GET /__sandbox/live',
        'GET /__sandbox/jobs',
        'DELETE /__sandbox/jobs',
        'GET /__sandbox/uploads',
        'POST /__sandbox/config',
      ],
    },
    hints: [
      'Every request needs the header "Authorization: Token <token>" (the token is printed when the sandbox starts).',
      'A media URL whose file name contains "fail" ends in FAILURE, "timeout" in TIMEOUT.',
      'Add ?duration=SECONDS to a media URL to choose its length; ?uncertain=0 for a transcript without uncertain words.',
      'Speaker tasks: ?voices=maryam,reza on a media URL says who speaks in it; a sample URL is the voice its file name (reza-2.mp3) or ?voice= names.',
    ],
  };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const settings: SandboxSettings = {
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
  const timers = new Set<NodeJS.Timeout>();
  const token = options.token || `sandbox-${randomBytes(12).toString('hex')}`;
  const tokens = [token, ...(options.tokens ?? [])];
  if (tokens.some((t) => typeof t !== 'string' || t === '' || /\s/.test(t)) || new Set(tokens).size !== tokens.length) {
    throw new Error('tokens: expected distinct tokens without spaces, none equal to token');
  }
  const state: SandboxState = {
    token,
    tokens,
    accountOf: (req) => Math.max(0, harfAccount(req, tokens)),
    assemblyAiKey: options.assemblyAiKey || DEFAULT_ASSEMBLYAI_KEY,
    settings,
    faults: new FaultControl(),
    log: [],
    liveSessions: [],
    tasks: new Map(),
    mediaDurations: new Map(),
    jobs: new JobCounter(tokens.length),
    uploads: [],
    url: '',
    closed: false,
    sleep(ms: number) {
      return new Promise<void>((resolve) => {
        if (state.closed) return;
        if (ms <= 0) {
          resolve();
          return;
        }
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      });
    },
  };

  const sockets = new Set<Duplex>();
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  const upgradeIds = new WeakMap<IncomingMessage, string>();
  wss.on('headers', (headers, req) => {
    const id = upgradeIds.get(req);
    if (id) headers.push(`X-Request-Id: ${id}`);
  });

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const record = (req: IncomingMessage, requestId: string): SandboxLogEntry => {
    const entry: SandboxLogEntry = {
      time: new Date().toISOString(),
      method: req.method ?? 'GET',
      path: pathOf(req),
      ...(req.headers['content-type'] !== undefined && { contentType: req.headers['content-type'] }),
      bytes: 0,
      status: 0,
      requestId,
    };
    state.log.push(entry);
    if (state.log.length > LOG_LIMIT) state.log.splice(0, state.log.length - LOG_LIMIT);
    return entry;
  };

  /** Applies a fault to a plain request. Returns true when the fault has answered (or will never answer). */
  const applyHttpFault = async (fault: Fault, req: IncomingMessage, res: ServerResponse, entry: SandboxLogEntry): Promise<boolean> => {
    entry.fault = fault.type;
    if (fault.type === 'delay') {
      await state.sleep(fault.ms);
      return false;
    }
    // A connection that fails before the request has been read: the service never saw it.
    if (fault.type === 'drop' && fault.early) {
      req.socket.destroy();
      return true;
    }
    // Like a proxy in front of the service: the request is read in full, then the fault answers.
    await drainBody(req, entry);
    switch (fault.type) {
      case 'status': {
        const headers: Record<string, string> = {};
        if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
        if (fault.body === undefined) {
          sendJson(res, fault.status, { detail: STATUS_TEXT[fault.status] ?? `Error ${fault.status}` }, headers);
        } else if (typeof fault.body === 'string') {
          sendText(res, fault.status, fault.body, fault.contentType ?? 'text/plain; charset=utf-8', headers);
        } else {
          sendText(res, fault.status, JSON.stringify(fault.body), fault.contentType ?? 'application/json', headers);
        }
        break;
      }
      case 'html': {
        const status = fault.status ?? 502;
        sendText(res, status, nginxErrorPage(status), 'text/html');
        break;
      }
      case 'malformed':
        sendText(res, 200, fault.body ?? JSON.stringify({ result: 'ok', items: null }), fault.contentType ?? 'application/json');
        break;
      case 'drop':
        req.socket.destroy();
        break;
      case 'stall':
        // Never answers; close() or the client ends it.
        break;
      default:
        break;
    }
    return true;
  };

  /** Lets the request reach the service, then replaces the service's answer with the fault's. */
  const answerWithFault = (fault: Fault, req: IncomingMessage, res: ServerResponse, entry: SandboxLogEntry): void => {
    const { writeHead, end } = res;
    res.writeHead = (() => res) as typeof res.writeHead;
    res.end = (() => {
      res.writeHead = writeHead;
      res.end = end;
      void applyHttpFault(fault, req, res, entry);
      return res;
    }) as typeof res.end;
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse, entry: SandboxLogEntry, path: string): Promise<void> => {
    const authError = harfAuthError(req, state.tokens);
    if (authError) {
      await drainBody(req, entry);
      sendUnauthorized(res, authError);
      return;
    }
    const method = req.method ?? 'GET';
    if (path === '/__sandbox/faults' || path === '/__sandbox/faults/') {
      if (method === 'POST') {
        const body = await readBody(req, entry, 1024 * 1024);
        let faults: unknown;
        try {
          faults = JSON.parse(body === 'too-large' ? '' : body.toString('utf8'));
        } catch (error) {
          sendJson(res, 400, { detail: `JSON parse error - ${(error as Error).message}` });
          return;
        }
        try {
          state.faults.add(faults as Fault | Fault[]);
        } catch (error) {
          sendJson(res, 400, { detail: (error as Error).message });
          return;
        }
        sendJson(res, 200, { pending: state.faults.pending() });
        return;
      }
      await drainBody(req, entry);
      if (method === 'DELETE') {
        state.faults.clear();
        sendJson(res, 200, { pending: [] });
        return;
      }
      if (method === 'GET') {
        sendJson(res, 200, { pending: state.faults.pending() });
        return;
      }
    } else if (path === '/__sandbox/log' || path === '/__sandbox/log/') {
      await drainBody(req, entry);
      if (method === 'GET') {
        sendJson(res, 200, state.log.filter((e) => !e.path.startsWith('/__sandbox')));
        return;
      }
      if (method === 'DELETE') {
        state.log.length = 0;
        sendJson(res, 200, []);
        return;
      }
    } else if (path === '/__sandbox/live' || path === '/__sandbox/live/') {
      await drainBody(req, entry);
      if (method === 'GET') {
        sendJson(res, 200, state.liveSessions);
        return;
      }
      if (method === 'DELETE') {
        state.liveSessions.length = 0;
        sendJson(res, 200, []);
        return;
      }
    } else if (path === '/__sandbox/jobs' || path === '/__sandbox/jobs/') {
      await drainBody(req, entry);
      if (method === 'GET') {
        sendJson(res, 200, state.jobs.snapshot());
        return;
      }
      if (method === 'DELETE') {
        state.jobs.reset();
        state.uploads.length = 0;
        sendJson(res, 200, state.jobs.snapshot());
        return;
      }
    } else if (path === '/__sandbox/uploads' || path === '/__sandbox/uploads/') {
      await drainBody(req, entry);
      if (method === 'GET') {
        sendJson(res, 200, state.uploads);
        return;
      }
    } else if (path === '/__sandbox/config' || path === '/__sandbox/config/') {
      if (method === 'POST') {
        const data = await readJsonObject(req, res, entry);
        if (!data) return;
        try {
          Object.assign(state.settings, validateSettings(data));
        } catch (error) {
          sendJson(res, 400, { detail: (error as Error).message });
          return;
        }
        sendJson(res, 200, state.settings);
        return;
      }
      await drainBody(req, entry);
      if (method === 'GET') {
        sendJson(res, 200, state.settings);
        return;
      }
    } else {
      await drainBody(req, entry);
      sendJson(res, 404, { detail: 'Not found.' });
      return;
    }
    sendJson(res, 405, { detail: `Method "${method}" not allowed.` });
  };

  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = newRequestId();
    res.setHeader('X-Request-Id', requestId);
    const path = pathOf(req);
    const method = req.method ?? 'GET';
    if (path.startsWith('/__sandbox')) {
      // The sandbox's own controls are not logged, so the log shows only what clients sent.
      await handleControl(req, res, { time: '', method, path, bytes: 0, status: 0, requestId }, path);
      return;
    }
    const entry = record(req, requestId);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    if (path === '/' && (method === 'GET' || method === 'HEAD')) {
      const info = welcome(state);
      if ((req.headers.accept ?? '').includes('text/html')) {
        const hints = (info.hints as string[]).map((h) => `<li>${h.replace(/</g, '&lt;')}</li>`).join('');
        sendText(
          res,
          200,
          `<!doctype html><meta charset="utf-8"><title>Harf sandbox</title><h1>Harf sandbox</h1><p>${SANDBOX_NOTICE}</p><ul>${hints}</ul><pre>${JSON.stringify(info.endpoints, null, 2)}</pre>`,
          'text/html; charset=utf-8',
        );
      } else {
        sendJson(res, 200, info);
      }
      return;
    }
    const fault = state.faults.take(path, 'http');
    if (fault?.passThrough) answerWithFault(fault, req, res, entry);
    else if (fault && (await applyHttpFault(fault, req, res, entry))) return;

    if (path === '/v2/stream') {
      if (method !== 'POST') {
        await drainBody(req, entry);
        sendJson(res, 405, { error: `Method ${method} not allowed; use POST.` });
        return;
      }
      await handleAssemblyAiStream(state, req, res, entry);
      return;
    }
    if (path === '/v2/transcript' && method === 'GET') {
      await drainBody(req, entry);
      handleAssemblyAiTranscriptList(state, req, res);
      return;
    }
    if (path.startsWith('/media/')) {
      await drainBody(req, entry);
      sendJson(res, 404, { detail: 'The sandbox does not keep uploaded audio; this URL only names the upload in transcripts.' });
      return;
    }
    const authError = harfAuthError(req, state.tokens);
    if (authError) {
      await drainBody(req, entry);
      sendUnauthorized(res, authError);
      return;
    }
    if (path === HEALTHCHECK_PATH) {
      await drainBody(req, entry);
      if (method === 'GET' || method === 'HEAD') handleHealthcheck(res);
      else sendJson(res, 405, { detail: `Method "${method}" not allowed.` }, { Allow: 'GET, HEAD, OPTIONS' });
      return;
    }
    const task = speakerTaskOf(path);
    const handler = task
      ? (s: SandboxState, q: IncomingMessage, r: ServerResponse, e: SandboxLogEntry) => handleSpeakerTask(task, s, q, r, e)
      : path === '/api/transcribe_files/'
        ? handleTranscribeFiles
        : path === '/api/alignment/'
          ? handleAlignment
          : undefined;
    if (!handler) {
      await drainBody(req, entry);
      const hint = path === '/api/transcribe_files' || path === '/api/alignment' ? ' Harf paths end with a slash.' : '';
      sendJson(res, 404, { detail: `Not found.${hint}` });
      return;
    }
    if (method !== 'POST') {
      await drainBody(req, entry);
      sendJson(res, 405, { detail: `Method "${method}" not allowed.` }, { Allow: 'POST, OPTIONS' });
      return;
    }
    await handler(state, req, res, entry);
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handleRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { detail: `Sandbox error: ${(error as Error).message}` });
    });
  });

  /** Refuses a websocket handshake with an HTTP answer written straight to the socket. */
  const refuseUpgrade = (socket: Duplex, status: number, body: string, contentType: string, requestId: string, extra: string[] = []) => {
    if (socket.destroyed) return;
    const head = [
      `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}`,
      `Content-Type: ${contentType}`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Request-Id: ${requestId}`,
      ...extra,
      'Connection: close',
      '',
      '',
    ].join('\r\n');
    socket.end(head + body);
  };

  const handleUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    const requestId = newRequestId();
    const entry = record(req, requestId);
    const path = pathOf(req);
    const refuse = (status: number, body: string, contentType = 'application/json', extra: string[] = []) => {
      entry.status = status;
      refuseUpgrade(socket, status, body, contentType, requestId, extra);
    };
    const fault = state.faults.take(path, 'upgrade');
    if (fault) {
      entry.fault = fault.type;
      switch (fault.type) {
        case 'delay':
          await state.sleep(fault.ms);
          break;
        case 'ws-reject':
        case 'status': {
          const status = fault.status ?? 503;
          const body = fault.type === 'status' && fault.body !== undefined
            ? typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body)
            : JSON.stringify({ detail: STATUS_TEXT[status] ?? `Error ${status}` });
          const extra = fault.type === 'status' && fault.retryAfter !== undefined ? [`Retry-After: ${fault.retryAfter}`] : [];
          refuse(status, body, fault.type === 'status' && fault.contentType ? fault.contentType : 'application/json', extra);
          return;
        }
        case 'html': {
          const status = fault.status ?? 502;
          refuse(status, nginxErrorPage(status), 'text/html');
          return;
        }
        case 'drop':
          socket.destroy();
          return;
        case 'stall':
          return;
        default:
          break;
      }
    }
    if (socket.destroyed) return;
    const authError = harfAuthError(req, state.tokens);
    if (authError) {
      refuse(401, JSON.stringify(authError), 'application/json', ['WWW-Authenticate: Token']);
      return;
    }
    if (path !== LIVE_PATH) {
      refuse(404, JSON.stringify({ detail: 'Not found.' }));
      return;
    }
    upgradeIds.set(req, requestId);
    wss.handleUpgrade(req, socket, head, (ws) => {
      entry.status = 101;
      runLiveSession(state, ws, requestId);
    });
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    handleUpgrade(req, socket, head).catch(() => socket.destroy());
  });

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
  state.url = `http://${urlHost}:${port}`;

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
    settings: state.settings,
    jobs: () => state.jobs.snapshot(),
    uploads: state.uploads,
    resetJobs: () => {
      state.jobs.reset();
      state.uploads.length = 0;
    },
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
