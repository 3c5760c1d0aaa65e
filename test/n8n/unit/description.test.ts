import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INodeProperties } from 'n8n-workflow';
import { AssemblyAiApi } from '../../../credentials/AssemblyAiApi.credentials';
import { HarfApi } from '../../../credentials/HarfApi.credentials';
import { AssemblyAi } from '../../../nodes/AssemblyAi/AssemblyAi.node';
import { Harf } from '../../../nodes/Harf/Harf.node';
import { SETTINGS } from '../../../lib/jobs';
import { readWaitOptions } from '../../../nodes/Harf/helpers/taskItems';
import { droppedParameters } from '../support/parameters';
import { evaluateOutputs, fakeContext } from './support/fakeContext';

const root = path.resolve(__dirname, '../../..');
const harf = new Harf().description;

function operationProperties(operation: string): INodeProperties[] {
  return harf.properties.filter((property) => property.displayOptions?.show?.operation?.includes(operation));
}

describe('Harf node description', () => {
  it('keeps the names saved workflows depend on', () => {
    expect(harf.name).toBe('harf');
    expect(harf.displayName).toBe('Harf');
    expect(harf.usableAsTool).toBe(true);
    expect(harf.credentials).toEqual([{ name: 'harfApi', required: true, testedBy: 'harfApiTest' }]);
    const operation = harf.properties.find((property) => property.name === 'operation');
    expect(operation?.noDataExpression).toBe(true);
    expect(operation?.default).toBe('transcribeUrls');
    const values = operation?.options?.map((option) => (option as { value: string }).value);
    expect(values?.sort()).toEqual(
      [
        'transcribeUrls',
        'uploadFile',
        'checkStatus',
        'liveStream',
        'alignText',
        'diarizeSpeakers',
        'identifySpeaker',
        'verifySpeaker',
        'indexSpeakers',
      ].sort(),
    );
    // A saved workflow has no resource: the one resource is its default, so its operation still shows.
    const resource = harf.properties.find((property) => property.name === 'resource');
    expect(resource?.default).toBe('speech');
    expect(operation?.displayOptions).toEqual({ show: { resource: ['speech'] } });
  });

  it('names the chosen operation under the node on the canvas', () => {
    const match = /^=\{\{([\s\S]*)\}\}$/.exec(String(harf.subtitle));
    const subtitle = new Function('$parameter', `return (${match?.[1]});`);
    expect(subtitle({ operation: 'checkStatus' })).toBe('Check Status');
    expect(subtitle({ operation: 'transcribeUrls' })).toBe('Transcribe URLs');
    expect(subtitle({ operation: 'diarizeSpeakers' })).toBe('Diarize Speakers');
  });

  it('shows every parameter for exactly one operation, with no name used twice in one operation', () => {
    const operations = [
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
    for (const property of harf.properties.filter((p) => !['resource', 'operation'].includes(p.name))) {
      const shownFor = property.displayOptions?.show?.operation ?? [];
      expect(shownFor).toHaveLength(1);
      expect(operations).toContain(shownFor[0]);
    }
    // Options is there twice, once per node version: version 2 moves polling and retries to Advanced.
    const versions = (property: INodeProperties) => (property.displayOptions?.show?.['@version'] as unknown[] | undefined) ?? ['any'];
    for (const operation of operations) {
      for (const version of [1, 2]) {
        const shown = operationProperties(operation).filter((property) =>
          versions(property).some((v) => v === 'any' || v === version || (typeof v === 'object' && version >= 2)),
        );
        const names = shown.map((property) => property.name);
        expect(new Set(names).size).toBe(names.length);
      }
    }
  });

  it('paces polling as lib does by default (2 s, x1.5, at most 30 s) and says the first check is at once', () => {
    for (const operation of ['transcribeUrls', 'checkStatus']) {
      const options = operationProperties(operation).find((p) => p.name === 'options')?.options as INodeProperties[];
      const byName = Object.fromEntries(options.map((option) => [option.name, option]));
      expect(byName.pollInterval.default).toBe(2);
      expect(byName.backoffFactor.default).toBe(1.5);
      expect(byName.maxPollInterval.default).toBe(30);
      // Defaults and limits are lib's, as the Node-RED dialogs' are.
      for (const [option, setting] of [
        ['pollInterval', SETTINGS.polling.interval],
        ['backoffFactor', SETTINGS.polling.backoff],
        ['maxPollInterval', SETTINGS.polling.maxInterval],
        ['timeout', SETTINGS.polling.timeout],
      ] as const) {
        expect(byName[option]).toMatchObject({ default: setting.default, typeOptions: { minValue: setting.min, maxValue: setting.max } });
      }
      expect(byName.pollInterval.description).toMatch(/checked at once, then again after this pause/);
      expect(byName.pollInterval.description).not.toMatch(/before the first check/);
    }
    // Options left unset (older saved workflows) fall back to the same pacing.
    const { context } = fakeContext({ description: harf, parameters: { options: {} } });
    expect(readWaitOptions(context, 0)).toMatchObject({
      intervalMs: 2000,
      backoffFactor: 1.5,
      maxIntervalMs: 30_000,
      timeoutMs: 1_800_000,
    });
  });

  it('version 2 puts polling and retry settings under Advanced; version 1 keeps them in Options, and both are read', () => {
    expect(harf.version).toEqual([1, 2]);
    const collections = operationProperties('transcribeUrls').filter((p) => p.type === 'collection');
    const fromVersion2 = (p: INodeProperties) => JSON.stringify(p.displayOptions?.show?.['@version']).includes('gte');
    const v2 = (name: string) => collections.find((p) => p.name === name && fromVersion2(p));
    const names = (property?: INodeProperties) => (property?.options as INodeProperties[]).map((option) => option.name);
    expect(names(v2('advanced'))).toEqual(['pollInterval', 'backoffFactor', 'maxPollInterval', 'timeout', 'maxRetryAfter']);
    expect(names(v2('options'))).not.toContain('pollInterval');
    const v1 = collections.find((p) => p.name === 'options' && JSON.stringify(p.displayOptions?.show?.['@version']) === '[1]');
    expect(names(v1)).toEqual(expect.arrayContaining(['splitUncertain', 'pollInterval', 'maxRetryAfter']));
    // Digits in Normalized Text shows only when normalisation is on; in version 1, whose Options also
    // holds Max Retry Wait for Submit Only, each transcript option says its modes itself.
    const digits = (v1?.options as INodeProperties[]).find((option) => option.name === 'digits');
    expect(digits?.displayOptions).toEqual({ show: { normalizeText: [true], '/mode': ['poll', 'wait'] } });

    const fromAdvanced = fakeContext({ description: harf, parameters: { options: {}, advanced: { pollInterval: 7 } } }).context;
    const fromOptions = fakeContext({ description: harf, parameters: { options: { pollInterval: 7 } } }).context;
    for (const context of [fromAdvanced, fromOptions]) expect(readWaitOptions(context, 0)).toMatchObject({ intervalMs: 7000 });
  });

  it('defaults Transcribe URLs to Submit and Poll, Check Status to the incoming task_id, and files to the data field', () => {
    const mode = operationProperties('transcribeUrls').find((p) => p.name === 'mode');
    expect(mode?.default).toBe('poll');
    expect(mode?.options?.map((o) => (o as { value: string }).value).sort()).toEqual(['poll', 'submit', 'wait']);
    expect(operationProperties('checkStatus').find((p) => p.name === 'taskIds')?.default).toBe('={{ $json.task_id }}');
    for (const operation of ['uploadFile', 'liveStream']) {
      expect(operationProperties(operation).find((p) => p.name === 'binaryPropertyName')?.default).toBe('data');
    }
  });

  it('offers the output modes and the review split where transcripts come out', () => {
    for (const operation of ['transcribeUrls', 'uploadFile', 'checkStatus', 'liveStream']) {
      const output = operationProperties(operation).find((p) => p.name === 'output');
      expect(output?.options?.map((o) => (o as { value: string }).value)).toEqual(['file', 'segment', 'text']);
      const options = operationProperties(operation).find((p) => p.name === 'options');
      const names = (options?.options as INodeProperties[]).map((o) => o.name);
      expect(names).toEqual(expect.arrayContaining(['splitUncertain', 'subtitles']));
    }
  });

  it('has a second output, Needs Review, only when the split is on for an operation with transcripts', () => {
    const split = { options: { splitUncertain: true } };
    const names = (parameters: Record<string, unknown>) =>
      evaluateOutputs(harf, parameters as never).map((o) => (o as { displayName?: string }).displayName ?? '');
    expect(names({})).toHaveLength(1);
    expect(names({ operation: 'uploadFile', options: { splitUncertain: false } })).toHaveLength(1);
    expect(names({ ...split })).toEqual(['Transcript', 'Needs Review']);
    expect(names({ operation: 'checkStatus', ...split })).toEqual(['Transcript', 'Needs Review']);
    expect(names({ operation: 'liveStream', ...split })).toHaveLength(2);
    expect(names({ operation: 'transcribeUrls', mode: 'submit', ...split })).toHaveLength(1);
    expect(names({ operation: 'alignText', ...split })).toHaveLength(1);
  });

  describe('each speaker operation says each thing once', () => {
    const SPEAKER_OPERATIONS = ['diarizeSpeakers', 'identifySpeaker', 'verifySpeaker', 'indexSpeakers'];
    const option = (value: string) =>
      (
        harf.properties.find((p) => p.name === 'operation')?.options as Array<{
          name: string;
          value: string;
          action: string;
          description: string;
        }>
      ).find((o) => o.value === value)!;
    const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
    // Words that carry meaning, plural or not: "speakers" repeats "speaker".
    const contentWords = (text: string) =>
      new Set(
        words(text)
          .filter((word) => word.length > 3 && !['each', 'from', 'with', 'your', 'which', 'that'].includes(word))
          .map((w) => w.replace(/s$/, '')),
      );
    const runsOfThree = (text: string) =>
      new Set(words(text).flatMap((_w, i, all) => (i + 3 <= all.length ? [all.slice(i, i + 3).join(' ')] : [])));
    /** What the panel says about the operation's own fields (not the shared Output, Options and Advanced). */
    const fieldTexts = (value: string): string[] =>
      operationProperties(value)
        .filter((p) => p.type !== 'collection' && p.name !== 'output')
        .flatMap((p) => [p, ...((p.options ?? []) as Array<{ values?: INodeProperties[] }>).flatMap((o) => o.values ?? [])])
        // A placeholder that is an example URL says nothing in words.
        .flatMap((p) =>
          [p.description, p.placeholder].filter((text): text is string => typeof text === 'string' && !/^(e\.g\. https?:|$)/.test(text)),
        );

    it.each(SPEAKER_OPERATIONS)('%s: the description shares no word of meaning with the action (the tool description)', (value) => {
      const { action, description } = option(value);
      const shared = [...contentWords(description)].filter((word) => contentWords(action).has(word));
      expect({ description, shared }).toEqual({ description, shared: [] });
    });

    it.each(SPEAKER_OPERATIONS)('%s: no two of its action, description and field texts share a run of three words', (value) => {
      const { name, action, description } = option(value);
      const texts = [name, action, description, ...fieldTexts(value)];
      expect(texts.length).toBeGreaterThan(4);
      const repeated = texts.flatMap((a, i) =>
        texts
          .slice(i + 1)
          .flatMap((b) => [...runsOfThree(a)].filter((run) => runsOfThree(b).has(run)).map((run) => `"${run}" in "${a}" and "${b}"`)),
      );
      expect(repeated).toEqual([]);
    });
  });

  it('points at light and dark icons that exist, and a codex named after the package', () => {
    const icon = harf.icon as { light: string; dark: string };
    for (const file of [icon.light, icon.dark]) {
      const resolved = path.resolve(root, 'nodes/Harf', file.replace(/^file:/, ''));
      expect(fs.readFileSync(resolved, 'utf8')).toContain('<svg');
    }
    const codex = JSON.parse(fs.readFileSync(path.join(root, 'nodes/Harf/Harf.node.json'), 'utf8'));
    expect(codex.node).toBe('n8n-nodes-harf.harf');
  });
});

describe('both nodes', () => {
  const nodes = [harf, new AssemblyAi().description];

  /** Every parameter of a list, those inside collections and fixed collections included. */
  function allParameters(properties: INodeProperties[]): INodeProperties[] {
    return properties.flatMap((property) => {
      const inside = ((property.options ?? []) as Array<Partial<INodeProperties> & { values?: INodeProperties[] }>).flatMap(
        (option) => option.values ?? (option.type ? [option as INodeProperties] : []),
      );
      return [property, ...allParameters(inside)];
    });
  }

  it('gives every text field that takes a list a box of several lines', () => {
    const lists = nodes.flatMap((node) =>
      allParameters(node.properties).filter(
        (property) => property.type === 'string' && /separated by|one per line|comma/i.test(property.description ?? ''),
      ),
    );
    expect(lists.map((property) => property.name)).toEqual(
      expect.arrayContaining(['mediaUrls', 'taskIds', 'sampleUrls', 'keyTerms', 'languages']),
    );
    for (const property of lists) {
      expect({ name: property.name, rows: property.typeOptions?.rows }).toEqual({ name: property.name, rows: expect.any(Number) });
      expect(property.typeOptions!.rows).toBeGreaterThan(1);
      expect(property.description).toMatch(/separated by commas or new lines/);
    }
  });

  it('keeps Max Retry Wait in every mode of every operation that sends requests, polling settings only when polling', () => {
    const modes: Record<string, [string, string[]]> = {
      transcribeUrls: ['mode', ['poll', 'wait', 'submit']],
      checkStatus: ['checkMode', ['poll', 'once']],
    };
    const cases = nodes.flatMap((node) => {
      const operations = (node.properties.find((p) => p.name === 'operation')?.options ?? []) as Array<{ value: string }>;
      return operations
        .filter(({ value }) => value !== 'liveStream')
        .flatMap(({ value }) => (modes[value]?.[1] ?? [undefined]).map((mode) => ({ node, operation: value, mode })));
    });
    // Harf: eight operations, Transcribe URLs in three modes and Check Status in two; AssemblyAI: one.
    expect(cases).toHaveLength(8 + 2 + 1 + 1);
    for (const { node, operation, mode } of cases) {
      for (const version of [1, 2]) {
        const collection = version === 1 ? 'options' : 'advanced';
        const parameters = {
          operation,
          ...(mode ? { [modes[operation][0]]: mode } : {}),
          [collection]: { maxRetryAfter: 30, pollInterval: 5 },
        };
        const polls = mode === 'poll';
        const seen = { node: node.name, operation, mode, version, dropped: droppedParameters(node, parameters, version) };
        expect(seen).toEqual({ ...seen, dropped: polls ? [] : [`${collection}.pollInterval`] });
      }
    }
  });
});

describe('credentials', () => {
  it('Harf: token as a password, base URL defaulting to the real service, Token authorization', () => {
    const credential = new HarfApi();
    expect(credential.name).toBe('harfApi');
    const token = credential.properties.find((p) => p.name === 'token');
    expect(token?.typeOptions?.password).toBe(true);
    expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe('https://harf.roshan-ai.ir');
    expect(credential.authenticate).toEqual({
      type: 'generic',
      properties: { headers: { Authorization: '=Token {{$credentials.token}}' } },
    });
    // Tested by the node (testedBy), not by a request of its own: see credential-test.test.ts.
    expect(credential).not.toHaveProperty('test');
  });

  it('AssemblyAI: API key as a password, bare authorization header', () => {
    const credential = new AssemblyAiApi();
    expect(credential.name).toBe('assemblyAiApi');
    expect(credential.properties.find((p) => p.name === 'apiKey')?.typeOptions?.password).toBe(true);
    expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe('https://api.assemblyai.com');
    expect(credential.authenticate).toEqual({
      type: 'generic',
      properties: { headers: { authorization: '={{$credentials.apiKey}}' } },
    });
    expect(credential).not.toHaveProperty('test');
  });

  it('give icons that exist in both themes', () => {
    for (const credential of [new HarfApi(), new AssemblyAiApi()]) {
      const icon = credential.icon as { light: string; dark: string };
      for (const file of [icon.light, icon.dark]) {
        expect(fs.existsSync(path.resolve(root, 'credentials', file.replace(/^file:/, '')))).toBe(true);
      }
    }
  });
});

describe('package.json "n8n" field', () => {
  it('lists compiled files whose sources exist', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const files: string[] = [...pkg.n8n.credentials, ...pkg.n8n.nodes];
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/credentials/HarfApi.credentials.js',
        'dist/credentials/AssemblyAiApi.credentials.js',
        'dist/nodes/Harf/Harf.node.js',
        'dist/nodes/AssemblyAi/AssemblyAi.node.js',
      ]),
    );
    for (const file of files) {
      const source = path.join(root, file.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
      expect(fs.existsSync(source)).toBe(true);
    }
  });
});
