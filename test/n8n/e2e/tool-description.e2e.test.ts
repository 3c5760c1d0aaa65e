/**
 * What an AI agent reads about each operation, from a real n8n's own code: the packed package
 * installed as a community package, each node turned into its tool type by n8n's loader
 * (`convertNodeToAiTool`), its parameters filled with defaults as n8n fills a saved workflow's, and
 * the tool built by n8n-core's `createNodeAsTool`, whose description the agent's model is given.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

import { createN8nInstance, PACKAGE_NAME, packedTarball, provisionN8n, type N8nInstance, type N8nRuntime } from '../support/n8n';

// Runs in n8n's own install under Node 24: argv[1] the installed package, argv[2] the operations to build.
const SCRIPT = `
const path = require('node:path');
const { NodeHelpers } = require('n8n-workflow');
const { convertNodeToAiTool } = require('n8n/dist/tool-generation/ai-tools.js');
const { createNodeAsTool } = require('n8n-core/dist/execution-engine/node-execution-context/utils/create-node-as-tool.js');
const [packageDir, wanted] = process.argv.slice(1);
const out = [];
for (const { file, className, operations } of JSON.parse(wanted)) {
  const NodeClass = require(path.join(packageDir, file))[className];
  const tool = convertNodeToAiTool({ description: JSON.parse(JSON.stringify(new NodeClass().description)) });
  for (const operation of operations) {
    // A saved workflow names only its operation: n8n fills the rest (the resource too) with defaults.
    const parameters = NodeHelpers.getNodeParameters(tool.description.properties, { operation }, true, false, null, tool.description);
    const type = 'n8n-nodes-harf.' + tool.description.name;
    const node = { id: 'tool', name: tool.description.defaults.name, type, typeVersion: 1, position: [0, 0], parameters };
    const { response } = createNodeAsTool({ node, nodeType: { description: tool.description }, handleToolInvocation: async () => '' });
    out.push({ node: className, operation, name: response.name, description: response.description });
  }
}
process.stdout.write(JSON.stringify(out));
`;

const HARF_OPERATIONS = [
  'transcribeUrls',
  'uploadFile',
  'checkStatus',
  'liveStream',
  'alignText',
  'diarizeSpeakers',
  'identifySpeaker',
  'verifySpeaker',
  'indexSpeakers',
];

interface BuiltTool {
  node: string;
  operation: string;
  name: string;
  description: string;
}

describe('n8n: each operation is its own tool description for AI agents', () => {
  let runtime: N8nRuntime;
  let n8n: N8nInstance;
  let tools: BuiltTool[];

  beforeAll(async () => {
    runtime = provisionN8n();
    n8n = await createN8nInstance({ runtime, tarball: packedTarball() });
    const packageDir = path.join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
    const wanted = [
      { file: 'dist/nodes/Harf/Harf.node.js', className: 'Harf', operations: HARF_OPERATIONS },
      { file: 'dist/nodes/AssemblyAi/AssemblyAi.node.js', className: 'AssemblyAi', operations: ['transcribeShortAudio'] },
    ];
    const output = execFileSync(runtime.node24, ['-e', SCRIPT, packageDir, JSON.stringify(wanted)], {
      cwd: runtime.dir,
      env: { ...n8n.env, NODE_PATH: path.join(runtime.dir, 'node_modules') },
      encoding: 'utf8',
    });
    tools = JSON.parse(output) as BuiltTool[];
  }, 1_800_000);

  afterAll(() => n8n?.remove());

  const describeOf = (operation: string) => tools.find((tool) => tool.operation === operation)?.description ?? '';

  test('no two operations of a node read the same to the model, and each names the node', () => {
    const harf = tools.filter((tool) => tool.node === 'Harf');
    expect(harf).toHaveLength(HARF_OPERATIONS.length);
    expect(new Set(harf.map((tool) => tool.description)).size).toBe(HARF_OPERATIONS.length);
    for (const tool of harf) expect(tool.description).toMatch(/ in Harf$/);
  });

  test('each says what the model must give and what comes back', () => {
    expect(describeOf('transcribeUrls')).toMatch(/given by URL.*return the text with timed segments/);
    expect(describeOf('checkStatus')).toMatch(/by task ID.*return their state/);
    expect(describeOf('alignText')).toMatch(/known text.*URL.*return the word times/);
    expect(describeOf('diarizeSpeakers')).toMatch(/URL.*speaker turn/);
    expect(describeOf('identifySpeaker')).toMatch(/recording at a URL.*speakers given with voice samples by URL.*return the best match/);
    expect(describeOf('verifySpeaker')).toMatch(/recording at a URL.*voice samples of one person given by URL.*return the verdict/);
    expect(describeOf('indexSpeakers')).toMatch(/URL by speaker turn.*speakers given with voice samples by URL/);
  });

  test('operations that need a file from an earlier node say an agent cannot pass one', () => {
    for (const operation of ['uploadFile', 'liveStream', 'transcribeShortAudio']) {
      expect(describeOf(operation)).toMatch(
        /from binary data of an earlier node .*but an AI agent cannot pass a file so this operation is not meant as a tool in (Harf|AssemblyAI)$/,
      );
    }
    // The operations an agent can use say nothing of the kind.
    for (const operation of HARF_OPERATIONS.filter((operation) => !['uploadFile', 'liveStream'].includes(operation))) {
      expect(describeOf(operation)).not.toMatch(/binary data|not meant as a tool/);
    }
    expect(describeOf('transcribeShortAudio')).toMatch(/^Transcribe audio of up to 120 seconds .* in AssemblyAI$/);
    expect(describeOf('transcribeShortAudio')).not.toMatch(/15 seconds/);
  });
});
