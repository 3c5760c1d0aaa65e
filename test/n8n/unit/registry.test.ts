import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INodeParameters, INodeTypeDescription } from 'n8n-workflow';

import { alignmentOutputOptions, givesTranscripts } from '../../../lib/jobs';
import { AssemblyAi } from '../../../nodes/AssemblyAi/AssemblyAi.node';
import { operations as assemblyAiOperations } from '../../../nodes/AssemblyAi/actions/registry';
import { Harf } from '../../../nodes/Harf/Harf.node';
import { operations as harfOperations } from '../../../nodes/Harf/actions/registry';
import { configuredOutputs, operationOptions, type Operations } from '../../../nodes/shared/registry';
import { evaluateOutputs } from './support/fakeContext';

const root = path.resolve(__dirname, '..', '..', '..');
const { NODES, generatedParts, render } = require('../../../scripts/n8n-descriptions') as {
  NODES: Array<{ file: string; registry: string }>;
  generatedParts: (registry: string) => Record<string, string[]>;
  render: (source: string, parts: Record<string, string[]>) => string;
};

const nodes: Array<[string, INodeTypeDescription, Operations]> = [
  ['Harf', new Harf().description, harfOperations],
  ['AssemblyAI', new AssemblyAi().description, assemblyAiOperations],
];

describe('the parts of the n8n node descriptions generated from the operation registries', () => {
  const files = NODES.map((node) => [node.file, node.registry]);
  it.each(files)('%s is up to date with %s (run node scripts/n8n-descriptions.js)', (file, registry) => {
    const source = fs.readFileSync(path.join(root, file), 'utf8');
    expect(render(source, generatedParts(registry))).toBe(source);
  });

  it.each(nodes)('%s: the Operation list is the registry, sorted by name, with actions', (_name, description, operations) => {
    const operation = description.properties.find((property) => property.name === 'operation');
    expect(operation?.options).toEqual(operationOptions(operations));
    expect(operation?.default).toBe(Object.keys(operations)[0]);
    for (const option of operationOptions(operations)) expect(option.action).toMatch(/\S{3,}/);
  });

  it.each(nodes)('%s: the subtitle names each operation as the registry does', (_name, description, operations) => {
    const match = /^=\{\{([\s\S]*)\}\}$/.exec(String(description.subtitle));
    const subtitle = new Function('$parameter', `return (${match?.[1]});`) as (parameters: INodeParameters) => string;
    for (const [value, operation] of Object.entries(operations)) expect(subtitle({ operation: value })).toBe(operation.option.name);
  });

  it.each(nodes)('%s: the outputs expression agrees with the registry, for every operation and mode', (_name, description, operations) => {
    for (const operation of [undefined, ...Object.keys(operations)]) {
      for (const mode of [undefined, 'poll', 'wait', 'submit']) {
        for (const splitUncertain of [true, false, undefined]) {
          const parameters = { operation, mode, options: { splitUncertain } } as unknown as INodeParameters;
          expect(evaluateOutputs(description, parameters)).toEqual(configuredOutputs(operations, parameters));
        }
      }
    }
  });
});

describe("the Harf registry's review split agrees with lib", () => {
  const reviews = (operation: string, parameters: INodeParameters = {}) =>
    configuredOutputs(harfOperations, { operation, ...parameters, options: { splitUncertain: true } }).length === 2;

  it('speaker jobs review exactly when lib says they give transcripts', () => {
    const jobs = { diarizeSpeakers: 'diarize', identifySpeaker: 'identify', verifySpeaker: 'verify', indexSpeakers: 'index' } as const;
    for (const [operation, job] of Object.entries(jobs)) expect(reviews(operation)).toBe(givesTranscripts(job));
  });

  it('alignment never splits (lib turns the split off for it); Submit Only gives no transcripts', () => {
    expect(alignmentOutputOptions({ output: 'file', subtitles: [] }).splitUncertain).toBe(false);
    expect(reviews('alignText')).toBe(false);
    expect(reviews('transcribeUrls', { mode: 'submit' })).toBe(false);
    expect(reviews('transcribeUrls', { mode: 'wait' })).toBe(true);
  });
});
