import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import { AbortedError, ConnectionError, WaitTimeoutError } from '../errors';
import { connectionFailure, noAnswerError, unreachableError } from './retry';
import type { HttpTransport, TransportRequest, TransportResponse } from './types';

export interface ClosableTransport {
  transport: HttpTransport;
  /** Closes the idle keep-alive sockets, so a redeploy or a finished job leaves none behind. */
  close(): void;
}

/**
 * A transport on node:http / node:https with its own keep-alive pool (polling many tasks reuses
 * connections). Streams request bodies; buffers the (small) answers.
 */
export function createNodeTransport(): ClosableTransport {
  const httpAgent = new http.Agent({ keepAlive: true, timeout: 60_000 });
  const httpsAgent = new https.Agent({ keepAlive: true, timeout: 60_000 });
  return {
    transport: (request) => send(request, request.url.startsWith('https:') ? httpsAgent : httpAgent),
    close: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function send(request: TransportRequest, agent: http.Agent): Promise<TransportResponse> {
  return new Promise<TransportResponse>((resolve, reject) => {
    const url = new URL(request.url);
    const isHttps = url.protocol === 'https:';
    if (request.signal?.aborted) {
      reject(new AbortedError());
      return;
    }
    let settled = false;
    // Whether the whole request went out: after that the service may be acting on it.
    let requestSent = false;
    const finish = (error: Error | undefined, response?: TransportResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(response!);
    };

    const req = (isHttps ? https : http).request(url, {
      method: request.method,
      headers: request.headers,
      agent,
    });

    const onAbort = () => {
      finish(new AbortedError());
      req.destroy();
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });

    // The limit counts from the moment the whole request is sent: a large upload may take longer
    // than it, as long as its bytes keep flowing (a stalled upload is caught by the same limit of
    // socket inactivity).
    const limit = request.timeoutMs ?? 600_000;
    const timedOut = (error: () => WaitTimeoutError) => () => {
      finish(error());
      req.destroy();
    };
    let timer: NodeJS.Timeout | undefined;
    req.setTimeout(
      limit,
      timedOut(() => new WaitTimeoutError(`Could not send the request to ${url.host} within ${Math.round(limit / 1000)} s`, limit, { requestSent })),
    );
    req.on('finish', () => {
      requestSent = true;
      req.setTimeout(0);
      if (!settled) timer = setTimeout(timedOut(() => noAnswerError(url.host, limit, { requestSent })), limit);
    });

    req.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code ?? error.message;
      const facts = { code: error.code, cause: error, requestSent };
      finish(
        requestSent
          ? connectionFailure(`The connection to ${url.host} was lost after the request was sent: ${reason}`, facts)
          : unreachableError(url.host, reason, facts),
      );
    });

    req.on('response', (res) => {
      // An answer means the service read the request, whatever the client's side still had to flush.
      requestSent = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error: NodeJS.ErrnoException) =>
        finish(new ConnectionError(`The answer from ${url.host} broke off: ${error.code ?? error.message}`, { code: error.code })),
      );
      res.on('aborted', () =>
        finish(new ConnectionError(`The answer from ${url.host} broke off before it was complete`, { code: 'ECONNRESET' })),
      );
      res.on('end', () => {
        if (!res.complete) {
          finish(new ConnectionError(`The answer from ${url.host} broke off before it was complete`, { code: 'ECONNRESET' }));
          return;
        }
        finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
    });

    const body = request.body;
    if (body === undefined) req.end();
    else if (typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else {
      const stream = body as Readable;
      stream.on('error', (error) => {
        // Nothing complete reached the service, but sending again would fail the same way.
        finish(new ConnectionError(`Reading the upload failed: ${error.message}`, { cause: error, requestSent: false, retryable: false }));
        req.destroy();
      });
      stream.pipe(req);
    }
  });
}
