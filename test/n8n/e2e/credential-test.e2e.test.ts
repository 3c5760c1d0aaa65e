/**
 * The credential dialog's Test button in a real n8n 2.x: `n8n start` with the packed package
 * installed as a community package, the owner logged in, each credential created with
 * POST /rest/credentials and tested with POST /rest/credentials/test as the editor does. For Harf
 * and for AssemblyAI: the account the sandbox accepts, a refused secret, a Base URL where no such
 * service answers (404), and one where nothing listens. n8n's log never shows a secret.
 */
import { startSandbox, type Sandbox } from '../../../sandbox';
import { closedPortUrl, startNotFoundServer } from '../../support/servers';
import { startN8nServer, type N8nServer } from '../support/server';

const REFUSED_TOKEN = 'revoked-harf-token-e2e-4c1d9a';
const REFUSED_KEY = 'revoked-assemblyai-key-e2e-8b3f2e';

interface Verdict {
  status: string;
  message: string;
}

let n8n: N8nServer;
let sandbox: Sandbox;
let closedUrl: string;
// Some other web server, as at a mistyped AssemblyAI Base URL.
let elsewhere: Awaited<ReturnType<typeof startNotFoundServer>>;
let elsewhereUrl: string;

/** Creates the credential as the dialog's Save does, then tests it as its Test button does. */
async function saveAndTest(type: string, data: Record<string, string>): Promise<Verdict> {
  const name = `${type} ${Math.random().toString(36).slice(2, 8)}`;
  const created = await n8n.rest('POST', 'credentials', { name, type, data });
  expect(created.status).toBe(200);
  const id = created.body.data.id as string;
  const tested = await n8n.rest('POST', 'credentials/test', { credentials: { id, name, type, data } });
  expect(tested.status).toBe(200);
  return tested.body.data as Verdict;
}

beforeAll(async () => {
  [sandbox, n8n] = await Promise.all([startSandbox(), startN8nServer({ env: { N8N_LOG_LEVEL: 'debug' } })]);
  [closedUrl, elsewhere] = await Promise.all([closedPortUrl(), startNotFoundServer()]);
  elsewhereUrl = elsewhere.url;
}, 600_000);

afterAll(async () => {
  await n8n?.stop();
  await sandbox?.close();
  await elsewhere?.close();
});

jest.setTimeout(60_000);

const unreachable = (service: string) =>
  `Could not reach ${new URL(closedUrl).host}: ECONNREFUSED. No ${service} service could be reached at ${closedUrl}: check the Base URL and that this machine can reach it.`;

describe('n8n: the Harf API credential Test', () => {
  test('passes with the token the sandbox accepts', async () => {
    sandbox.log.splice(0);
    expect(await saveAndTest('harfApi', { token: sandbox.token, baseUrl: sandbox.url })).toEqual({
      status: 'OK',
      message: 'Connection successful',
    });
    // One request that asks about a task: nothing transcribed, nothing billed.
    expect(sandbox.log.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual(['POST /api/transcribe_files/ 200']);
  });

  test('says the token was refused', async () => {
    expect(await saveAndTest('harfApi', { token: REFUSED_TOKEN, baseUrl: sandbox.url })).toEqual({
      status: 'Error',
      message: 'Harf refused the token (HTTP 401): Invalid token. Check the credential.',
    });
  });

  test('says no Harf service answers at a Base URL whose path is wrong', async () => {
    expect(await saveAndTest('harfApi', { token: sandbox.token, baseUrl: `${sandbox.url}/harf` })).toEqual({
      status: 'Error',
      message: `No Harf service answers at ${sandbox.url}/harf (HTTP 404). Check the Base URL.`,
    });
  });

  test('says the service could not be reached at that URL', async () => {
    expect(await saveAndTest('harfApi', { token: REFUSED_TOKEN, baseUrl: closedUrl })).toEqual({
      status: 'Error',
      message: unreachable('Harf'),
    });
  });
});

describe('n8n: the AssemblyAI API credential Test', () => {
  test('passes with the key the sandbox accepts', async () => {
    sandbox.log.splice(0);
    expect(await saveAndTest('assemblyAiApi', { apiKey: sandbox.assemblyAiKey, baseUrl: sandbox.url, syncBaseUrl: sandbox.url })).toEqual({
      status: 'OK',
      message: 'Connection successful',
    });
    expect(sandbox.log.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual(['GET /v2/transcript 200']);
  });

  test('says the API key was refused', async () => {
    expect(await saveAndTest('assemblyAiApi', { apiKey: REFUSED_KEY, baseUrl: sandbox.url, syncBaseUrl: sandbox.url })).toEqual({
      status: 'Error',
      message: 'AssemblyAI refused the API key (HTTP 401): Authentication error, API token missing/invalid. Check the credential.',
    });
  });

  test('says no AssemblyAI service answers at a Base URL where another server is', async () => {
    expect(
      await saveAndTest('assemblyAiApi', { apiKey: sandbox.assemblyAiKey, baseUrl: `${elsewhereUrl}/api`, syncBaseUrl: sandbox.url }),
    ).toEqual({
      status: 'Error',
      message: `No AssemblyAI service answers at ${elsewhereUrl}/api (HTTP 404). Check the Base URL.`,
    });
  });

  test('says the service could not be reached at that URL', async () => {
    expect(await saveAndTest('assemblyAiApi', { apiKey: REFUSED_KEY, baseUrl: closedUrl, syncBaseUrl: closedUrl })).toEqual({
      status: 'Error',
      message: unreachable('AssemblyAI'),
    });
  });
});

test("n8n's log, at debug level, never shows a token or an API key", () => {
  const log = n8n.process.output();
  // Run last: the log holds every credential the tests above saved.
  expect(log.match(/New credential created/g)).toHaveLength(8);
  for (const secret of [sandbox.token, REFUSED_TOKEN, sandbox.assemblyAiKey, REFUSED_KEY]) expect(log).not.toContain(secret);
});
