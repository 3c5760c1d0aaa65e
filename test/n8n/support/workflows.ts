/**
 * The credentials the examples refer to (pointing at the sandbox), and workflows for the cases the
 * examples should not show a user: n8n's own nodes alone, failures with and without continue on fail.
 */
import type { CredentialExport, WorkflowJson } from './n8n';

export const HARF_CREDENTIAL = { id: 'harfApiExample01', name: 'Harf account' };
export const ASSEMBLYAI_CREDENTIAL = { id: 'assemblyAiExample1', name: 'AssemblyAI account' };
export const REFUSED_HARF_CREDENTIAL = { id: 'harfApiRefused001', name: 'Harf with a revoked token' };

export function sandboxCredentials(
  sandbox: { url: string; token: string; assemblyAiKey: string },
  refusedToken: string,
): CredentialExport[] {
  return [
    { ...HARF_CREDENTIAL, type: 'harfApi', data: { token: sandbox.token, baseUrl: sandbox.url } },
    {
      ...ASSEMBLYAI_CREDENTIAL,
      type: 'assemblyAiApi',
      data: { apiKey: sandbox.assemblyAiKey, baseUrl: sandbox.url, syncBaseUrl: sandbox.url },
    },
    { ...REFUSED_HARF_CREDENTIAL, type: 'harfApi', data: { token: refusedToken, baseUrl: sandbox.url } },
  ];
}

const trigger = {
  id: 'e2e-trigger',
  name: 'Start',
  type: 'n8n-nodes-base.manualTrigger',
  typeVersion: 1,
  position: [0, 0],
  parameters: {},
};

/** Only n8n's own nodes: proves the runner (import, execute, output parsing) on its own. */
export const ownNodesWorkflow: WorkflowJson = {
  id: 'harfE2eOwnNodes0001',
  name: 'e2e: n8n own nodes',
  settings: { executionOrder: 'v1' },
  nodes: [
    trigger,
    {
      id: 'e2e-set',
      name: 'Set greeting',
      type: 'n8n-nodes-base.set',
      typeVersion: 3.4,
      position: [200, 0],
      parameters: {
        assignments: {
          assignments: [
            { id: 'a1', name: 'greeting', value: "={{ 'سلام ' + (20 + 22) }}", type: 'string' },
            { id: 'a2', name: 'answer', value: '={{ [20, 22].reduce((sum, n) => sum + n, 0) }}', type: 'number' },
          ],
        },
        options: {},
      },
    },
  ],
  connections: { Start: { main: [[{ node: 'Set greeting', type: 'main', index: 0 }]] } },
};

/** URLs, one item each, through Transcribe URLs with the given node settings. */
export function urlsWorkflow(
  id: string,
  name: string,
  urls: string[],
  node: { credentials: Record<string, unknown>; onError?: string; options?: Record<string, unknown>; typeVersion?: number },
): WorkflowJson {
  const code = `return ${JSON.stringify(urls)}.map((url) => ({ json: { url } }));`;
  return {
    id,
    name,
    settings: { executionOrder: 'v1' },
    nodes: [
      trigger,
      { id: 'e2e-urls', name: 'URLs', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode: code } },
      {
        id: 'e2e-harf',
        name: 'Harf',
        type: 'n8n-nodes-harf.harf',
        typeVersion: node.typeVersion ?? 1,
        position: [400, 0],
        credentials: node.credentials,
        ...(node.onError ? { onError: node.onError } : {}),
        parameters: {
          operation: 'transcribeUrls',
          mediaUrls: '={{ $json.url }}',
          mode: 'poll',
          output: 'text',
          // Version 2 keeps polling settings under Advanced; version 1 (saved workflows) under Options.
          ...(node.typeVersion === 2
            ? { options: { ...node.options }, advanced: { pollInterval: 0.5 } }
            : { options: { pollInterval: 0.5, ...node.options } }),
        },
      },
    ],
    connections: {
      Start: { main: [[{ node: 'URLs', type: 'main', index: 0 }]] },
      URLs: { main: [[{ node: 'Harf', type: 'main', index: 0 }]] },
    },
  };
}

export const FAILING_URLS = [
  'https://podcasts.example.org/golestan/episode-01.mp3?duration=20',
  'https://podcasts.example.org/golestan/episode-02-fail.mp3?duration=20',
  'https://podcasts.example.org/golestan/episode-03-timeout.mp3?duration=20',
  'https://podcasts.example.org/golestan/episode-04.mp3?duration=20',
];

/** Some episodes end in FAILURE or TIMEOUT; the node continues on fail. */
export const continueOnFailWorkflow = urlsWorkflow('harfE2eContinueFail1', 'e2e: continue on fail', FAILING_URLS, {
  credentials: { harfApi: HARF_CREDENTIAL },
  onError: 'continueRegularOutput',
});

/** A refused token, continuing on fail: every item becomes an error item. */
export const refusedTokenContinueWorkflow = urlsWorkflow(
  'harfE2eRefusedCont01',
  'e2e: refused token, continue on fail',
  FAILING_URLS.slice(0, 2),
  { credentials: { harfApi: REFUSED_HARF_CREDENTIAL }, onError: 'continueRegularOutput' },
);

/** A refused token without continue on fail: the execution fails. */
export const refusedTokenWorkflow = urlsWorkflow('harfE2eRefusedStop01', 'e2e: refused token stops', FAILING_URLS.slice(0, 1), {
  credentials: { harfApi: REFUSED_HARF_CREDENTIAL },
});

export const testWorkflows: WorkflowJson[] = [ownNodesWorkflow, continueOnFailWorkflow, refusedTokenContinueWorkflow, refusedTokenWorkflow];
