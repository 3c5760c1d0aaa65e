import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { startSandbox } from '../../../sandbox';
import { AssemblyAiApi } from '../../../credentials/AssemblyAiApi.credentials';
import { HarfApi } from '../../../credentials/HarfApi.credentials';
import { Harf } from '../../../nodes/Harf/Harf.node';
import { wav } from '../../support/wav';
import { hostileWav, LYING_RATE } from '../../support/hostile';
import { diskBinary, fakeContext, memoryBinary, type ParameterValue } from './support/fakeContext';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

let sandbox: Sandbox;
let binaryDir: string;
const node = new Harf();
const fastPolling = { pollInterval: 0.05, backoffFactor: 1, maxPollInterval: 0.1, timeout: 1 };

beforeAll(async () => {
  sandbox = await startSandbox({ taskDelayMs: 150, processingDelayMs: 0 });
  binaryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harf-n8n-binary-'));
});
afterAll(async () => {
  await sandbox.close();
  fs.rmSync(binaryDir, { recursive: true, force: true });
});
beforeEach(() => sandbox.faults.clear());

function run(
  parameters: Record<string, ParameterValue>,
  options: {
    items?: INodeExecutionData[];
    token?: string;
    baseUrl?: string;
    continueOnFail?: boolean;
    onError?: 'continueRegularOutput' | 'continueErrorOutput';
    signal?: AbortSignal;
  } = {},
) {
  const fake = fakeContext({
    description: node.description,
    parameters,
    items: options.items,
    credentials: {
      harfApi: { token: options.token ?? sandbox.token, baseUrl: options.baseUrl ?? sandbox.url },
      assemblyAiApi: { apiKey: sandbox.assemblyAiKey, baseUrl: sandbox.url },
    },
    credentialTypes: [new HarfApi(), new AssemblyAiApi()],
    continueOnFail: options.continueOnFail,
    onError: options.onError,
    signal: options.signal,
    binaryDir,
  });
  return { fake, output: node.execute.call(fake.context) };
}

async function failure(promise: Promise<unknown>): Promise<NodeApiError | NodeOperationError> {
  try {
    await promise;
  } catch (error) {
    return error as NodeApiError | NodeOperationError;
  }
  throw new Error('expected the node to fail');
}

const episode = 'https://media.example/podcast/episode-7.mp3?duration=40';

