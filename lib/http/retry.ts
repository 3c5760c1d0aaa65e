import {
  AbortedError,
  ConnectionError,
  RateLimitError,
  ServerError,
  StreamClosedError,
  TranscriptionError,
  WaitTimeoutError,
} from '../errors';
import { checkSetting, isUnset, type NumberSetting } from '../settings';
import type { RetryOptions } from './types';

/** Seconds: the longest Retry-After wait honoured; a longer one fails at once with a RateLimitError. */
export const MAX_RETRY_AFTER = { default: 60, min: 0, max: 24 * 3600 } as const satisfies NumberSetting;

export const DEFAULT_RETRY: Required<RetryOptions> = {
  retries: 3,
  minDelayMs: 500,
  maxDelayMs: 20_000,
  maxElapsedMs: 60_000,
  maxRetryAfterMs: MAX_RETRY_AFTER.default * 1000,
};

/**
 * What a request does, which decides when it may be sent again (README, Errors). Harf has no
 * idempotency key: a request that starts a job is billed each time it reaches the service.
 * - `startsJob`: transcribe (wait true or false), upload, alignment, speaker tasks, AssemblyAI.
 * - `asks`: a task's state, the healthcheck; sending it again changes nothing.
 */
export type RequestKind = 'startsJob' | 'asks';

/**
 * The one rule for sending a failed request again, used with every transport.
 * A job-starting request is sent again only when the service cannot have started the job: 429,
 * 503, or a connection that failed before the whole request was sent. A request that only asks is
 * sent again on 429, any 5xx, a timeout and any connection failure.
 */
export function mayResend(error: unknown, kind: RequestKind): boolean {
  if (error instanceof RateLimitError) return true;
  if (error instanceof ServerError) return kind === 'asks' || error.status === 503;
  if (error instanceof StreamClosedError) return false;
  if (error instanceof ConnectionError) return kind === 'asks' || (!error.requestSent && error.retryable);
  if (error instanceof WaitTimeoutError && error.requestSent !== undefined) return kind === 'asks' || !error.requestSent;
  return false;
}

/** Whether a failed job-starting request may have started its job anyway (so it is not sent again). */
export function mayHaveStartedJob(error: unknown): boolean {
  if (error instanceof ServerError) return error.status !== 503;
  if (error instanceof StreamClosedError) return false;
  if (error instanceof ConnectionError) return error.requestSent;
  if (error instanceof WaitTimeoutError) return error.requestSent === true;
  return false;
}

/** What an error whose request may have started a job says about it (its message ends with this). */
export const JOB_MAY_HAVE_STARTED =
  'The request had reached the service, so the job may have started (and be billed): it was not sent again; check before sending it again';

/** Says on the error itself that the job may have started, so nobody resends it blindly. */
function markJobMayHaveStarted(error: TranscriptionError, sends: number): void {
  if (error.jobMayHaveStarted) return;
  error.jobMayHaveStarted = true;
  const said =
    sends > 1
      ? JOB_MAY_HAVE_STARTED.replace('it was not sent again', `it was sent ${sends} times in all and not again`)
      : JOB_MAY_HAVE_STARTED;
  error.message += `. ${said}`;
}

/** Resolves after `ms`, or rejects with AbortedError as soon as the signal fires. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortedError());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds from now. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) return Math.round(parseFloat(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Full-jitter exponential backoff (AWS's "full jitter"): random in [0, min(max, base·2^attempt)]. */
export function backoffDelay(attempt: number, options: Required<RetryOptions>, random = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.minDelayMs * 2 ** attempt);
  return Math.round(random() * ceiling);
}

/**
 * Server errors an endpoint declares safe to send again although its request starts a job (AssemblyAI
 * calls a 500 or 504 of its Sync API safe to retry once), beyond what `mayResend` allows.
 */
export interface SafeResends {
  statuses: readonly number[];
  times: number;
}

export interface RetryControl {
  signal?: AbortSignal;
  kind?: RequestKind;
  /** False when the request cannot be sent again (a one-shot stream already read). */
  canRetry?: () => boolean;
  onRetry?: (context: RetryContext) => void;
  safeResends?: SafeResends;
}

export interface RetryContext {
  attempt: number;
  error: TranscriptionError;
  delayMs: number;
}

/**
 * Runs `send` and sends it again while `mayResend` allows (see RequestKind), with full-jitter
 * backoff, waiting at least what Retry-After asks, never past the count or total time limits.
 * A Retry-After longer than `maxRetryAfterMs` fails at once with a RateLimitError carrying it.
 */
