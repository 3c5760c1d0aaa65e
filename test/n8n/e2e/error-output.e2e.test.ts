/**
 * On Error in a real n8n: with "Continue (using error output)" a failed item leaves by the node's
 * Error output, with "Continue" it stays in the main output, with and without the Needs Review
 * output. Some episodes end in FAILURE or TIMEOUT at the sandbox; a refused token fails every item.
 */
import { startSandbox, type Sandbox } from '../../../sandbox';
import { wav } from '../../support/wav';
import {
  createN8nInstance,
  outputItems,
  packedTarball,
  provisionN8n,
  type N8nInstance,
  type NodeExecutionData,
  type WorkflowJson,
} from '../support/n8n';
import {
  ASSEMBLYAI_CREDENTIAL,
  FAILING_URLS,
  HARF_CREDENTIAL,
  REFUSED_HARF_CREDENTIAL,
  sandboxCredentials,
  urlsWorkflow,
} from '../support/workflows';

const REFUSED_TOKEN = 'revoked-harf-token-5c1e8a0b2f47';
const GOOD = [FAILING_URLS[0], FAILING_URLS[3]];
const FAILED = [FAILING_URLS[1], FAILING_URLS[2]];

type OnError = 'continueRegularOutput' | 'continueErrorOutput';

// Version 1 as saved workflows have it; with the error output and the split also version 2 (Advanced).
const cases = (['continueRegularOutput', 'continueErrorOutput'] as OnError[]).flatMap((onError) =>
  [false, true].map((split) => {
    const id = `harfE2eOnError${onError === 'continueErrorOutput' ? 'E' : 'R'}${split ? 'S' : 'N'}01`;
    return { onError, split, id, typeVersion: 1 };
  }),
);
cases.push({ onError: 'continueErrorOutput', split: true, id: 'harfE2eOnErrorES02', typeVersion: 2 });

const workflows = [
  ...cases.map(({ onError, split, id, typeVersion }) =>
    urlsWorkflow(id, `e2e: ${onError}, review split ${split ? 'on' : 'off'}, version ${typeVersion}`, FAILING_URLS, {
      credentials: { harfApi: HARF_CREDENTIAL },
      onError,
      options: { splitUncertain: split },
      typeVersion,
    }),
  ),
  urlsWorkflow('harfE2eOnErrorRefused1', 'e2e: refused token, error output', FAILING_URLS.slice(0, 2), {
    credentials: { harfApi: REFUSED_HARF_CREDENTIAL },
    onError: 'continueErrorOutput',
  }),
  assemblyAiWorkflow(),
];