describe('Transcribe URLs', () => {
  it('Wait for Result: one item per file with the API fields and the derived ones, paired to its input', async () => {
    const urls = ['https://media.example/a.mp3?duration=12', 'https://media.example/b.mp3?duration=30'];
    const { fake, output } = run({ operation: 'transcribeUrls', mediaUrls: urls.join('\n'), mode: 'wait', output: 'file' });
    const [items] = await output;
    expect(items.map((item) => item.json.media_url)).toEqual(urls);
    const second = items[1].json;
    expect(second.duration).toBe('0:00:30');
    expect(second.duration_seconds).toBe(30);
    expect(typeof (second.stats as IDataObject).known_words).toBe('number');
    expect(typeof second.text).toBe('string');
    expect(Array.isArray(second.uncertain_words)).toBe(true);
    expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
    // Requests went through n8n's helper, with the credential (not lib/) setting the token.
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].credentialType).toBe('harfApi');
    expect(Object.keys(fake.requests[0].options.headers ?? {}).map((h) => h.toLowerCase())).not.toContain('authorization');
    expect(fake.requests[0].options).toMatchObject({
      returnFullResponse: true,
      ignoreHttpStatusErrors: true,
      encoding: 'stream',
      disableFollowRedirect: true,
    });
  });

  it('Submit Only: one item per URL with its task_id, for a later Check Status', async () => {
    const urls = ['https://media.example/a.mp3', 'https://media.example/b.mp3'];
    const [items] = await run({ operation: 'transcribeUrls', mediaUrls: urls, mode: 'submit' }).output;
    expect(items).toHaveLength(2);
    expect(items.map((item) => item.json.media_url)).toEqual(urls);
    for (const item of items) {
      expect(typeof item.json.task_id).toBe('string');
      expect(item.json.state).toBe('PENDING');
    }
  });

  it('Submit and Poll, per segment, split: every segment reaches exactly one output', async () => {
    const [[file]] = await run({ operation: 'transcribeUrls', mediaUrls: episode, mode: 'wait', output: 'file' }).output;
    const segments = file.json.segments as IDataObject[];
    const uncertain = segments.filter((segment) => (segment.uncertain_words as string[]).length > 0);
    expect(uncertain.length).toBeGreaterThan(0);

    const outputs = await run({
      operation: 'transcribeUrls',
      mediaUrls: episode,
      mode: 'poll',
      output: 'segment',
      options: { splitUncertain: true, ...fastPolling },
    }).output;
    expect(outputs).toHaveLength(2);
    const [transcript, review] = outputs;
    expect(transcript.length + review.length).toBe(segments.length);
    expect(review.map((item) => item.json.segment_index)).toEqual(uncertain.map((segment) => segment.segment_index));
    for (const item of review) {
      expect(item.json.media_url).toBe(episode);
      expect((item.json.uncertain_words as string[]).length).toBeGreaterThan(0);
      expect(item.json.media_fragment).toBe(`${episode}#t=${item.json.start_seconds},${item.json.end_seconds}`);
      expect(typeof item.json.task_id).toBe('string');
    }
    for (const item of transcript) expect(item.json.uncertain_words).toEqual([]);
  });

  it('per file, split: the file stays on Transcript and each uncertain segment also goes to Needs Review', async () => {
    const [transcript, review] = await run({
      operation: 'transcribeUrls',
      mediaUrls: episode,
      mode: 'wait',
      output: 'file',
      options: { splitUncertain: true },
    }).output;
    expect(transcript).toHaveLength(1);
    const withUncertain = (transcript[0].json.segments as IDataObject[]).filter(
      (segment) => (segment.uncertain_words as string[]).length > 0,
    );
    expect(review).toHaveLength(withUncertain.length);
    expect(review[0].json).toMatchObject({ media_url: episode, text: withUncertain[0].text });
  });

  it('Text Only, with SRT and WebVTT attached as binary properties', async () => {
    const [items] = await run({
      operation: 'transcribeUrls',
      mediaUrls: episode,
      mode: 'wait',
      output: 'text',
      options: { subtitles: ['srt', 'vtt'] },
    }).output;
    expect(items).toHaveLength(1);
    expect(Object.keys(items[0].json).sort()).toEqual(['media_url', 'text']);
    const srt = items[0].binary?.srt;
    const vtt = items[0].binary?.vtt;
    expect(srt?.fileName).toBe('episode-7.srt');
    expect(srt?.mimeType).toBe('application/x-subrip');
    expect(Buffer.from(srt?.data ?? '', 'base64').toString('utf8')).toMatch(/^1\r?\n\d\d:\d\d:\d\d,\d{3} --> /);
    expect(vtt?.fileName).toBe('episode-7.vtt');
    expect(Buffer.from(vtt?.data ?? '', 'base64').toString('utf8')).toMatch(/^WEBVTT/);
  });

  it('a refused token is a NodeApiError with code 401, a message to act on, and no token anywhere', async () => {
    const token = 'wrong-token-5f3a9c';
    const error = await failure(run({ operation: 'transcribeUrls', mediaUrls: episode, mode: 'wait' }, { token }).output);
    expect(error).toBeInstanceOf(NodeApiError);
    expect((error as NodeApiError).httpCode).toBe('401');
    expect(error.message).toBe('The Harf token was refused — check the credential');
    expect(error.context.itemIndex).toBe(0);
    expect(JSON.stringify({ message: error.message, description: error.description })).not.toContain(token);
  });

  it('a server error that outlasts the retries is a NodeApiError with its code', async () => {
    sandbox.faults.add({ type: 'status', status: 500, body: { detail: 'database unavailable' }, times: 5 });
    const error = await failure(run({ operation: 'transcribeUrls', mediaUrls: episode, mode: 'wait' }).output);
    expect(error).toBeInstanceOf(NodeApiError);
    expect((error as NodeApiError).httpCode).toBe('500');
    expect(error.message).toMatch(/Harf had a server error \(500\)/);
    expect(error.description).toContain('database unavailable');
  });

  it('a 503 is retried through the n8n transport and the item succeeds', async () => {
    sandbox.faults.add({ type: 'status', status: 503, retryAfter: 0 });
    const [items] = await run({ operation: 'transcribeUrls', mediaUrls: episode, mode: 'wait' }).output;
    expect(items).toHaveLength(1);
    expect(
      sandbox.log
        .filter((entry) => entry.path === '/api/transcribe_files/')
        .slice(-2)
        .map((e) => e.status),
    ).toEqual([503, 200]);
  });

  it('a Retry-After longer than Longest Retry-After Wait fails the item at once with the wait asked for', async () => {
    const sends = () => sandbox.log.filter((entry) => entry.path === '/api/transcribe_files/').length;
    const before = sends();
    sandbox.faults.add({ type: 'status', status: 429, retryAfter: 2 });
    const [[item]] = await run(
      { operation: 'transcribeUrls', mediaUrls: episode, mode: 'wait', options: { maxRetryAfter: 1 } },
      { continueOnFail: true },
    ).output;
    expect(item.json).toMatchObject({ error_type: 'RateLimitError', retry_after_ms: 2000 });
    expect(item.json.description).toMatch(/asked to wait 2 s .*longest wait allowed \(1 s/);
    expect(sends() - before).toBe(1);
    sandbox.faults.add({ type: 'status', status: 429, retryAfter: 1 });
    const [items] = await run({ operation: 'transcribeUrls', mediaUrls: episode, mode: 'wait' }).output;
    expect(items).toHaveLength(1);
    expect(sends() - before).toBe(3);
  });

  it('a 504 from a proxy after the job started is not sent again, and the error says the job may have started', async () => {
    sandbox.resetJobs();
    sandbox.faults.add({ type: 'status', status: 504, passThrough: true, times: 4 });
    const error = await failure(run({ operation: 'transcribeUrls', mediaUrls: episode, mode: 'wait' }).output);
    expect((error as NodeApiError).httpCode).toBe('504');
    expect(error.description).toMatch(/the job may have started/);
    expect(sandbox.jobs()).toEqual({ started: 1, byMediaUrl: { [episode]: 1 } });
    sandbox.faults.clear();
  });

  it('a Base URL without http(s) is refused naming the credential field, before any request', async () => {
    const { fake, output } = run({ operation: 'transcribeUrls', mediaUrls: episode, mode: 'wait' }, { baseUrl: 'harf.roshan-ai.ir' });
    const error = await failure(output);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.message).toMatch(/^Invalid Base URL: found the text "harf\.roshan-ai\.ir", expected an http:\/\/ or https:\/\/ URL/);
    expect(fake.requests).toHaveLength(0);
  });

  it('an unreachable base URL is a NodeApiError saying what to check', async () => {
    const error = await failure(
      run({ operation: 'transcribeUrls', mediaUrls: episode, mode: 'wait' }, { baseUrl: 'http://127.0.0.1:9' }).output,
    );
    expect(error).toBeInstanceOf(NodeApiError);
    expect(error.message).toMatch(/Could not reach 127\.0\.0\.1:9/);
    expect(error.description).toMatch(/Base URL/);
  });

  it('a bad URL is a NodeOperationError with the item index and a description', async () => {
    const error = await failure(run({ operation: 'transcribeUrls', mediaUrls: 'episode-7.mp3', mode: 'wait' }).output);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.context.itemIndex).toBe(0);
    expect(error.message).toMatch(/Invalid Media URLs: found the text "episode-7.mp3"/);
    expect(error.description).toMatch(/http\(s\) URL/);
  });

  it('continue on fail: the failing item becomes an error item, the others are transcribed', async () => {
    const items: INodeExecutionData[] = [
      { json: { url: 'https://media.example/one.mp3?duration=10' } },
      { json: { url: 'not a url' } },
      { json: { url: 'https://media.example/three.mp3?duration=10' } },
    ];
    const [output] = await run(
      { operation: 'transcribeUrls', mediaUrls: (i: number) => items[i].json.url, mode: 'wait', output: 'text' },
      { items, continueOnFail: true },
    ).output;
    expect(output).toHaveLength(3);
    expect(output.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
    expect(output[0].json.media_url).toBe(items[0].json.url);
    // 'not a url' reads as three entries; the first is named.
    expect(output[1].json).toMatchObject({ field: 'Media URLs[0]', error_type: 'BadInputError' });
    expect(output[1].json.error).toMatch(/Invalid Media URLs/);
    expect(output[2].json.media_url).toBe(items[2].json.url);
    // With plain Continue the error stays in the JSON; n8n would cut the JSON of an item carrying its error.
    expect(output[1].error).toBeUndefined();
    // With the error output, the failed item carries n8n's error: n8n sends it down the Error output.
    const [routed] = await run(
      { operation: 'transcribeUrls', mediaUrls: (i: number) => items[i].json.url, mode: 'wait', output: 'text' },
      { items, onError: 'continueErrorOutput' },
    ).output;
    expect(routed[1].error).toBeInstanceOf(NodeOperationError);
    expect(routed[0].error).toBeUndefined();
    expect(routed[2].error).toBeUndefined();
  });

  it('Submit and Poll: a task that ends in FAILURE is an error item naming its media URL, beside the transcript', async () => {
    const urls = ['https://media.example/fail-recording.mp3', 'https://media.example/fine.mp3?duration=8'];
    const parameters = { operation: 'transcribeUrls', mediaUrls: urls, mode: 'poll', output: 'text', options: fastPolling };
    const [output] = await run(parameters, { continueOnFail: true }).output;
    expect(output.map((item) => item.json.media_url)).toEqual(urls);
    expect(output[0].json).toMatchObject({ state: 'FAILURE', error_type: 'TaskFailedError' });
    expect(output[0].error).toBeUndefined();
    // For the Error output the item carries the error, which keeps what it was about.
    const [routed] = await run(parameters, { onError: 'continueErrorOutput' }).output;
    expect(routed[0].error).toBeInstanceOf(NodeOperationError);
    expect(routed[0].error?.context).toMatchObject({ media_url: urls[0], task_id: expect.any(String) });
    // n8n keeps only the message of an Error output item as its JSON: the message names the input.
    expect(routed[0].error?.message.endsWith(`as FAILURE: the file could not be transcribed (media URL ${urls[0]})`)).toBe(true);
    expect(routed[1].error).toBeUndefined();
  });

  it("an Error output item's message names its input and status once", async () => {
    sandbox.faults.add({ type: 'status', status: 400, body: { detail: 'Bad media.' } });
    const [[item]] = await run({ operation: 'transcribeUrls', mediaUrls: episode, mode: 'wait' }, { onError: 'continueErrorOutput' })
      .output;
    expect(item.error?.message).toMatch(/\(400\)/);
    expect(item.error?.message.split(episode)).toHaveLength(2);
    // A message that names the input already (here in the service's words) is left as it is.
    sandbox.faults.add({ type: 'status', status: 400, body: { media_urls: [`Could not fetch ${episode}.`] } });
    const [[named]] = await run({ operation: 'transcribeUrls', mediaUrls: episode, mode: 'wait' }, { onError: 'continueErrorOutput' })
      .output;
    expect(named.error?.context.media_url).toBe(episode);
    expect(named.error?.message).toContain(`Could not fetch ${episode}.`);
    expect(named.error?.message.split(episode)).toHaveLength(2);
  });

  it('an error item names the media URL it was about and its HTTP status as a number', async () => {
    sandbox.faults.add({ type: 'status', status: 400, body: { detail: 'Bad media.' } });
    const [[item]] = await run({ operation: 'transcribeUrls', mediaUrls: episode, mode: 'wait' }, { continueOnFail: true }).output;
    expect(Object.keys(item.json).slice(0, 2)).toEqual(['media_url', 'error']);
    expect(item.json).toMatchObject({ media_url: episode, http_code: 400, error_type: 'RequestRejectedError' });
    expect(item.error).toBeUndefined();
  });

  it('a file item shows the media URL, text and numbers before the lists, the certainty to three places', async () => {
    const [[item]] = await run({ operation: 'transcribeUrls', mediaUrls: episode, mode: 'wait', output: 'file' }).output;
    expect(Object.keys(item.json).slice(0, 5)).toEqual(['media_url', 'text', 'duration_seconds', 'uncertain_count', 'certainty_ratio']);
    const ratio = item.json.certainty_ratio as number;
    expect(Math.round(ratio * 1000) / 1000).toBe(ratio);
    const [segments] = await run({ operation: 'transcribeUrls', mediaUrls: episode, mode: 'wait', output: 'segment' }).output;
    expect(Object.keys(segments[0].json).slice(0, 4)).toEqual(['media_url', 'text', 'start_seconds', 'end_seconds']);
  });
});