export async function withRetries<T>(
  send: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
  control: RetryControl = {},
): Promise<T> {
  const settings = { ...DEFAULT_RETRY, ...definedOnly(options) };
  const kind = control.kind ?? 'startsJob';
  const started = Date.now();
  let safeResendsUsed = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await send(attempt);
    } catch (error) {
      if (!(error instanceof TranscriptionError)) throw error;
      const declaredSafe = isDeclaredSafe(error, control.safeResends, safeResendsUsed);
      const canSendAgain = !control.canRetry || control.canRetry();
      if (!(mayResend(error, kind) || declaredSafe) || !canSendAgain) {
        if (kind === 'startsJob' && mayHaveStartedJob(error)) markJobMayHaveStarted(error, attempt + 1);
        throw error;
      }
      if (declaredSafe && !mayResend(error, kind)) safeResendsUsed++;
      const asked = (error as { retryAfterMs?: number }).retryAfterMs;
      // Sending sooner than the server asked would only be refused again.
      if (asked !== undefined && asked > settings.maxRetryAfterMs) throw tooLongWait(error, asked, settings.maxRetryAfterMs);
      if (attempt >= settings.retries) {
        if (kind === 'startsJob' && mayHaveStartedJob(error)) markJobMayHaveStarted(error, attempt + 1);
        throw error;
      }
      const backoff = backoffDelay(attempt, settings);
      if (Date.now() - started + backoff > settings.maxElapsedMs) throw error;
      const delayMs = Math.max(asked ?? 0, backoff);
      control.onRetry?.({ attempt: attempt + 1, error, delayMs });
      await abortableSleep(delayMs, control.signal);
    }
  }
}

function isDeclaredSafe(error: TranscriptionError, safe: SafeResends | undefined, used: number): boolean {
  return (
    safe !== undefined &&
    error instanceof ServerError &&
    error.status !== undefined &&
    safe.statuses.includes(error.status) &&
    used < safe.times
  );
}

function tooLongWait(error: TranscriptionError, askedMs: number, limitMs: number): RateLimitError {
  return new RateLimitError(
    `${error.message}; it asked to wait ${Math.ceil(askedMs / 1000)} s before trying again, longer than the longest wait allowed (${Math.round(limitMs / 1000)} s, the retry option "maxRetryAfterMs")`,
    {
      service: error.service,
      status: error.status,
      body: error.body,
      requestId: error.requestId,
      errorCode: error.errorCode,
      retryAfterMs: askedMs,
      cause: error,
    },
  );
}

/** Options given as undefined keep their defaults. */
function definedOnly(options: RetryOptions): RetryOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as RetryOptions;
}

// Codes that mean no connection was made, so no byte of the request reached the service.
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/**
 * The error for a request whose connection failed, built the same way by every transport so the
 * resend rule sees the same facts: `requestSent` is whether the whole request had gone out (when a
 * transport cannot tell, it must say true: the service may have it).
 */
export function connectionFailure(
  message: string,
  facts: { code?: string; requestSent: boolean; service?: TranscriptionError['service']; cause?: unknown },
): ConnectionError {
  const requestSent = facts.code !== undefined && NOT_CONNECTED.has(facts.code) ? false : facts.requestSent;
  return new ConnectionError(message, { service: facts.service, code: facts.code, cause: facts.cause, requestSent });
}

/** A request sent whose answer did not start within the limit: worded the same by every transport. */
export function noAnswerError(
  host: string,
  timeoutMs: number,
  facts: { requestSent: boolean; cause?: unknown; service?: TranscriptionError['service'] },
): WaitTimeoutError {
  return new WaitTimeoutError(`No answer from ${host} within ${Math.round(timeoutMs / 1000)} s`, timeoutMs, facts);
}

/** A connection that failed before the request was sent (`reason`: the system's code or message). */
export function unreachableError(
  host: string,
  reason: string,
  facts: { code?: string; requestSent: boolean; cause?: unknown; service?: TranscriptionError['service'] },
): ConnectionError {
  return connectionFailure(`Could not reach ${host}: ${reason}`, facts);
}

/**
 * The retry options from the longest Retry-After wait a user typed, in seconds (a node's setting,
 * as n8n and Node-RED show it). Empty means the default.
 */
export function retryOptionsFromSeconds(maxRetryAfter: unknown, field = 'maxRetryAfter'): RetryOptions {
  if (isUnset(maxRetryAfter)) return {};
  return { maxRetryAfterMs: Math.round(checkSetting(MAX_RETRY_AFTER, maxRetryAfter, field) * 1000) };
}
