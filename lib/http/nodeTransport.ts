import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import { AbortedError, ConnectionError, WaitTimeoutError } from '../errors';
import type { HttpTransport, TransportRequest, TransportResponse } from './types';

// Keep-alive sockets make polling many tasks cheap; they never outlive an idle minute.
const httpAgent = new http.Agent({ keepAlive: true, timeout: 60_000 });
const httpsAgent = new https.Agent({ keepAlive: true, timeout: 60_000 });

/** The default transport, on node:http / node:https. Streams request bodies; buffers the (small) answers. */
export const nodeTransport: HttpTransport = (request: TransportRequest): Promise<TransportResponse> =>
  new Promise<TransportResponse>((resolve, reject) => {
    const url = new URL(request.url);
    const isHttps = url.protocol === 'https:';
    if (request.signal?.aborted) {
      reject(new AbortedError());
      return;
    }
    let settled = false;
    let responseStarted = false;
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
      agent: isHttps ? httpsAgent : httpAgent,
    });

    const onAbort = () => {
      finish(new AbortedError());
      req.destroy();
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });

    const timer = setTimeout(() => {
      finish(
        new WaitTimeoutError(
          `No answer from ${url.host} within ${Math.round((request.timeoutMs ?? 0) / 1000)} s`,
          request.timeoutMs ?? 0,
        ),
      );
      req.destroy();
    }, request.timeoutMs ?? 600_000);

    req.on('error', (error: NodeJS.ErrnoException) => {
      finish(
        new ConnectionError(`Could not reach ${url.host}: ${error.code ?? error.message}`, {
          code: error.code,
          cause: error,
          // Safe to send again only when nothing of an answer arrived.
          retryable: !responseStarted,
        }),
      );
    });

    req.on('response', (res) => {
      responseStarted = true;
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
        finish(new ConnectionError(`Reading the upload failed: ${error.message}`, { cause: error }));
        req.destroy();
      });
      stream.pipe(req);
    }
  });