describe('Check Status', () => {
  async function submit(url: string): Promise<string> {
    const [[item]] = await run({ operation: 'transcribeUrls', mediaUrls: url, mode: 'submit' }).output;
    return item.json.task_id as string;
  }

  it('Check Once returns the state as data, then the transcript with task_id and state once done', async () => {
    // Tasks stay pending while the sandbox is told they take ten minutes; the check cannot race them.
    sandbox.configure({ taskDelayMs: 600_000 });
    let taskId: string;
    try {
      taskId = await submit(episode);
      const [pending] = await run({ operation: 'checkStatus', taskIds: taskId, checkMode: 'once' }).output;
      expect(pending.map((item) => item.json)).toEqual([{ task_id: taskId, state: 'PENDING' }]);
    } finally {
      sandbox.configure({ taskDelayMs: 150 });
    }

    await run({ operation: 'checkStatus', taskIds: taskId, checkMode: 'poll', options: fastPolling }).output;
    const [done] = await run({ operation: 'checkStatus', taskIds: taskId, checkMode: 'once', output: 'file' }).output;
    expect(done).toHaveLength(1);
    expect(done[0].json).toMatchObject({ task_id: taskId, state: 'SUCCESS', media_url: episode });
    expect(Array.isArray(done[0].json.segments)).toBe(true);
  });

  it('reads task ids from the incoming items of Submit Only', async () => {
    const submitted = await run({
      operation: 'transcribeUrls',
      mediaUrls: ['https://media.example/x.mp3?duration=5', 'https://media.example/y.mp3?duration=5'],
      mode: 'submit',
    }).output;
    const items = submitted[0];
    const [output] = await run(
      { operation: 'checkStatus', taskIds: (i: number) => items[i].json.task_id, checkMode: 'poll', output: 'text', options: fastPolling },
      { items },
    ).output;
    expect(output.map((item) => item.json.media_url)).toEqual(items.map((item) => item.json.media_url));
    expect(output.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1]);
  });

  it('Check Once reports FAILURE as data for an If node to route', async () => {
    const taskId = await submit('https://media.example/fail-recording.mp3');
    // Waits until the task has ended (as an error item), rather than for a guessed time.
    await run({ operation: 'checkStatus', taskIds: taskId, checkMode: 'poll', options: fastPolling }, { continueOnFail: true }).output;
    const [items] = await run({ operation: 'checkStatus', taskIds: taskId, checkMode: 'once' }).output;
    expect(items.map((item) => item.json)).toEqual([{ task_id: taskId, state: 'FAILURE' }]);
  });

  it('Check Once asks about every task; a failed request is an error item for its task with continue on fail, else fails the item', async () => {
    sandbox.configure({ taskDelayMs: 600_000 });
    try {
      const first = await submit('https://media.example/one.mp3');
      const second = await submit('https://media.example/two.mp3');
      const checks = () => sandbox.log.filter((entry) => entry.path === '/api/transcribe_files/').length;

      // One of the two checks is refused; which one depends on which request arrives first.
      sandbox.faults.add({ type: 'status', status: 400, body: { tasks_ids: ['Not a valid task id.'] } });
      const before = checks();
      const [output] = await run({ operation: 'checkStatus', taskIds: [first, second], checkMode: 'once' }, { continueOnFail: true })
        .output;
      expect(checks() - before).toBe(2);
      expect(output.map((item) => item.json.task_id)).toEqual([first, second]);
      expect(output.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
      const refused = output.filter((item) => item.json.error !== undefined);
      expect(refused).toHaveLength(1);
      expect(refused[0].json).toMatchObject({ error_type: 'RequestRejectedError', http_code: 400 });
      // An unanswered question has no state: a Wait loop must not take it for PENDING.
      expect(refused[0].json.state).toBeUndefined();
      const answered = output.find((item) => item.json.error === undefined);
      expect(answered?.json).toEqual({ task_id: answered?.json.task_id, state: 'PENDING' });

      sandbox.faults.add({ type: 'status', status: 400, body: { tasks_ids: ['Not a valid task id.'] } });
      const error = await failure(run({ operation: 'checkStatus', taskIds: [first, second], checkMode: 'once' }).output);
      expect(error).toBeInstanceOf(NodeApiError);
      expect((error as NodeApiError).httpCode).toBe('400');
      expect(error.context.itemIndex).toBe(0);
    } finally {
      sandbox.configure({ taskDelayMs: 150 });
    }
  });

  it('Poll Until Done fails the item on FAILURE; with continue on fail the error item names the task', async () => {
    const failing = await submit('https://media.example/fail-recording.mp3');
    const good = await submit('https://media.example/fine.mp3?duration=8');
    const error = await failure(run({ operation: 'checkStatus', taskIds: failing, checkMode: 'poll', options: fastPolling }).output);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.context.itemIndex).toBe(0);
    expect(error.description).toMatch(/FAILURE/);

    const items: INodeExecutionData[] = [{ json: { task_id: failing } }, { json: { task_id: good } }];
    const [output] = await run(
      { operation: 'checkStatus', taskIds: (i: number) => items[i].json.task_id, checkMode: 'poll', output: 'text', options: fastPolling },
      { items, continueOnFail: true },
    ).output;
    expect(output).toHaveLength(2);
    expect(output[0].json).toMatchObject({ task_id: failing, state: 'FAILURE', error_type: 'TaskFailedError' });
    expect(output[0].pairedItem).toEqual({ item: 0 });
    expect(output[1].json).toMatchObject({ task_id: good, media_url: 'https://media.example/fine.mp3?duration=8' });
    expect(output[1].pairedItem).toEqual({ item: 1 });
    // Plain Continue: nothing for n8n to route, the error is in the JSON.
    expect(output.every((item) => item.error === undefined)).toBe(true);
  });

  it('Submit and Poll keeps the finished files of an item when one of its files fails (continue on fail)', async () => {
    const urls = ['https://media.example/a.mp3?duration=6', 'https://media.example/fail-b.mp3', 'https://media.example/c.mp3?duration=6'];
    const [output] = await run(
      { operation: 'transcribeUrls', mediaUrls: urls.join('\n'), mode: 'poll', output: 'text', options: fastPolling },
      { continueOnFail: true },
    ).output;
    expect(output.map((item) => item.json.media_url)).toEqual(urls);
    expect(output[1].json).toMatchObject({ state: 'FAILURE', error_type: 'TaskFailedError' });
    expect(typeof output[0].json.text).toBe('string');
    expect(typeof output[2].json.text).toBe('string');
    expect(output.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
    // Without continue on fail the failure fails the item, as any error does.
    await expect(
      run({ operation: 'transcribeUrls', mediaUrls: urls.join('\n'), mode: 'poll', options: fastPolling }).output,
    ).rejects.toThrow(/FAILURE/);
  });

  it('Poll Until Done gives up at its timeout with advice, and stops when the execution is cancelled', async () => {
    const taskId = await submit(episode);
    sandbox.configure({ taskDelayMs: 60_000 });
    try {
      const slow = await submit('https://media.example/slow.mp3');
      const timedOut = await failure(
        run({ operation: 'checkStatus', taskIds: slow, checkMode: 'poll', options: { ...fastPolling, timeout: 0.005 } }).output,
      );
      expect(timedOut).toBeInstanceOf(NodeOperationError);
      expect(timedOut.description).toMatch(/Check Status/);

      const controller = new AbortController();
      const cancelled = run(
        { operation: 'checkStatus', taskIds: slow, checkMode: 'poll', options: fastPolling },
        { signal: controller.signal },
      ).output;
      controller.abort();
      const error = await failure(cancelled);
      expect(error.message).toBe('The execution was cancelled');
    } finally {
      sandbox.configure({ taskDelayMs: 150 });
    }
    expect(taskId).toBeTruthy();
  });
});

