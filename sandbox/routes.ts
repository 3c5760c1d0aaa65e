/**
 * Every endpoint the sandbox serves, one row of `ROUTES` each ('METHOD /path': its handler and the
 * service it belongs to), and the one function that picks the row for a request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleAssemblyAiStream, handleAssemblyAiTranscriptList } from './assemblyai';
import { handleSyncBuffered, handleSyncLive, handleSyncWarm } from './assemblyaiSync';
import { CONTROL_ROUTES, handleControl } from './control';
import { answerWithFault, applyHttpFault } from './faultAnswers';
import { handleAlignment, handleTranscribeFiles, harfAuthError, sendUnauthorized } from './harf';
import { drainBody, newRequestId, sendJson, sendText, type SandboxLogEntry } from './http';
import { LIVE_PATH } from './live';
import { HEALTHCHECK_PATH, SPEAKER_TASKS, SPEAKER_TASKS_PATH, handleHealthcheck, handleSpeakerTask } from './speakers';
import { LOG_LIMIT, type Handler, type SandboxState } from './state';

export const SANDBOX_NOTICE =
  "This is the Harf sandbox, not the real service: it answers with sample Persian text (Saadi's Golestan), not real recognition.";

/** Who answers a route: its refusals (a missing key, a wrong method, an unknown path) are in that service's words. */
type Service = 'harf' | 'assemblyai' | 'sandbox';

interface Route {
  service: Service;
  handle: Handler;
}

/** A Harf endpoint: the token is checked first, in Django REST Framework's words. */
function harf(handle: Handler): Route {
  return {
    service: 'harf',
    handle: async (state, req, res, entry) => {
      const authError = harfAuthError(req, state.tokens);
      if (!authError) return await handle(state, req, res, entry);
      await drainBody(req, entry);
      sendUnauthorized(res, authError);
    },
  };
}

const assemblyAi = (handle: Handler): Route => ({ service: 'assemblyai', handle });

async function handleWelcome(state: SandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const info = welcome(state);
  if (!(req.headers.accept ?? '').includes('text/html')) {
    sendJson(res, 200, info);
    return;
  }
  const hints = info.hints.map((h) => `<li>${h.replace(/</g, '&lt;')}</li>`).join('');
  const page =
    `<!doctype html><meta charset="utf-8"><title>Harf sandbox</title><h1>Harf sandbox</h1><p>${SANDBOX_NOTICE}</p>` +
    `<ul>${hints}</ul><pre>${JSON.stringify(info.endpoints, null, 2)}</pre>`;
  sendText(res, 200, page, 'text/html; charset=utf-8');
}

const speakerRoutes = Object.fromEntries(
  SPEAKER_TASKS.map((task) => [`POST ${SPEAKER_TASKS_PATH}${task}/`, harf((s, q, r, e) => handleSpeakerTask(task, s, q, r, e))]),
);
const healthcheck = harf(async (_state, req, res, entry) => {
  await drainBody(req, entry);
  handleHealthcheck(res);
});

export const ROUTES: Record<string, Route> = {
  'GET /': { service: 'sandbox', handle: handleWelcome },
  'HEAD /': { service: 'sandbox', handle: handleWelcome },
  'POST /api/transcribe_files/': harf(handleTranscribeFiles),
  'POST /api/alignment/': harf(handleAlignment),
  ...speakerRoutes,
  [`GET ${HEALTHCHECK_PATH}`]: healthcheck,
  [`HEAD ${HEALTHCHECK_PATH}`]: healthcheck,
  'POST /v2/stream': assemblyAi(handleAssemblyAiStream),
  'GET /v2/transcript': assemblyAi(async (state, req, res, entry) => {
    await drainBody(req, entry);
    handleAssemblyAiTranscriptList(state, req, res);
  }),
  'POST /v1/transcribe/live': assemblyAi(handleSyncLive),
  'POST /v1/transcribe/stream': assemblyAi(handleSyncLive),
  'POST /v1/transcribe': assemblyAi(handleSyncBuffered),
  'POST /transcribe': assemblyAi(handleSyncBuffered),
  'GET /v1/warm': assemblyAi(handleSyncWarm),
  'GET /warm': assemblyAi(handleSyncWarm),
};

function methodsOf(path: string): string[] {
  return Object.keys(ROUTES)
    .filter((key) => key.slice(key.indexOf(' ') + 1) === path)
    .map((key) => key.slice(0, key.indexOf(' ')));
}

/** AssemblyAI's hosts: a path there that no row serves is AssemblyAI's 404, never Harf's. */
function isAssemblyAiPath(path: string): boolean {
  if (path.startsWith('/v1/') || path.startsWith('/v2/')) return true;
  const method = methodsOf(path)[0];
  return method !== undefined && ROUTES[`${method} ${path}`].service === 'assemblyai';
}

