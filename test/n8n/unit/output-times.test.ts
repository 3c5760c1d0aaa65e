/**
 * One time shape across the Harf node's operations, read from what each operation's execute gives
 * against the sandbox (every output mode, the review split, a live stream that breaks off): wherever
 * an item, a segment or an uncertain word carries a time, `start_seconds` and `end_seconds` stand
 * beside it as numbers, whatever form Harf sent the time in (text in transcripts, numbers in
 * speaker tasks). An operation added to the registry without a run here fails the first test.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { startSandbox } from '../../../sandbox';
import { AssemblyAiApi } from '../../../credentials/AssemblyAiApi.credentials';
import { HarfApi } from '../../../credentials/HarfApi.credentials';
import { timeSeconds } from '../../../lib/transcript';
import { Harf } from '../../../nodes/Harf/Harf.node';
import { operations } from '../../../nodes/Harf/actions/registry';
import { wav } from '../../support/wav';
import { fakeContext, memoryBinary, type ParameterValue } from './support/fakeContext';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

let sandbox: Sandbox;
const node = new Harf();
const EPISODE = 'https://media.example/podcast/episode-7.mp3?duration=40';
const PANEL = 'https://media.example/panel.mp3?voices=maryam,reza&duration=30';
const hosts = {
  speaker: [
    { name: 'Maryam', sampleUrls: 'https://media.example/voices/maryam-1.mp3' },
    { name: 'Reza', sampleUrls: 'https://media.example/voices/reza-1.mp3' },
  ],
};
const fastPolling = { pollInterval: 0.05, backoffFactor: 1, maxPollInterval: 0.1, timeout: 1 };
const split = { options: { splitUncertain: true } };

beforeAll(async () => {
  sandbox = await startSandbox({ taskDelayMs: 50, processingDelayMs: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.faults.clear());

/** Every item of every output of one execution. */
async function run(
  parameters: Record<string, ParameterValue>,
  items?: INodeExecutionData[],
  continueOnFail = false,
): Promise<IDataObject[]> {
  const fake = fakeContext({
    description: node.description,
    parameters,
    items,
    credentials: { harfApi: { token: sandbox.token, baseUrl: sandbox.url } },
    credentialTypes: [new HarfApi(), new AssemblyAiApi()],
    continueOnFail,
  });
  const outputs = await node.execute.call(fake.context);
  return outputs.flat().map((item) => item.json);
}

const audio = (seconds: number, name = 'voice.wav') => [
  { json: {}, binary: { data: memoryBinary(wav(16000, seconds), name, 'audio/wav') } },
];