describe('Upload File', () => {
  it('uploads a binary held in memory and returns its transcript', async () => {
    const items = [{ json: {}, binary: { data: memoryBinary(wav(16000, 6), 'interview.wav', 'audio/wav') } }];
    const [output] = await run({ operation: 'uploadFile', binaryPropertyName: 'data', output: 'file' }, { items }).output;
    expect(output).toHaveLength(1);
    expect(output[0].json.file_name).toBe('interview.wav');
    expect(output[0].json.duration_seconds).toBe(6);
    expect(String(output[0].json.media_url)).toMatch(/interview\.wav$/);
  });

  it('streams a binary n8n keeps on disk, and sends a Telegram voice note (.oga, octet-stream) as Ogg audio', async () => {
    const voice = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(64 * 1024, 7)]);
    const items = [{ json: {}, binary: { voice: diskBinary(binaryDir, voice, 'file_42.oga', 'application/octet-stream') } }];
    const before = sandbox.log.length;
    // The fake refuses to read a binary kept on disk into memory: the bytes must come from its stream.
    const { fake, output: running } = run({ operation: 'uploadFile', binaryPropertyName: 'voice', output: 'text' }, { items });
    const [output] = await running;
    expect(fake.binaryStreams).toEqual([items[0].binary.voice.id]);
    expect(String(output[0].json.media_url)).toMatch(/file_42\.ogg$/);
    const upload = sandbox.log.slice(before).find((entry) => entry.path === '/api/transcribe_files/');
    expect(upload?.status).toBe(200);
    expect(upload?.contentType).toMatch(/^multipart\/form-data/);
    expect(upload?.bytes).toBeGreaterThan(voice.length);
    // n8n's axios keeps a followed request's whole body in memory to resend it: never followed.
    expect(fake.requests.map((request) => request.options.disableFollowRedirect)).toEqual([true]);
  });

  it('uploads a WAV with no file name sent as application/octet-stream, recognised from its first bytes', async () => {
    const audio = wav(16000, 5);
    const nameless = { data: audio.toString('base64'), mimeType: 'application/octet-stream' };
    const onDisk = { ...diskBinary(binaryDir, audio, 'x', 'application/octet-stream'), fileName: undefined, fileExtension: undefined };
    for (const binary of [nameless, onDisk]) {
      const items = [{ json: {}, binary: { data: binary } }];
      const [output] = await run({ operation: 'uploadFile', binaryPropertyName: 'data', output: 'file' }, { items }).output;
      expect(output).toHaveLength(1);
      // The sandbox reads the length from the WAV header: the bytes arrived as audio/wav.
      expect(output[0].json.duration_seconds).toBe(5);
      expect(String(output[0].json.media_url)).toMatch(/\.wav$/);
    }
  });

  it('keeps the name the user gave as file_name, and refuses a file that is not media naming the binary field', async () => {
    const items = [{ json: {}, binary: { data: memoryBinary(wav(16000, 3), 'blob', 'application/octet-stream') } }];
    const [[item]] = await run(
      { operation: 'uploadFile', binaryPropertyName: 'data', output: 'text', options: { fileName: 'meeting notes' } },
      { items },
    ).output;
    expect(item.json.file_name).toBe('meeting notes');

    const pdf = [{ json: {}, binary: { attachment: memoryBinary(Buffer.from('%PDF-1.7 …'), 'notes.pdf', 'application/pdf') } }];
    const error = await failure(run({ operation: 'uploadFile', binaryPropertyName: 'attachment' }, { items: pdf }).output);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.message).toMatch(/^Invalid attachment: found a file of type application\/pdf/);
    const [[errorItem]] = await run({ operation: 'uploadFile', binaryPropertyName: 'attachment' }, { items: pdf, continueOnFail: true })
      .output;
    expect(errorItem.json).toMatchObject({ field: 'attachment', error_type: 'BadInputError' });
  });

  it('says which binary field is missing', async () => {
    const error = await failure(run({ operation: 'uploadFile', binaryPropertyName: 'audio' }, { items: [{ json: {} }] }).output);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.message).toMatch(/'audio'/);
  });
});

