import type { Readable } from 'node:stream';
import type { Service } from '../errors';

/** A request body: JSON text, bytes, or a stream (a multipart form is a stream). */
export type RequestBody = string | Buffer | Readable;

/** What an answer may hold, and how long it may take: every transport reads within these. */
export interface AnswerLimits {
  /** The largest answer body read (bytes); a larger one is refused. Default DEFAULT_ANSWER_LIMITS.maxBytes. */
  maxAnswerBytes?: number;
  /** Gives up when an answer that started stops arriving for this long (ms). */
  idleTimeoutMs?: number;
}

export interface TransportRequest extends AnswerLimits {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: RequestBody;
  signal?: AbortSignal;
  /** Gives up when the whole answer has not arrived within this many ms of the request being sent. */
  timeoutMs?: number;
  /** Whose answer it is, for the errors' wording. */
  service?: Service;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * Sends one HTTP request and returns whatever status came back (it never throws for a status).
 * It throws only when no complete answer arrived within the limits: a ConnectionError, a
 * WaitTimeoutError, an UnexpectedResponseError (too large) or an AbortedError. The default one uses
 * node:http; n8n's adapter passes one built on `httpRequestWithAuthentication` so n8n's proxy
 * settings and credential handling apply. Both read the answer with lib/http/answer.
 */
export type HttpTransport = (request: TransportRequest) => Promise<TransportResponse>;

export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** First backoff (ms), doubled each retry, with full jitter. Default 500. */
  minDelayMs?: number;
  /** Longest backoff between two attempts (ms) when the service says nothing. Default 20000. */
  maxDelayMs?: number;
  /** No retry starts once this much time (ms) has passed since the first attempt (a Retry-After wait aside). Default 60000. */
  maxElapsedMs?: number;
  /**
   * The longest Retry-After (ms) the client waits for; a service that asks for longer fails at once
   * with a RateLimitError carrying the wait it asked for. Default 60000.
   */
  maxRetryAfterMs?: number;
}
