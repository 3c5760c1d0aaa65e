/**
 * Checking an account before use: one request to the sandbox, and a verdict in the clients' own
 * words for each way it can go (accepted, refused, nothing of the service at the Base URL,
 * nothing at all there), never with the secret in it.
 */
import { startSandbox, type Sandbox } from '../../../sandbox';
import { ACCOUNT_CHECK_TASK_ID, checkAssemblyAiAccount, checkHarfAccount } from '../../../lib/jobs';
import { closedPortUrl, startNotFoundServer } from '../../support/servers';

const WRONG_TOKEN = 'revoked-token-9f3a1c';
const WRONG_KEY = 'revoked-key-7b2e4d';

let sandbox: Sandbox;
/** A local port nothing listens on. */
let closedUrl: string;
// Some other web server, as at a mistyped AssemblyAI Base URL. (The sandbox answers a path it does
// not serve with Harf's 401 unless a Harf token comes with it.)
let elsewhere: Awaited<ReturnType<typeof startNotFoundServer>>;
let elsewhereUrl: string;

beforeAll(async () => {
  [sandbox, closedUrl, elsewhere] = await Promise.all([startSandbox(), closedPortUrl(), startNotFoundServer()]);
  elsewhereUrl = elsewhere.url;
});
afterAll(async () => {
  await sandbox?.close();
  await elsewhere?.close();
});
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.log.splice(0);
});

const requests = () => sandbox.log.map((entry) => `${entry.method} ${entry.path} ${entry.status}`);