describe('Live Stream', () => {
  it('streams a 44.1 kHz stereo WAV (converted) and returns its segments in the file shape', async () => {
    const items = [{ json: {}, binary: { data: memoryBinary(wav(44100, 3, 2), 'voice.wav', 'audio/wav') } }];
    const [output] = await run({ operation: 'liveStream', binaryPropertyName: 'data', output: 'file' }, { items }).output;
    expect(output).toHaveLength(1);
    const file = output[0].json;
    expect(file.media_url).toBe('voice.wav');
    expect((file.segments as IDataObject[]).length).toBeGreaterThan(0);
    expect(typeof file.text).toBe('string');
    expect(file.frames).toBeGreaterThanOrEqual(3);
  });

  it('streams a Telegram voice note (OGG/Opus) as 16 kHz mono 16-bit frames', async () => {
    const note = fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'audio', 'voice-note.ogg'));
    const items = [{ json: {}, binary: { data: memoryBinary(note, 'voice.oga', 'audio/ogg') } }];
    const before = sandbox.liveSessions.length;
    const [[item]] = await run({ operation: 'liveStream', binaryPropertyName: 'data', output: 'file' }, { items }).output;
    expect(item.json.media_url).toBe('voice.oga');
    const session = sandbox.liveSessions[before];
    expect(session.header).toEqual({ audioFormat: 'pcm', sampleRate: 16000, channels: 1, bitsPerSample: 16 });
    expect(Math.abs(session.audioBytes - 96000)).toBeLessThanOrEqual(64);
  });

  it('continue on fail: a stream that breaks off becomes an error item keeping the segments received; a lying header costs nothing', async () => {
    sandbox.faults.add({ type: 'ws-close', afterFrames: 11 });
    const sessionsBefore = sandbox.liveSessions.length;
    const items = [
      { json: {}, binary: { data: memoryBinary(wav(16000, 14), 'long.wav', 'audio/wav') } },
      { json: {}, binary: { data: memoryBinary(hostileWav(LYING_RATE), 'liar.wav', 'audio/wav') } },
    ];
    const [output] = await run({ operation: 'liveStream', binaryPropertyName: 'data', output: 'file' }, { items, continueOnFail: true })
      .output;
    expect(output).toHaveLength(2);
    expect(output[0].json).toMatchObject({ error_type: 'StreamClosedError' });
    expect((output[0].json.segments as IDataObject[]).map((segment) => segment.segment_id)).toEqual([1, 2]);
    expect(output[1].json).toMatchObject({ error_type: 'BadInputError' });
    expect(output[1].json.error).toMatch(/sample rate of 787288968 Hz/);
    // Only the first item opened a connection.
    expect(sandbox.liveSessions.length - sessionsBefore).toBe(1);
  });
});

