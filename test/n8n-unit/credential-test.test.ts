/**
 * The credentials' Test button: each credential's test request sent as n8n sends it (its baseURL,
 * url, method, body and authentication header filled from the credential) to the sandbox over a real
 * socket, and the answer read the way n8n's credential tester reads it: the first `responseCode` rule
 * whose value is the answer's status gives the message. The messages say what the nodes' own errors say.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType } from 'n8n-workflow';
import { AssemblyAiApi } from '../../credentials/AssemblyAiApi.credentials';
import { HarfApi } from '../../credentials/HarfApi.credentials';
import { AssemblyAiClient, HarfClient } from '../../lib';
import { startSandbox, type Sandbox } from '../../sandbox';
import { wav } from '../support/wav';

type Values = Record<string, string>;

/** n8n's `={{$credentials.name}}` expressions, for the plain forms these credentials use. */
function fill(expression: string, values: Values): string {
  return expression.replace(/^=/, '').replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, name: string) => values[name] ?? '');
}

/** Sends the credential's test request and returns n8n's verdict: OK, a rule's message, or n8n's fallback. */
async function testCredential(credential: ICredentialType, values: Values): Promise<{ status: number; message: string }> {
  const test = credential.test as ICredentialTestRequest;
  const request = test.request;
  const url = new URL(fill(String(request.baseURL), values).replace(/\/$/, '') + String(request.url));
  for (const [key, value] of Object.entries(request.qs ?? {})) url.searchParams.set(key, String(value));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries((credential.authenticate as IAuthenticateGeneric).properties.headers ?? {})) {
    headers[name] = fill(String(value), values);
  }
  if (request.body) headers['content-type'] = 'application/json';
  const answer = await fetch(url, {
    method: request.method ?? 'GET',
    headers,
    body: request.body ? JSON.stringify(request.body) : undefined,
  });
  await answer.arrayBuffer();
  if (answer.ok) return { status: answer.status, message: 'Connection successful!' };
  for (const rule of test.rules ?? []) {
    if (rule.type === 'responseCode' && rule.properties.value === answer.status) return { status: answer.status, message: rule.properties.message };
  }
  return { status: answer.status, message: answer.statusText };
}

/** The message up to the HTTP status, the part a rule and the node's error share. */
const leading = (message: string) => message.slice(0, message.indexOf(')') + 1);

let sandbox: Sandbox;
// Some other web server, as at a mistyped Base URL: 404 to everything.
let elsewhere: http.Server;
let elsewhereUrl: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  elsewhere = http.createServer((_, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sandbox?.close();
  await new Promise((resolve) => elsewhere?.close(resolve));
});

describe('Harf API credential Test', () => {
  const credential = new HarfApi();

  it('passes with the token the service accepts', async () => {
    expect(await testCredential(credential, { token: sandbox.token, baseUrl: sandbox.url })).toEqual({ status: 200, message: 'Connection successful!' });
  });

  it('says the token was refused, in the words of the Harf node’s own error', async () => {
    const verdict = await testCredential(credential, { token: 'revoked-token-1234', baseUrl: sandbox.url });
    expect(verdict.status).toBe(401);
    const nodeError = await new HarfClient({ token: 'revoked-token-1234', baseUrl: sandbox.url }).checkTask('credential-check').catch((error: Error) => error);
    expect(nodeError).toBeInstanceOf(Error);
    expect(leading(verdict.message)).toBe(leading((nodeError as Error).message));
    expect(verdict.message).toBe('Harf refused the token (HTTP 401). Check the token.');
    expect(verdict.message).not.toContain('revoked-token-1234');
  });

  it('says no Harf service answers when the Base URL points elsewhere', async () => {
    const verdict = await testCredential(credential, { token: sandbox.token, baseUrl: elsewhereUrl });
    expect(verdict).toEqual({ status: 404, message: 'No Harf service answers at this Base URL (HTTP 404). Check the Base URL.' });
  });
});

describe('AssemblyAI API credential Test', () => {
  const credential = new AssemblyAiApi();

  it('passes with the key the service accepts', async () => {
    expect(await testCredential(credential, { apiKey: sandbox.assemblyAiKey, baseUrl: sandbox.url })).toEqual({ status: 200, message: 'Connection successful!' });
  });

  it('says the API key was refused, in the words of the AssemblyAI node’s own error', async () => {
    const verdict = await testCredential(credential, { apiKey: 'revoked-key-5678', baseUrl: sandbox.url });
    expect(verdict.status).toBe(401);
    const nodeError = await new AssemblyAiClient({ apiKey: 'revoked-key-5678', baseUrl: sandbox.url, syncBaseUrl: sandbox.url })
      .transcribeShortAudio(wav(16000, 1))
      .catch((error: Error) => error);
    expect(nodeError).toBeInstanceOf(Error);
    expect(leading(verdict.message)).toBe(leading((nodeError as Error).message));
    expect(verdict.message).not.toContain('revoked-key-5678');
  });

  it('says no AssemblyAI service answers when the Base URL points elsewhere', async () => {
    const verdict = await testCredential(credential, { apiKey: sandbox.assemblyAiKey, baseUrl: elsewhereUrl });
    expect(verdict).toEqual({ status: 404, message: 'No AssemblyAI service answers at this Base URL (HTTP 404). Check the Base URL.' });
  });
});