describe('checkHarfAccount', () => {
  it('accepts the token the service accepts, asking about a task that does not exist', async () => {
    expect(await checkHarfAccount({ token: sandbox.token, baseUrl: sandbox.url })).toEqual({
      status: 'OK',
      message: 'Connection successful',
    });
    expect(requests()).toEqual(['POST /api/transcribe_files/ 200']);
    expect(ACCOUNT_CHECK_TASK_ID).toBe('credential-check');
  });

  it('says the token was refused, without showing it', async () => {
    const verdict = await checkHarfAccount({ token: WRONG_TOKEN, baseUrl: sandbox.url });
    expect(verdict).toEqual({ status: 'Error', message: 'Harf refused the token (HTTP 401): Invalid token. Check the credential.' });
    expect(verdict.message).not.toContain(WRONG_TOKEN);
  });

  it('says no Harf service answers at a Base URL whose path is wrong', async () => {
    const baseUrl = `${sandbox.url}/not-harf`;
    expect(await checkHarfAccount({ token: sandbox.token, baseUrl: `${baseUrl}/` })).toEqual({
      status: 'Error',
      message: `No Harf service answers at ${baseUrl} (HTTP 404). Check the Base URL.`,
    });
  });

  it('says the host could not be reached, with the URL, after one attempt', async () => {
    const started = Date.now();
    const verdict = await checkHarfAccount({ token: sandbox.token, baseUrl: closedUrl });
    expect(verdict).toEqual({
      status: 'Error',
      message: `Could not reach ${new URL(closedUrl).host}: ECONNREFUSED. No Harf service could be reached at ${closedUrl}: check the Base URL and that this machine can reach it.`,
    });
    // No retries with backoff: the verdict comes at once.
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('asks once: a failing service is reported, not retried', async () => {
    sandbox.faults.add({ type: 'status', status: 503, path: '/api/transcribe_files/' });
    const verdict = await checkHarfAccount({ token: sandbox.token, baseUrl: sandbox.url });
    expect(verdict.status).toBe('Error');
    expect(verdict.message).toMatch(/^Harf had a server error while checking task credential-check \(HTTP 503\)/);
    expect(requests()).toEqual(['POST /api/transcribe_files/ 503']);
  });

  it('gives up after its time limit', async () => {
    sandbox.faults.add({ type: 'stall', path: '/api/transcribe_files/' });
    const verdict = await checkHarfAccount({ token: sandbox.token, baseUrl: sandbox.url }, { timeoutMs: 300 });
    expect(verdict.message).toBe(
      `No answer from ${new URL(sandbox.url).host} within 0 s. No Harf service could be reached at ${sandbox.url}: check the Base URL and that this machine can reach it.`,
    );
  });

  it('names the fields as the caller shows them, and never shows a user name or password of the URL', async () => {
    expect(await checkHarfAccount({ token: ' ', baseUrl: sandbox.url }, { fields: { token: 'Token', baseUrl: 'Base URL' } })).toEqual({
      status: 'Error',
      message: 'Invalid Token: found only whitespace (1 character), expected the TOKEN_KEY Harf issued',
    });
    // A query or fragment would swallow the API's path (and point the request somewhere else).
    expect(
      (await checkAssemblyAiAccount({ apiKey: 'key-1234', baseUrl: 'http://127.0.0.1:9/admin#' }, { fields: { baseUrl: 'Base URL' } }))
        .message,
    ).toBe(
      'Invalid Base URL: found the text "http://127.0.0.1:9/admin#", expected a URL without ? or # such as https://api.assemblyai.com',
    );
    expect((await checkHarfAccount({ token: sandbox.token, baseUrl: 'harf.example' }, { fields: { baseUrl: 'Server' } })).message).toBe(
      'Invalid Server: found the text "harf.example", expected an http:// or https:// URL such as https://harf.roshan-ai.ir',
    );
    const withUser = closedUrl.replace('http://', 'http://admin:hunter2-secret@');
    const verdict = await checkHarfAccount({ token: sandbox.token, baseUrl: withUser });
    expect(verdict.message).toContain(`reached at ${closedUrl}:`);
    expect(verdict.message).not.toContain('hunter2-secret');
  });
});

describe('checkAssemblyAiAccount', () => {
  it('accepts the key the service accepts, listing at most one transcript', async () => {
    expect(await checkAssemblyAiAccount({ apiKey: sandbox.assemblyAiKey, baseUrl: sandbox.url })).toEqual({
      status: 'OK',
      message: 'Connection successful',
    });
    expect(requests()).toEqual(['GET /v2/transcript 200']);
  });

  it('says the API key was refused, without showing it', async () => {
    const verdict = await checkAssemblyAiAccount({ apiKey: WRONG_KEY, baseUrl: sandbox.url });
    expect(verdict).toEqual({
      status: 'Error',
      message: 'AssemblyAI refused the API key (HTTP 401): Authentication error, API token missing/invalid. Check the credential.',
    });
    expect(verdict.message).not.toContain(WRONG_KEY);
  });

  it('says no AssemblyAI service answers at a Base URL where another server is', async () => {
    const baseUrl = `${elsewhereUrl}/v1`;
    expect(await checkAssemblyAiAccount({ apiKey: sandbox.assemblyAiKey, baseUrl })).toEqual({
      status: 'Error',
      message: `No AssemblyAI service answers at ${baseUrl} (HTTP 404). Check the Base URL.`,
    });
  });

  it('says the host could not be reached, with the URL', async () => {
    expect(await checkAssemblyAiAccount({ apiKey: sandbox.assemblyAiKey, baseUrl: closedUrl })).toEqual({
      status: 'Error',
      message: `Could not reach ${new URL(closedUrl).host}: ECONNREFUSED. No AssemblyAI service could be reached at ${closedUrl}: check the Base URL and that this machine can reach it.`,
    });
  });

  it('does not take a 200 that is not a transcript listing for an accepted key', async () => {
    sandbox.faults.add({ type: 'status', status: 200, path: '/v2/transcript', body: '<html>welcome</html>', contentType: 'text/html' });
    const verdict = await checkAssemblyAiAccount({ apiKey: sandbox.assemblyAiKey, baseUrl: sandbox.url });
    expect(verdict).toEqual({
      status: 'Error',
      message: 'AssemblyAI answered the transcript listing with HTTP 200 but the body is not JSON',
    });
  });

  it('refuses an empty key before any request', async () => {
    expect(await checkAssemblyAiAccount({ apiKey: '', baseUrl: sandbox.url }, { fields: { apiKey: 'API Key' } })).toEqual({
      status: 'Error',
      message: 'Invalid API Key: found an empty value, expected an AssemblyAI API key',
    });
    expect(requests()).toEqual([]);
  });
});