describe('Align Text', () => {
  const text = 'سخن را سر از ای خردمند و بن';
  it('returns word segments with times in seconds, one item or one per word', async () => {
    const url = 'https://media.example/reading.mp3?duration=10';
    const [[aligned]] = await run({ operation: 'alignText', mediaUrl: url, text, output: 'file' }).output;
    const segments = aligned.json.segments as IDataObject[];
    expect(segments).toHaveLength(text.split(' ').length);
    expect(typeof segments[0].start_seconds).toBe('number');

    const [words] = await run({ operation: 'alignText', mediaUrl: url, text, output: 'segment', options: { subtitles: ['srt'] } }).output;
    expect(words.map((item) => item.json.text)).toEqual(text.split(' '));
    expect(words[0].json.media_url).toBe(url);
    // Each word is a segment entry as transcripts have it, with a link to its spot in the media.
    words.forEach((item, index) => {
      expect(item.json).toMatchObject({ segment_index: index, start: segments[index].start, uncertain_words: [] });
      expect(item.json.media_fragment).toBe(`${url}#t=${item.json.start_seconds},${item.json.end_seconds}`);
    });
    expect(words[0].binary?.srt?.fileName).toBe('reading.srt');
  });

  it('refuses empty text with the field named', async () => {
    const error = await failure(run({ operation: 'alignText', mediaUrl: 'https://media.example/r.mp3', text: ' ' }).output);
    expect(error.message).toMatch(/Invalid Text: found an empty string/);
  });
});