/** Two files through the AssemblyAI node with the error output: a clip, and a text file that is not audio. */
function assemblyAiWorkflow(): WorkflowJson {
  const files = [
    { fileName: 'clip.wav', mimeType: 'audio/wav', audio: wav(16000, 2).toString('base64') },
    { fileName: 'notes.txt', mimeType: 'text/plain', audio: Buffer.from('not audio at all').toString('base64') },
  ];
  return {
    id: 'aaiE2eOnErrorOut01',
    name: 'e2e: AssemblyAI, error output',
    settings: { executionOrder: 'v1' },
    nodes: [
      { id: 'e2e-start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
      {
        id: 'e2e-files',
        name: 'Files',
        type: 'n8n-nodes-base.code',
        typeVersion: 2,
        position: [200, 0],
        parameters: { jsCode: `return ${JSON.stringify(files)}.map((json) => ({ json }));` },
      },
      {
        id: 'e2e-binary',
        name: 'To binary',
        type: 'n8n-nodes-base.convertToFile',
        typeVersion: 1.1,
        position: [400, 0],
        parameters: {
          operation: 'toBinary',
          sourceProperty: 'audio',
          options: { fileName: '={{ $json.fileName }}', mimeType: '={{ $json.mimeType }}' },
        },
      },
      {
        id: 'e2e-aai',
        name: 'AssemblyAI',
        type: 'n8n-nodes-harf.assemblyAi',
        typeVersion: 2,
        position: [600, 0],
        credentials: { assemblyAiApi: ASSEMBLYAI_CREDENTIAL },
        onError: 'continueErrorOutput',
        parameters: { operation: 'transcribeShortAudio', endpoint: 'sync', binaryPropertyName: 'data', output: 'file' },
      },
    ],
    connections: {
      Start: { main: [[{ node: 'Files', type: 'main', index: 0 }]] },
      Files: { main: [[{ node: 'To binary', type: 'main', index: 0 }]] },
      'To binary': { main: [[{ node: 'AssemblyAI', type: 'main', index: 0 }]] },
    },
  };
}

const urls = (items: NodeExecutionData[]) => items.map((item) => item.json.media_url).sort();
type SerializedError = { name?: string; description?: string; context?: Record<string, unknown> };
const errorOf = (item: NodeExecutionData) => item.error as SerializedError;

describe('n8n: On Error sends failed items to the Error output, or keeps them in the main output', () => {
  let sandbox: Sandbox;
  let n8n: N8nInstance;

  beforeAll(async () => {
    const runtime = provisionN8n();
    sandbox = await startSandbox({ taskDelayMs: 1500, processingDelayMs: 50 });
    n8n = await createN8nInstance({ runtime, tarball: packedTarball() });
    await n8n.importCredentials(sandboxCredentials(sandbox, REFUSED_TOKEN));
    await n8n.importWorkflows(workflows);
  }, 1_800_000);

  afterAll(async () => {
    await sandbox?.close();
    n8n?.remove();
  });

  jest.setTimeout(240_000);

  test.each(cases)('$onError, review split $split, node version $typeVersion', async ({ onError, split, id }) => {
    const result = await n8n.execute(id);
    // The outputs: Transcript (and Needs Review with the split), then Error with the error output.
    const mainOutputs = split ? 2 : 1;
    const transcript = outputItems(result, 'Harf', 0);
    if (onError === 'continueErrorOutput') {
      // n8n keeps only the message as an error item's JSON; its error keeps the rest.
      const errors = outputItems(result, 'Harf', mainOutputs);
      expect(errors.map((item) => errorOf(item).context?.media_url).sort()).toEqual(FAILED);
      for (const item of errors) {
        expect(item.json.error).toMatch(/FAILURE|TIMEOUT/);
        // The message is all n8n keeps in the JSON: it names the media URL that failed.
        expect(item.json.error).toContain(`media URL ${errorOf(item).context?.media_url}`);
        const description = expect.stringMatching(/ended in (FAILURE|TIMEOUT)/);
        expect(errorOf(item)).toMatchObject({ name: 'NodeOperationError', description });
      }
      expect(urls(transcript)).toEqual(GOOD);
      for (const item of transcript) expect(item.json.error).toBeUndefined();
    } else {
      // Plain Continue: the failed items stay in place with everything in their JSON.
      expect(urls(transcript)).toEqual(FAILING_URLS);
      const failed = transcript.filter((item) => item.json.error !== undefined);
      expect(failed.map((item) => item.json.media_url)).toEqual(FAILED);
      const errorType = expect.stringMatching(/^Task(Failed|TimedOut)Error$/);
      for (const item of failed) expect(item.json).toMatchObject({ error_type: errorType, task_id: expect.any(String) });
    }
    if (split) {
      for (const item of outputItems(result, 'Harf', 1)) {
        expect(GOOD).toContain(item.json.media_url);
        expect(item.json.error).toBeUndefined();
      }
    }
  });

  test('a refused token: every item leaves by the Error output, its error naming the status and the URL', async () => {
    const result = await n8n.execute('harfE2eOnErrorRefused1');
    expect(outputItems(result, 'Harf', 0)).toEqual([]);
    const errors = outputItems(result, 'Harf', 1);
    expect(errors.map((item) => errorOf(item).context?.media_url).sort()).toEqual(FAILING_URLS.slice(0, 2).sort());
    for (const item of errors) {
      const url = errorOf(item).context?.media_url;
      expect(item.json.error).toBe(`The Harf token was refused — check the credential (media URL ${url}; HTTP 401)`);
      expect(errorOf(item)).toMatchObject({ name: 'NodeApiError', context: { http_code: 401 } });
    }
  });

  test('AssemblyAI: a file that is not audio leaves by the Error output, named in its message; the clip is transcribed', async () => {
    const result = await n8n.execute('aaiE2eOnErrorOut01');
    const transcripts = outputItems(result, 'AssemblyAI', 0);
    expect(transcripts).toHaveLength(1);
    expect(transcripts[0].json.error).toBeUndefined();
    expect(transcripts[0].json.text).toEqual(expect.any(String));
    const errors = outputItems(result, 'AssemblyAI', 1);
    expect(errors).toHaveLength(1);
    expect(errorOf(errors[0]).context?.file_name).toBe('notes.txt');
    // All n8n keeps of the item's JSON is the message: it names the file.
    expect(errors[0].json.error).toContain('notes.txt');
  });
});
