/** Websocket handshakes: a fault may refuse or hold one; Harf's token is checked; the live path is served. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { fixedAnswer, type FixedAnswer } from './faultAnswers';
import type { Fault } from './faults';
import { harfAuthError } from './harf';
import { newRequestId, STATUS_TEXT, type SandboxLogEntry } from './http';
import { LIVE_PATH, runLiveSession } from './live';
import type { SandboxState } from './state';

/** Refuses a websocket handshake with an HTTP answer written straight to the socket. */
function refuseUpgrade(socket: Duplex, entry: SandboxLogEntry, answer: FixedAnswer): void {
  entry.status = answer.status;
  if (socket.destroyed) return;
  const head = [
    `HTTP/1.1 ${answer.status} ${STATUS_TEXT[answer.status] ?? 'Error'}`,
    `Content-Type: ${answer.contentType}`,
    `Content-Length: ${Buffer.byteLength(answer.text)}`,
    `X-Request-Id: ${entry.requestId}`,
    ...Object.entries(answer.headers).map(([name, value]) => `${name}: ${value}`),
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  socket.end(head + answer.text);
}

/** Applies a fault to a handshake. True when the fault has answered (or never will). */
async function applyUpgradeFault(state: SandboxState, fault: Fault, socket: Duplex, entry: SandboxLogEntry): Promise<boolean> {
  entry.fault = fault.type;
  if (fault.type === 'delay') {
    await state.sleep(fault.ms);
    return false;
  }
  if (fault.type === 'drop') socket.destroy();
  const answer = fixedAnswer(fault);
  if (!answer) return true;
  // A handshake's refusal is JSON unless the fault says otherwise.
  const contentType = fault.type === 'status' && !fault.form ? (fault.contentType ?? 'application/json') : answer.contentType;
  refuseUpgrade(socket, entry, { ...answer, contentType });
  return true;
}

export interface UpgradeContext {
  state: SandboxState;
  wss: WebSocketServer;
  /** The request id of each accepted handshake, sent back in its 101 answer. */
  upgradeIds: WeakMap<IncomingMessage, string>;
  record(req: IncomingMessage, requestId: string): SandboxLogEntry;
}

export async function handleUpgrade(context: UpgradeContext, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const { state, wss } = context;
  const entry = context.record(req, newRequestId());
  const fault = state.faults.take(entry.path, 'upgrade');
  if (fault && (await applyUpgradeFault(state, fault, socket, entry))) return;
  if (socket.destroyed) return;
  const authError = harfAuthError(req, state.tokens);
  if (authError) {
    refuseUpgrade(socket, entry, {
      status: 401,
      text: JSON.stringify(authError),
      contentType: 'application/json',
      headers: { 'WWW-Authenticate': 'Token' },
    });
    return;
  }
  if (entry.path !== LIVE_PATH) {
    refuseUpgrade(socket, entry, {
      status: 404,
      text: JSON.stringify({ detail: 'Not found.' }),
      contentType: 'application/json',
      headers: {},
    });
    return;
  }
  context.upgradeIds.set(req, entry.requestId);
  wss.handleUpgrade(req, socket, head, (ws) => {
    entry.status = 101;
    runLiveSession(state, ws, entry.requestId);
  });
}
