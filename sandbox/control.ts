/** The sandbox's own endpoints under `/__sandbox/`, one row each: faults, log, sessions, jobs, settings. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault } from './faults';
import { readJsonObject, harfAuthError, sendUnauthorized } from './harf';
import { drainBody, readBody, sendJson, type SandboxLogEntry } from './http';
import { validateSettings, type Handler, type SandboxState } from './state';

async function addFaults(state: SandboxState, req: IncomingMessage, res: ServerResponse, entry: SandboxLogEntry): Promise<void> {
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
}

async function configure(state: SandboxState, req: IncomingMessage, res: ServerResponse, entry: SandboxLogEntry): Promise<void> {
  const data = await readJsonObject(req, res, entry);
  if (!data) return;
  try {
    Object.assign(state.settings, validateSettings(data));
  } catch (error) {
    sendJson(res, 400, { detail: (error as Error).message });
    return;
  }
  sendJson(res, 200, state.settings);
}

/** A control that needs no request body: the body is drained, then `answer` gives the JSON to send. */
function answering(answer: (state: SandboxState) => unknown): Handler {
  return async (state, req, res, entry) => {
    await drainBody(req, entry);
    sendJson(res, 200, answer(state));
  };
}

export function resetJobs(state: SandboxState): void {
  state.jobs.reset();
  state.uploads.length = 0;
}

export const CONTROL_ROUTES: Record<string, Handler> = {
  'POST /__sandbox/faults': addFaults,
  'GET /__sandbox/faults': answering((state) => ({ pending: state.faults.pending() })),
  'DELETE /__sandbox/faults': answering((state) => (state.faults.clear(), { pending: [] })),
  // The log shows only what clients sent, not the sandbox's own controls.
  'GET /__sandbox/log': answering((state) => state.log.filter((e) => !e.path.startsWith('/__sandbox'))),
  'DELETE /__sandbox/log': answering((state) => ((state.log.length = 0), [])),
  'GET /__sandbox/live': answering((state) => state.liveSessions),
  'DELETE /__sandbox/live': answering((state) => ((state.liveSessions.length = 0), [])),
  'GET /__sandbox/jobs': answering((state) => state.jobs.snapshot()),
  'DELETE /__sandbox/jobs': answering((state) => (resetJobs(state), state.jobs.snapshot())),
  'GET /__sandbox/uploads': answering((state) => state.uploads),
  'GET /__sandbox/sync': answering((state) =>
    state.syncRequests.map(({ audio, ...rest }) => ({ ...rest, audioBytes: audio?.bytes.length })),
  ),
  'POST /__sandbox/config': configure,
  'GET /__sandbox/config': answering((state) => state.settings),
};

/** Answers a request under `/__sandbox/` (with a Harf token): its row, 405 for another method, 404 for no row. */
export async function handleControl(state: SandboxState, req: IncomingMessage, res: ServerResponse, entry: SandboxLogEntry): Promise<void> {
  const authError = harfAuthError(req, state.tokens);
  if (authError) {
    await drainBody(req, entry);
    sendUnauthorized(res, authError);
    return;
  }
  const method = req.method ?? 'GET';
  const path = entry.path.endsWith('/') ? entry.path.slice(0, -1) : entry.path;
  const handler = CONTROL_ROUTES[`${method} ${path}`];
  if (handler) {
    await handler(state, req, res, entry);
    return;
  }
  await drainBody(req, entry);
  const known = Object.keys(CONTROL_ROUTES).some((key) => key.endsWith(` ${path}`));
  if (known) sendJson(res, 405, { detail: `Method "${method}" not allowed.` });
  else sendJson(res, 404, { detail: 'Not found.' });
}
