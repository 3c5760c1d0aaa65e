import type * as http from 'node:http';
import type { Readable } from 'node:stream';
import { AbortedError, ConnectionError, TranscriptionError, WaitTimeoutError } from '../errors';
import { partialAnswerError, readAnswer, sizeInWords, type AnswerReading } from './answer';
import { connectionFailure, noAnswerError, unreachableError } from './retry';
import type { HttpTransport, TransportRequest, TransportResponse } from './types';

export interface ClosableTransport {
  transport: HttpTransport;
  /** Closes the idle keep-alive sockets, so a redeploy or a finished job leaves none behind. */
  close(): void;
}

/**
 * A transport on node:http / node:https with its own keep-alive pool (polling many tasks reuses
 * connections). Streams request bodies; reads answers within lib/http/answer's limits.
 */
export function createNodeTransport(): ClosableTransport {
  // Each module and its pool are made on first use: loading the package costs neither.
  const agents: { http?: http.Agent; https?: http.Agent } = {};
  const agentFor = (scheme: 'http' | 'https'): http.Agent => {
    const made = agents[scheme] ?? new (protocol(scheme).Agent)({ keepAlive: true, timeout: 60_000 });
    agents[scheme] = made;
    return made;
  };
  return {
    transport: (request) => send(request, request.url.startsWith('https:') ? agentFor('https') : agentFor('http')),
    close: () => {
      agents.http?.destroy();
      agents.https?.destroy();
    },
  };
}

function protocol(scheme: 'http' | 'https'): typeof http {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (scheme === 'https' ? require('node:https') : require('node:http')) as typeof http;
}

/** Where one exchange stands: what the errors say depends on it. */
interface Exchange {
  host: string;
  limitMs: number;
  /** Whether the whole request went out: after that the service may be acting on it. */
  requestSent: boolean;
  connected: boolean;
  bytesSent: number;
  reading?: AnswerReading;
}

function send(request: TransportRequest, agent: http.Agent): Promise<TransportResponse> {
  return new Promise<TransportResponse>((resolve, reject) => {
    const url = new URL(request.url);
    if (request.signal?.aborted) {
      reject(new AbortedError());
      return;
    }
    const exchange: Exchange = {
      host: url.host,
      limitMs: request.timeoutMs ?? 600_000,
      requestSent: false,
      connected: false,
      bytesSent: 0,
    };
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const req = protocol(url.protocol === 'https:' ? 'https' : 'http').request(url, {
      method: request.method,
      headers: request.headers,
      agent,
    });
    const finish = (error: Error | undefined, response?: TransportResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      if (error) {
        exchange.reading?.fail(error);
        req.destroy();
        reject(error);
      } else resolve(response!);
    };
    const onAbort = () => finish(new AbortedError());
    request.signal?.addEventListener('abort', onAbort, { once: true });

    // Sending has no total limit (a large upload takes long), only one of inactivity; the limit
    // for the answer counts from the moment the whole request is sent.
    req.setTimeout(exchange.limitMs, () =>
      finish(
        new WaitTimeoutError(
          `Could not send the request to ${url.host} within ${Math.round(exchange.limitMs / 1000)} s`,
          exchange.limitMs,
          {
            requestSent: false,
            service: request.service,
          },
        ),
      ),
    );
    req.on('socket', (socket) => {
      if (!socket.connecting) exchange.connected = true;
      else socket.once('connect', () => (exchange.connected = true));
    });
    req.on('finish', () => {
      exchange.requestSent = true;
      req.setTimeout(0);
      if (!settled) timer = setTimeout(() => finish(timeoutError(exchange, request)), exchange.limitMs);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // Once an answer has started, it alone says how the exchange ended.
      if (!exchange.reading) finish(sendingError(exchange, error, request));
    });
    req.on('response', (res) => onAnswer(res, req, request, exchange, finish));
    writeBody(req, request, exchange, finish);
  });
}

function onAnswer(
  res: http.IncomingMessage,
  req: http.ClientRequest,
  request: TransportRequest,
  exchange: Exchange,
  finish: (error: Error | undefined, response?: TransportResponse) => void,
): void {
  const stillSending = !exchange.requestSent;
  // An answer means the service read the request, whatever the client's side still had to flush.
  exchange.requestSent = true;
  if (stillSending && request.body !== undefined && typeof request.body === 'object' && !Buffer.isBuffer(request.body)) {
    // The service answered before the upload ended (a refused key, a rate limit): stop sending.
    const body = request.body as Readable;
    body.unpipe(req);
    body.destroy();
  }
  exchange.reading = readAnswer(res, exchange.host, request);
  exchange.reading.body.then(
    (body) => {
      finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body });
      if (stillSending) req.destroy();
    },
    (error: Error) => finish(error),
  );
}

function writeBody(
  req: http.ClientRequest,
  request: TransportRequest,
  exchange: Exchange,
  finish: (error: Error | undefined, response?: TransportResponse) => void,
): void {
  const body = request.body;
  if (body === undefined) req.end();
  else if (typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
  else {
    body.on('data', (chunk: Buffer) => (exchange.bytesSent += chunk.length));
    body.on('error', (error) => {
      // lib's own refusal of the audio as it was produced (past a limit) travels as it is.
      if (error instanceof TranscriptionError) return finish(error);
      // Nothing complete reached the service, but sending again would fail the same way.
      finish(
        new ConnectionError(`Reading the upload failed: ${error.message}`, {
          cause: error,
          requestSent: false,
          retryable: false,
          service: request.service,
        }),
      );
    });
    body.pipe(req);
  }
}

/** The overall limit ran out: after nothing, or after part of the answer. */
function timeoutError(exchange: Exchange, request: TransportRequest): WaitTimeoutError {
  const received = exchange.reading?.received();
  if (received === undefined)
    return noAnswerError(exchange.host, exchange.limitMs, { requestSent: exchange.requestSent, service: request.service });
  return partialAnswerError(exchange.host, exchange.limitMs, received, request.service);
}

/** The connection failed before any answer: before connecting, while sending, or after sending. */
function sendingError(exchange: Exchange, error: NodeJS.ErrnoException, request: TransportRequest): ConnectionError {
  const reason = error.code ?? error.message;
  const facts = { code: error.code, cause: error, requestSent: exchange.requestSent, service: request.service };
  if (exchange.requestSent)
    return connectionFailure(`The connection to ${exchange.host} was lost after the request was sent: ${reason}`, facts);
  if (exchange.connected && exchange.bytesSent > 0) {
    return connectionFailure(
      `The connection to ${exchange.host} broke while sending the request, after ${sizeInWords(exchange.bytesSent)}: ${reason}`,
      facts,
    );
  }
  if (exchange.connected)
    return connectionFailure(`The connection to ${exchange.host} broke before the request was sent: ${reason}`, facts);
  return unreachableError(exchange.host, reason, facts);
}