/** A request no row serves: a wrong method (405) or an unknown path (404), in the words of the service it was meant for. */
async function handleUnrouted(state: SandboxState, req: IncomingMessage, res: ServerResponse, entry: SandboxLogEntry): Promise<void> {
  const { method, path } = entry;
  const methods = methodsOf(path);
  const authError = harfAuthError(req, state.tokens);
  await drainBody(req, entry);
  if (path.startsWith('/media/')) {
    sendJson(res, 404, { detail: 'The sandbox does not keep uploaded audio; this URL only names the upload in transcripts.' });
  } else if (isAssemblyAiPath(path)) {
    if (methods.length > 0) sendJson(res, 405, { error: `Method ${method} not allowed; use ${methods.join(' or ')}.` });
    else if (path.startsWith('/v2/')) sendJson(res, 404, { error: `Not found: ${path}` });
    else sendJson(res, 404, { detail: 'Not Found' });
  } else if (authError) {
    sendUnauthorized(res, authError);
  } else if (methods.length > 0) {
    sendJson(res, 405, { detail: `Method "${method}" not allowed.` }, { Allow: [...methods, 'OPTIONS'].join(', ') });
  } else {
    const hint = path === '/api/transcribe_files' || path === '/api/alignment' ? ' Harf paths end with a slash.' : '';
    sendJson(res, 404, { detail: `Not found.${hint}` });
  }
}

function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://sandbox').pathname;
  } catch {
    return req.url ?? '/';
  }
}

/** A new log entry for a request; it is kept in the log unless it is one of the sandbox's own controls. */
export function logEntry(state: SandboxState, req: IncomingMessage, requestId: string, kept = true): SandboxLogEntry {
  const entry: SandboxLogEntry = {
    time: new Date().toISOString(),
    method: req.method ?? 'GET',
    path: pathOf(req),
    ...(req.headers['content-type'] !== undefined && { contentType: req.headers['content-type'] }),
    bytes: 0,
    status: 0,
    requestId,
  };
  if (!kept) return entry;
  state.log.push(entry);
  if (state.log.length > LOG_LIMIT) state.log.splice(0, state.log.length - LOG_LIMIT);
  return entry;
}

/** Answers one HTTP request: the sandbox's controls, else a queued fault, else the route's handler. */
export async function handleRequest(state: SandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newRequestId();
  res.setHeader('X-Request-Id', requestId);
  if (pathOf(req).startsWith('/__sandbox')) {
    // The sandbox's own controls are not logged, so the log shows only what clients sent.
    await handleControl(state, req, res, logEntry(state, req, requestId, false));
    return;
  }
  const entry = logEntry(state, req, requestId);
  res.on('finish', () => {
    entry.status = res.statusCode;
  });
  const route = ROUTES[`${entry.method} ${entry.path}`];
  if (route?.service !== 'sandbox') {
    const fault = state.faults.take(entry.path, 'http');
    const exchange = { state, req, res, entry };
    if (fault?.passThrough) answerWithFault(fault, exchange);
    else if (fault && (await applyHttpFault(fault, exchange))) return;
  }
  await (route ? route.handle(state, req, res, entry) : handleUnrouted(state, req, res, entry));
}

function welcome(state: SandboxState) {
  return {
    service: 'Harf sandbox',
    sandbox: true,
    notice: SANDBOX_NOTICE,
    baseUrl: state.url,
    endpoints: {
      transcribe: 'POST /api/transcribe_files/',
      alignment: 'POST /api/alignment/',
      speakers: `POST ${SPEAKER_TASKS_PATH}{${SPEAKER_TASKS.join(',')}}/`,
      healthcheck: `GET ${HEALTHCHECK_PATH}`,
      live: `websocket ${LIVE_PATH}`,
      assemblyAi: 'POST /v2/stream',
      assemblyAiSync: 'POST /v1/transcribe/live (also /v1/transcribe/stream, /v1/transcribe, /transcribe); GET /v1/warm',
      control: Object.keys(CONTROL_ROUTES),
    },
    hints: [
      'Every request needs the header "Authorization: Token <token>" (the token is printed when the sandbox starts).',
      'A media URL whose file name contains "fail" ends in FAILURE, "timeout" in TIMEOUT.',
      'Add ?duration=SECONDS to a media URL to choose its length; ?uncertain=0 for a transcript without uncertain words.',
      'Speaker tasks: ?voices=maryam,reza on a media URL says who speaks in it; ' +
        'a sample URL is the voice its file name (reza-2.mp3) or ?voice= names.',
    ],
  };
}
