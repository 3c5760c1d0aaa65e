import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { AbortedError, TranscriptionError } from '../../lib/errors';
import { readAnswer } from '../../lib/http/answer';
import { noAnswerError, unreachableError } from '../../lib/http/retry';
import type { HttpTransport, TransportRequest, TransportResponse } from '../../lib/http/types';

/** The n8n helper's full answer (`returnFullResponse: true`). */
interface FullResponse {
  body: unknown;
  headers: Record<string, unknown>;
  statusCode: number;
}

const TIMED_OUT = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const CANCELLED = new Set(['ERR_CANCELED', 'ABORT_ERR']);

/**
 * An HttpTransport for lib/ built on `httpRequestWithAuthentication`, so that n8n's credential
 * handling, proxy settings and domain restrictions apply to every request. The credential's
 * `authenticate` sets the Authorization header; the one lib/ adds is dropped here.
 */
export function createN8nTransport(context: IExecuteFunctions, credentialType: string): HttpTransport {
  return async (request: TransportRequest): Promise<TransportResponse> => {
    if (request.signal?.aborted) throw new AbortedError();

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (name.toLowerCase() !== 'authorization') headers[name] = value;
    }

    const options: IHttpRequestOptions = {
      method: request.method,
      url: request.url,
      headers,
      // A JSON text, bytes, or a stream (multipart uploads are streams); axios sends each as is.
      body: request.body as IHttpRequestOptions['body'],
      json: false,
      // The answer is read by lib, within its size and time limits, never whole by axios.
      encoding: 'stream',
      returnFullResponse: true,
      ignoreHttpStatusErrors: true,
      // To follow a redirect, n8n's axios keeps every byte sent so it can send them again (for a
      // streamed upload, the whole file in memory), and it turns a POST into a bodiless GET on 301/302.
      // lib reports a redirect with where it points instead, as in Node-RED.
      disableFollowRedirect: true,
      // axios's timeout covers the whole exchange, so a large upload would hit it while still sending:
      // a streamed body has no total limit (the execution's Stop button still ends it).
      timeout: isStream(request.body) ? undefined : request.timeoutMs,
      abortSignal: request.signal,
    };

    let response: FullResponse;
    try {
      const sending = context.helpers.httpRequestWithAuthentication.call(context, credentialType, options) as Promise<FullResponse>;
      response = await abortable(sending, request.signal);
    } catch (error) {
      throw transportError(error, request);
    }

    return {
      status: response.statusCode,
      headers: normalizeHeaders(response.headers),
      body: await readBody(response.body, request),
    };
  };
}

/** Reads a streamed answer with lib's limits, the request's time limit included. */
async function readBody(body: unknown, request: TransportRequest): Promise<Buffer> {
  if (!isStream(body)) return toBuffer(body);
  const reading = readAnswer(body as Parameters<typeof readAnswer>[0], safeHost(request.url), { ...request, overallMs: request.timeoutMs });
  return await abortable(reading.body, request.signal);
}

function isStream(body: unknown): boolean {
  return typeof (body as { pipe?: unknown } | undefined)?.pipe === 'function';
}

/** Settles as soon as the signal aborts, even when the helper replaced our signal with its own. */
async function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return await promise;
  return await new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Whether the whole request had gone out, read from axios's request under n8n's wrapping
 * (`writableFinished` of the ClientRequest). When it cannot be told, the service may have it: true.
 */
function requestWasSent(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const record = current as { request?: { writableFinished?: unknown }; syscall?: unknown; cause?: unknown };
    if (record.syscall === 'connect') return false;
    if (typeof record.request?.writableFinished === 'boolean') return record.request.writableFinished;
    current = record.cause;
  }
  return true;
}

/** Finds the network error code under n8n's NodeApiError wrapping (error.cause is axios's error). */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const record = current as { code?: unknown; cause?: unknown };
    if (typeof record.code === 'string' && /^[A-Z_]+$/.test(record.code)) return record.code;
    current = record.cause;
  }
  return undefined;
}

function transportError(error: unknown, request: TransportRequest): Error {
  if (error instanceof AbortedError) return error;
  // lib's own error from the request body (audio refused while it was being converted) travels as it is.
  const own = libError(error);
  if (own) return own;
  const host = safeHost(request.url);
  const code = errorCode(error);
  if (request.signal?.aborted || (code && CANCELLED.has(code))) return new AbortedError();
  if (code && TIMED_OUT.has(code)) {
    return noAnswerError(host, request.timeoutMs ?? 0, { cause: error, requestSent: requestWasSent(error), service: request.service });
  }
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return unreachableError(host, reason, { code, cause: error, requestSent: requestWasSent(error), service: request.service });
}

function libError(error: unknown): TranscriptionError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    if (current instanceof TranscriptionError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the service';
  }
}

function normalizeHeaders(headers: unknown): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  if (!headers || typeof headers !== 'object') return out;
  // axios hands over an AxiosHeaders instance; its toJSON gives the plain record.
  const source =
    typeof (headers as { toJSON?: unknown }).toJSON === 'function'
      ? ((headers as { toJSON: () => Record<string, unknown> }).toJSON() as Record<string, unknown>)
      : (headers as Record<string, unknown>);
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return out;
}

function toBuffer(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(JSON.stringify(body), 'utf8');
}
