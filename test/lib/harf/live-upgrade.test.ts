/** The live websocket's upgrade goes through the one requester: its refusals read as any request's. */
import { startSandbox } from '../../../sandbox';
import { RateLimitError, ServerError, AuthenticationError } from '../../../lib/errors';
import { LiveSession, transcribeLive } from '../../../lib/harf';
import { failure } from '../../support/failure';
import { wav } from '../../support/wav';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;
const LIVE = '/ws_api/transcribe_files/wav/sync/';

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.faults.clear());

const upgrades = () => sandbox.log.filter((entry) => entry.path === LIVE).length;

it('a 429 with Retry-After is a RateLimitError honoured: the upgrade is tried again after the wait, and the stream goes through', async () => {
  sandbox.faults.add({ type: 'status', status: 429, path: LIVE, retryAfter: 1, body: { detail: 'Too many live sessions' } });
  const before = upgrades();
  const started = Date.now();
  const result = await transcribeLive(wav(16000, 2), { token: sandbox.token, baseUrl: sandbox.url, retry: { minDelayMs: 5 } });
  expect(result.segments.length).toBeGreaterThan(0);
  expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  expect(upgrades() - before).toBe(2);
});

it('a Retry-After longer than the longest wait fails at once, with the wait asked and the service words', async () => {
  sandbox.faults.add({ type: 'status', status: 429, path: LIVE, retryAfter: 120, body: { detail: 'Too many live sessions' } });
  const before = upgrades();
  const error = await failure(LiveSession.open({ token: sandbox.token, baseUrl: sandbox.url, retry: { maxRetryAfterMs: 60_000 } }));
  expect(error).toBeInstanceOf(RateLimitError);
  expect(error.kind).toBe('rate-limited');
  expect(error.retryAfterMs).toBe(120_000);
  expect(error.message).toMatch(/Too many live sessions.*asked to wait 120 s/);
  expect(upgrades() - before).toBe(1);
});

it('a 503 before any audio was sent is retried; one that persists is a ServerError with the service words', async () => {
  sandbox.faults.add({ type: 'status', status: 503, path: LIVE, body: { detail: 'Live recognition is warming up' } });
  const before = upgrades();
  const session = await LiveSession.open({ token: sandbox.token, baseUrl: sandbox.url, retry: { minDelayMs: 5 } });
  session.close();
  expect(upgrades() - before).toBe(2);

  sandbox.faults.add({ type: 'status', status: 503, path: LIVE, times: 5, body: { detail: 'Live recognition is warming up' } });
  const error = await failure(LiveSession.open({ token: sandbox.token, baseUrl: sandbox.url, retry: { minDelayMs: 5, retries: 2 } }));
  expect(error).toBeInstanceOf(ServerError);
  expect(error.message).toMatch(/HTTP 503\): Live recognition is warming up/);
  expect(error.jobMayHaveStarted).toBe(false);
});

it('a refused token is said as for any request, and is not tried again', async () => {
  const before = upgrades();
  const error = await failure(LiveSession.open({ token: 'wrong-live-token-1', baseUrl: sandbox.url, retry: { minDelayMs: 5 } }));
  expect(error).toBeInstanceOf(AuthenticationError);
  expect(error.message).toMatch(/^Harf refused the token \(HTTP 401\)/);
  expect(error.message).not.toContain('wrong-live-token-1');
  expect(upgrades() - before).toBe(1);
});
