import { backoffDelay, parseRetryAfter, withRetries, DEFAULT_RETRY } from '../lib/http/retry';
import { errorDetail } from '../lib/http/response';
import {
  BadInputError,
  ConnectionError,
  RateLimitError,
  ServerError,
  TranscriptionError,
  bodyExcerpt,
  redact,
  registerSecret,
} from '../lib/errors';

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('backoff', () => {
  it('grows exponentially under a ceiling, with full jitter', () => {
    const settings = { ...DEFAULT_RETRY, minDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, settings, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(3, settings, () => 0)).toBe(0);
  });
});

describe('withRetries', () => {
  it('retries retryable errors up to the count, then throws the last one', async () => {
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new ServerError('down', { status: 503 }));
    };
    await expect(withRetries(failing, { retries: 2, minDelayMs: 1 })).rejects.toBeInstanceOf(ServerError);
    expect(calls).toBe(3);
  });

  it('does not retry what cannot succeed', async () => {
    for (const error of [new ServerError('bug', { status: 500 }), new BadInputError('x', 'y', 'z'), new ConnectionError('reset after answer', { retryable: false })]) {
      let calls = 0;
      await expect(withRetries(() => (calls++, Promise.reject(error)), { retries: 3, minDelayMs: 1 })).rejects.toBe(error);
      expect(calls).toBe(1);
    }
  });

  it('gives up at once when the server asks to wait longer than allowed', async () => {
    let calls = 0;
    const limited = () => (calls++, Promise.reject(new RateLimitError('slow down', { status: 429, retryAfterMs: 60_000 })));
    await expect(withRetries(limited, { retries: 5, maxDelayMs: 1000 })).rejects.toBeInstanceOf(RateLimitError);
    expect(calls).toBe(1);
  });

  it('waits what Retry-After asks', async () => {
    const delays: number[] = [];
    let calls = 0;
    const once = () => (calls++ === 0 ? Promise.reject(new RateLimitError('wait', { status: 429, retryAfterMs: 120 })) : Promise.resolve('ok'));
    await expect(withRetries(once, { minDelayMs: 1 }, { onRetry: ({ delayMs }) => delays.push(delayMs) })).resolves.toBe('ok');
    expect(delays).toEqual([120]);
  });
});

describe('errors never show secrets', () => {
  it('redacts registered secrets and Token headers in messages and bodies', () => {
    registerSecret('s3cr3t-token-value');
    const error = new TranscriptionError('failed with s3cr3t-token-value', { body: 'echo: Authorization: Token abcdef123' });
    expect(error.message).toBe('failed with ***');
    expect(error.body).toBe('echo: Authorization: Token ***');
    expect(redact('Bearer eyJ0eXAi.abc1')).toBe('Bearer ***');
    // Prose about a token is not a token.
    expect(redact('Harf refused the token (HTTP 401). Token refused.')).toBe('Harf refused the token (HTTP 401). Token refused.');
  });

  it('keeps excerpts short and free of HTML', () => {
    expect(bodyExcerpt('<html><head><style>p{}</style></head><body><h1>502 Bad Gateway</h1></body></html>')).toBe('502 Bad Gateway');
    expect(bodyExcerpt('x'.repeat(1000))!.length).toBeLessThanOrEqual(301);
  });

  it('reads DRF details and field errors', () => {
    expect(errorDetail(Buffer.from('{"detail":"Invalid token."}'))).toBe('Invalid token.');
    expect(errorDetail(Buffer.from('{"media_urls":{"0":["Enter a valid URL."]}}'))).toBe('media_urls: [0] Enter a valid URL.');
    expect(errorDetail(Buffer.from('{"error":"Authentication error"}'))).toBe('Authentication error');
  });
});
