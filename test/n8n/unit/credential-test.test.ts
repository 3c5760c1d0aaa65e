/**
 * The credentials' Test button: n8n calls the node's `credentialTest` method named by `testedBy`
 * with the credential as the dialog holds it. Here each method runs against the sandbox over real
 * sockets, for the four verdicts (accepted, refused, no such service at the Base URL, nothing
 * listening there), and says what the nodes' own errors say, never with the secret in it.
 */
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions, INodeCredentialTestResult, INodeType } from 'n8n-workflow';
import { AssemblyAi } from '../../../nodes/AssemblyAi/AssemblyAi.node';
import { Harf } from '../../../nodes/Harf/Harf.node';
import { AssemblyAiClient, HarfClient } from '../../../lib';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { closedPortUrl, startNotFoundServer } from '../../support/servers';

const WRONG_TOKEN = 'revoked-token-1234abcd';
const WRONG_KEY = 'revoked-key-5678efgh';

/** Runs the Test of the credential `type` as n8n does: the method the node names in `testedBy`. */
async function testCredential(node: INodeType, type: string, data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
  const testedBy = node.description.credentials?.find((credential) => credential.name === type)?.testedBy;
  expect(typeof testedBy).toBe('string');
  const method = node.methods?.credentialTest?.[testedBy as string];
  expect(method).toBeInstanceOf(Function);
  // The methods use nothing of n8n's context: lib makes the one request itself.
  const context = {} as ICredentialTestFunctions;
  return await method!.call(context, { id: 'credential-1', name: 'Account', type, data });
}

let sandbox: Sandbox;
let closedUrl: string;
// Some other web server, as at a mistyped AssemblyAI Base URL.
let elsewhere: Awaited<ReturnType<typeof startNotFoundServer>>;
let elsewhereUrl: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  [closedUrl, elsewhere] = await Promise.all([closedPortUrl(), startNotFoundServer()]);
  elsewhereUrl = elsewhere.url;
});
afterAll(async () => {
  await sandbox?.close();
  await elsewhere?.close();
});
beforeEach(() => sandbox.log.splice(0));

describe('Harf API credential Test', () => {
  const harf = new Harf();
  const test = (data: ICredentialDataDecryptedObject) => testCredential(harf, 'harfApi', data);

  it('passes with the token the service accepts, asking about a task that does not exist', async () => {
    expect(await test({ token: sandbox.token, baseUrl: sandbox.url })).toEqual({ status: 'OK', message: 'Connection successful' });
    expect(sandbox.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual(['POST /api/transcribe_files/']);
  });

  it('says the token was refused, in the words of the Harf client’s own error', async () => {
    const verdict = await test({ token: WRONG_TOKEN, baseUrl: sandbox.url });
    const clientError = (await new HarfClient({ token: WRONG_TOKEN, baseUrl: sandbox.url, retry: { retries: 0 } })
      .checkTask('credential-check')
      .catch((error: Error) => error)) as Error;
    expect(verdict).toEqual({ status: 'Error', message: clientError.message });
    expect(verdict.message).toBe('Harf refused the token (HTTP 401): Invalid token. Check the credential.');
    expect(verdict.message).not.toContain(WRONG_TOKEN);
  });

  it('says no Harf service answers at a Base URL whose path is wrong', async () => {
    expect(await test({ token: sandbox.token, baseUrl: `${sandbox.url}/harf` })).toEqual({
      status: 'Error',
      message: `No Harf service answers at ${sandbox.url}/harf (HTTP 404). Check the Base URL.`,
    });
  });

  it('says the service could not be reached at that URL', async () => {
    const verdict = await test({ token: WRONG_TOKEN, baseUrl: closedUrl });
    expect(verdict).toEqual({
      status: 'Error',
      message: `Could not reach ${new URL(closedUrl).host}: ECONNREFUSED. No Harf service could be reached at ${closedUrl}: check the Base URL and that this machine can reach it.`,
    });
    expect(verdict.message).not.toContain(WRONG_TOKEN);
  });

  it('names the dialog’s fields when the token is empty or the Base URL is not a URL', async () => {
    expect(await test({ token: '', baseUrl: sandbox.url })).toEqual({
      status: 'Error',
      message: 'Invalid Token: found an empty value, expected the TOKEN_KEY Harf issued',
    });
    expect((await test({ token: sandbox.token, baseUrl: 'localhost:8080' })).message).toMatch(
      /^Invalid Base URL: found the text "localhost:8080"/,
    );
    expect(sandbox.log).toEqual([]);
  });
});

describe('AssemblyAI API credential Test', () => {
  const assemblyAi = new AssemblyAi();
  const test = (data: ICredentialDataDecryptedObject) => testCredential(assemblyAi, 'assemblyAiApi', data);

  it('passes with the key the service accepts, sending no audio', async () => {
    expect(await test({ apiKey: sandbox.assemblyAiKey, baseUrl: sandbox.url, syncBaseUrl: sandbox.url })).toEqual({
      status: 'OK',
      message: 'Connection successful',
    });
    expect(sandbox.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual(['GET /v2/transcript']);
  });

  it('says the API key was refused, in the words of the AssemblyAI client’s own error', async () => {
    const verdict = await test({ apiKey: WRONG_KEY, baseUrl: sandbox.url });
    const clientError = (await new AssemblyAiClient({ apiKey: WRONG_KEY, baseUrl: sandbox.url, retry: { retries: 0 } })
      .checkApiKey()
      .catch((error: Error) => error)) as Error;
    expect(verdict).toEqual({ status: 'Error', message: clientError.message });
    expect(verdict.message).toBe(
      'AssemblyAI refused the API key (HTTP 401): Authentication error, API token missing/invalid. Check the credential.',
    );
    expect(verdict.message).not.toContain(WRONG_KEY);
  });

  it('says no AssemblyAI service answers at a Base URL where another server is', async () => {
    expect(await test({ apiKey: sandbox.assemblyAiKey, baseUrl: `${elsewhereUrl}/api` })).toEqual({
      status: 'Error',
      message: `No AssemblyAI service answers at ${elsewhereUrl}/api (HTTP 404). Check the Base URL.`,
    });
  });

  it('says the service could not be reached at that URL', async () => {
    const verdict = await test({ apiKey: WRONG_KEY, baseUrl: closedUrl });
    expect(verdict).toEqual({
      status: 'Error',
      message: `Could not reach ${new URL(closedUrl).host}: ECONNREFUSED. No AssemblyAI service could be reached at ${closedUrl}: check the Base URL and that this machine can reach it.`,
    });
    expect(verdict.message).not.toContain(WRONG_KEY);
  });

  it('names the dialog’s field when the key is empty', async () => {
    expect(await test({ apiKey: '  ', baseUrl: sandbox.url })).toEqual({
      status: 'Error',
      message: 'Invalid API Key: found only whitespace (2 characters), expected an AssemblyAI API key',
    });
  });
});
