import { AbortedError, TranscriptionError } from '../errors';
import type { RetryOptions } from './types';

export const DEFAULT_RETRY: Required<RetryOptions> = {
  retries: 3,
  minDelayMs: 500,
  maxDelayMs: 20_000,
  maxElapsedMs: 60_000,
};

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

export interface RetryContext {
  attempt: number;
  error: TranscriptionError;
  delayMs: number;
}

/**
 * Runs `send` and sends again on retryable errors (429, 502/503/504, connection failures before any
 * answer), waiting at least what Retry-After asks and never past the count or total time limits.
 */
export async function withRetries<T>(
  send: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
  control: { signal?: AbortSignal; canRetry?: () => boolean; onRetry?: (context: RetryContext) => void } = {},
): Promise<T> {
  const settings = { ...DEFAULT_RETRY, ...options };
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await send(attempt);
    } catch (error) {
      if (!(error instanceof TranscriptionError) || !error.retryable) throw error;
      if (attempt >= settings.retries || (control.canRetry && !control.canRetry())) throw error;
      const asked = (error as { retryAfterMs?: number }).retryAfterMs;
      // Sending sooner than the server asked would only be refused again.
      if (asked !== undefined && asked > settings.maxDelayMs) throw error;
      const delayMs = Math.max(asked ?? 0, backoffDelay(attempt, settings));
      if (Date.now() - started + delayMs > settings.maxElapsedMs) throw error;
      control.onRetry?.({ attempt: attempt + 1, error, delayMs });
      await abortableSleep(delayMs, control.signal);
    }
  }
}
