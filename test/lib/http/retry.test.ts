import { backoffDelay, mayResend, parseRetryAfter, withRetries, DEFAULT_RETRY } from '../../../lib/http/retry';
import { errorDetail } from '../../../lib/http/response';
import {
  BadInputError,
  ConnectionError,
  RateLimitError,
  ServerError,
  TranscriptionError,
  WaitTimeoutError,
  bodyExcerpt,
  redact,
  registerSecret,
} from '../../../lib/errors';

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
    for (const error of [
      new ServerError('bug', { status: 500 }),
      new BadInputError('x', 'y', 'z'),
      new ConnectionError('reset after answer', { retryable: false }),
    ]) {
      let calls = 0;
      await expect(withRetries(() => (calls++, Promise.reject(error)), { retries: 3, minDelayMs: 1 })).rejects.toBe(error);
      expect(calls).toBe(1);
    }
  });

  it('gives up at once when the server asks to wait longer than allowed, carrying the wait asked for', async () => {
    let calls = 0;
    const limited = () => (calls++, Promise.reject(new RateLimitError('slow down', { status: 429, retryAfterMs: 61_000 })));
    await expect(withRetries(limited, { retries: 5 })).rejects.toMatchObject({ name: 'RateLimitError', retryAfterMs: 61_000 });
    expect(calls).toBe(1);
    const unavailable = () => (calls++, Promise.reject(new ServerError('busy', { status: 503, retryAfterMs: 2000 })));
    await expect(withRetries(unavailable, { retries: 5, maxRetryAfterMs: 1000 })).rejects.toMatchObject({
      name: 'RateLimitError',
      retryAfterMs: 2000,
      status: 503,
    });
    expect(calls).toBe(2);
  });

  it('one rule for what may be sent again, by what the request does', () => {
    const cases: Array<[TranscriptionError, boolean, boolean]> = [
      // error, may a job-starting request be sent again, may a question
      [new RateLimitError('429', { status: 429 }), true, true],
      [new ServerError('503', { status: 503 }), true, true],
      [new ServerError('500', { status: 500 }), false, true],
      [new ServerError('502', { status: 502 }), false, true],
      [new ServerError('504', { status: 504 }), false, true],
      [new ConnectionError('refused', { requestSent: false }), true, true],
      [new ConnectionError('lost after sending', { requestSent: true }), false, true],
      [new ConnectionError('unknown'), false, true],
      [new WaitTimeoutError('no answer', 10, { requestSent: true }), false, true],
      [new WaitTimeoutError('could not send', 10, { requestSent: false }), true, true],
      [new WaitTimeoutError('tasks still pending', 10), false, false],
      [new BadInputError('x', 'y', 'z'), false, false],
    ];
    for (const [error, job, question] of cases) {
      expect([error.message, mayResend(error, 'startsJob'), mayResend(error, 'asks')]).toEqual([error.message, job, question]);
    }
  });

  it('waits what Retry-After asks', async () => {
    const delays: number[] = [];
    let calls = 0;
    const once = () =>
      calls++ === 0 ? Promise.reject(new RateLimitError('wait', { status: 429, retryAfterMs: 120 })) : Promise.resolve('ok');
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
