/**
 * What each fault answers. A fault with a fixed answer (a status and a body) is one row of
 * `FIXED_ANSWERS`; one that acts on the connection or streams is one row of `HTTP_ACTIONS`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { defaultErrorCode, ERROR_FORMS } from './errorForms';
import type { Fault, FaultType } from './faults';
import { drainBody, nginxErrorPage, sendText, STATUS_TEXT, type SandboxLogEntry } from './http';
import type { SandboxState } from './state';

export interface FixedAnswer {
  status: number;
  text: string;
  contentType: string;
  headers: Record<string, string>;
}

type FaultOf<T extends FaultType> = Extract<Fault, { type: T }>;

function statusAnswer(fault: FaultOf<'status'>): FixedAnswer {
  const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
  const words = STATUS_TEXT[fault.status] ?? `Error ${fault.status}`;
  if (fault.form) {
    const body = ERROR_FORMS[fault.form](fault.status, fault.code ?? defaultErrorCode(fault.status), fault.message ?? words);
    return { status: fault.status, headers, text: body.text, contentType: fault.contentType ?? body.contentType };
  }
  if (fault.body === undefined)
    return { status: fault.status, headers, text: JSON.stringify({ detail: words }), contentType: 'application/json' };
  if (typeof fault.body === 'string') {
    return { status: fault.status, headers, text: fault.body, contentType: fault.contentType ?? 'text/plain; charset=utf-8' };
  }
  return { status: fault.status, headers, text: JSON.stringify(fault.body), contentType: fault.contentType ?? 'application/json' };
}

const FIXED_ANSWERS: { [T in FaultType]?: (fault: FaultOf<T>) => FixedAnswer } = {
  status: statusAnswer,
  html: (fault) => ({ status: fault.status ?? 502, text: nginxErrorPage(fault.status ?? 502), contentType: 'text/html', headers: {} }),
  malformed: (fault) => ({
    status: 200,
    text: fault.body ?? JSON.stringify({ result: 'ok', items: null }),
    contentType: fault.contentType ?? 'application/json',
    headers: {},
  }),
  'ws-reject': (fault) => {
    const status = fault.status ?? 503;
    return {
      status,
      text: JSON.stringify({ detail: STATUS_TEXT[status] ?? `Error ${status}` }),
      contentType: 'application/json',
      headers: {},
    };
  },
};

/** The status and body a fault answers with, when it answers with one. */
export function fixedAnswer(fault: Fault): FixedAnswer | undefined {
  const make = FIXED_ANSWERS[fault.type] as ((f: Fault) => FixedAnswer) | undefined;
  return make?.(fault);
}

export interface FaultExchange {
  state: SandboxState;
  req: IncomingMessage;
  res: ServerResponse;
  entry: SandboxLogEntry;
}

/** Sends a 200 JSON body generated piece by piece, never held whole: `total` bytes, or without end. */
function generatedJson(exchange: FaultExchange, total: number | undefined, intervalMs: number): void {
  const { res, state } = exchange;
  const head = Buffer.from('{"state":"PENDING","padding":"');
  const tail = Buffer.from('"}');
  const filler = Buffer.alloc(64 * 1024, 'a');
  let padding = total === undefined ? Infinity : Math.max(0, total - head.length - tail.length);
  let started = false;
  const body = new Readable({
    read() {
      if (!started) {
        started = true;
        this.push(head);
        return;
      }
      if (padding <= 0) {
        this.push(tail);
        this.push(null);
        return;
      }
      const piece = padding >= filler.length ? filler : filler.subarray(0, padding);
      padding -= piece.length;
      if (intervalMs > 0) void state.sleep(intervalMs).then(() => this.push(piece));
      else this.push(piece);
    },
  });
  res.writeHead(200, {
    'Content-Type': 'application/json',
    ...(total !== undefined && { 'Content-Length': String(head.length + tail.length + padding) }),
  });
  // An endless answer never finishes: the log shows its status from the start.
  exchange.entry.status = 200;
  res.on('close', () => body.destroy());
  body.pipe(res);
}

type HttpAction = (fault: Fault, exchange: FaultExchange) => Promise<boolean>;

/** Faults that do more than send a fixed answer. True: the fault has answered (or never will). */
const HTTP_ACTIONS: { [T in FaultType]?: (fault: FaultOf<T>, exchange: FaultExchange) => Promise<boolean> } = {
  async delay(fault, { state }) {
    await state.sleep(fault.ms);
    return false;
  },
  async drop(fault, { req, entry }) {
    // early: the connection fails before the request has been read, so the service never saw it.
    if (!fault.early) await drainBody(req, entry);
    req.socket.destroy();
    return true;
  },
  async stall(_fault, { req, entry }) {
    // Never answers; close() or the client ends it.
    await drainBody(req, entry);
    return true;
  },
  async oversized(fault, exchange) {
    await drainBody(exchange.req, exchange.entry);
    generatedJson(exchange, fault.bytes, 0);
    return true;
  },
  async endless(fault, exchange) {
    await drainBody(exchange.req, exchange.entry);
    generatedJson(exchange, undefined, fault.intervalMs ?? 0);
    return true;
  },
};

/** Applies a fault to a plain request. Resolves true when the fault has answered (or will never answer). */
export async function applyHttpFault(fault: Fault, exchange: FaultExchange): Promise<boolean> {
  exchange.entry.fault = fault.type;
  const action = HTTP_ACTIONS[fault.type] as HttpAction | undefined;
  if (action) return await action(fault, exchange);
  // Like a proxy in front of the service: the request is read in full, then the fault answers.
  await drainBody(exchange.req, exchange.entry);
  const answer = fixedAnswer(fault);
  if (answer) sendText(exchange.res, answer.status, answer.text, answer.contentType, answer.headers);
  return true;
}

/** Lets the request reach the service, then replaces the service's answer with the fault's. */
export function answerWithFault(fault: Fault, exchange: FaultExchange): void {
  const { res } = exchange;
  const { writeHead, end } = res;
  res.writeHead = (() => res) as typeof res.writeHead;
  res.end = (() => {
    res.writeHead = writeHead;
    res.end = end;
    void applyHttpFault(fault, exchange);
    return res;
  }) as typeof res.end;
}