/** Each operation's executions: its output modes, the review split, and its failures that keep segments. */
const RUNS: Record<string, Array<() => Promise<IDataObject[]>>> = {
  transcribeUrls: [
    () => run({ operation: 'transcribeUrls', mediaUrls: EPISODE, mode: 'wait', output: 'file' }),
    () =>
      run({
        operation: 'transcribeUrls',
        mediaUrls: EPISODE,
        mode: 'poll',
        output: 'segment',
        options: { splitUncertain: true, ...fastPolling },
      }),
    () => run({ operation: 'transcribeUrls', mediaUrls: EPISODE, mode: 'submit' }),
  ],
  uploadFile: [
    () => run({ operation: 'uploadFile', binaryPropertyName: 'data', output: 'file' }, audio(6)),
    () => run({ operation: 'uploadFile', binaryPropertyName: 'data', output: 'segment', ...split }, audio(6)),
  ],
  checkStatus: [
    async () => {
      const [submitted] = await run({ operation: 'transcribeUrls', mediaUrls: EPISODE, mode: 'submit' });
      const taskIds = String(submitted.task_id);
      return [
        ...(await run({ operation: 'checkStatus', taskIds, checkMode: 'poll', output: 'file', options: fastPolling })),
        ...(await run({ operation: 'checkStatus', taskIds, checkMode: 'once', output: 'segment', ...split })),
      ];
    },
  ],
  liveStream: [
    () => run({ operation: 'liveStream', binaryPropertyName: 'data', output: 'file', ...split }, audio(8)),
    () => run({ operation: 'liveStream', binaryPropertyName: 'data', output: 'segment' }, audio(8)),
    // A stream that breaks off: its error item keeps the segments received before.
    async () => {
      sandbox.faults.add({ type: 'ws-close', afterFrames: 11 });
      const [failed] = await run({ operation: 'liveStream', binaryPropertyName: 'data', output: 'file' }, audio(14), true);
      expect(failed).toMatchObject({ error_type: 'StreamClosedError' });
      expect(failed.segments).toHaveLength(2);
      return [failed];
    },
  ],
  alignText: [
    () => run({ operation: 'alignText', mediaUrl: EPISODE, text: 'سخن را سر از ای خردمند', output: 'file' }),
    () => run({ operation: 'alignText', mediaUrl: EPISODE, text: 'سخن را سر از ای خردمند', output: 'segment' }),
  ],
  diarizeSpeakers: [
    () => run({ operation: 'diarizeSpeakers', mediaUrls: PANEL, output: 'file', ...split }),
    () => run({ operation: 'diarizeSpeakers', mediaUrls: PANEL, output: 'segment' }),
  ],
  identifySpeaker: [() => run({ operation: 'identifySpeaker', mediaUrl: 'https://media.example/clip.mp3?voice=reza', speakers: hosts })],
  verifySpeaker: [
    () =>
      run({
        operation: 'verifySpeaker',
        mediaUrl: 'https://media.example/call.mp3?voice=maryam',
        sampleUrls: 'https://media.example/voices/maryam-1.mp3',
      }),
  ],
  indexSpeakers: [
    () => run({ operation: 'indexSpeakers', mediaUrl: PANEL, speakers: hosts, output: 'file', ...split }),
    () => run({ operation: 'indexSpeakers', mediaUrl: PANEL, speakers: hosts, output: 'segment' }),
  ],
};

/** Every object in an item, the item itself included, with where it sits. */
function objectsIn(value: unknown, at: string): Array<{ at: string; object: IDataObject }> {
  if (Array.isArray(value)) return value.flatMap((inner, index) => objectsIn(inner, `${at}[${index}]`));
  if (value === null || typeof value !== 'object') return [];
  const object = value as IDataObject;
  return [{ at, object }, ...Object.entries(object).flatMap(([key, inner]) => objectsIn(inner, `${at}.${key}`))];
}

const TIME_FIELDS = ['start', 'end', 'start_seconds', 'end_seconds'];

/** What is wrong with the times of one object that carries any: nothing, for the shape wanted. */
function timeProblems(object: IDataObject): string[] {
  const problems: string[] = [];
  for (const which of ['start', 'end'] as const) {
    const seconds = object[`${which}_seconds`];
    if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
      problems.push(`${which}_seconds is ${JSON.stringify(seconds)}`);
    } else if (object[which] !== undefined && timeSeconds(object[which]) !== seconds) {
      problems.push(`${which}_seconds ${seconds} is not ${which} ${JSON.stringify(object[which])}`);
    }
  }
  if ((object.end_seconds as number) < (object.start_seconds as number)) problems.push('ends before it starts');
  return problems;
}

describe('every Harf operation gives its times in seconds beside what Harf sent', () => {
  it('runs every operation of the registry', () => {
    expect(Object.keys(RUNS).sort()).toEqual(Object.keys(operations).sort());
  });

  it.each(Object.keys(operations))('%s', async (operation) => {
    const runs = RUNS[operation] ?? [];
    expect(runs.length).toBeGreaterThan(0);
    const timed: string[] = [];
    const problems: string[] = [];
    for (const execute of runs) {
      const items = await execute();
      expect(items.length).toBeGreaterThan(0);
      for (const { at, object } of items.flatMap((json, index) => objectsIn(json, `item[${index}]`))) {
        if (!TIME_FIELDS.some((field) => field in object)) continue;
        timed.push(at);
        problems.push(...timeProblems(object).map((problem) => `${at}: ${problem}`));
      }
    }
    expect(problems).toEqual([]);
    // Only the verdicts carry no time at all; every other operation's walk found some.
    expect(timed.length > 0).toBe(!['identifySpeaker', 'verifySpeaker'].includes(operation));
  });
});
