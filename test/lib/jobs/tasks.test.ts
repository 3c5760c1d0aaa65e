import { startSandbox } from '../../../sandbox';
import { RequestRejectedError, TaskFailedError, TaskTimedOutError } from '../../../lib/errors';
import { HarfClient } from '../../../lib/harf/client';
import {
  checkTasksOnce,
  doneTranscripts,
  failedTasks,
  inputFailure,
  pendingTasks,
  pollTasks,
  taskCounts,
  taskFields,
} from '../../../lib/jobs';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;
let client: HarfClient;
const fast = { intervalMs: 20, backoffFactor: 1, maxIntervalMs: 20, timeoutMs: 10_000 };
const OK = 'https://media.example/ok.mp3?duration=12';
const FAIL = 'https://media.example/fail.mp3';
const TIMEOUT = 'https://media.example/timeout.mp3';

beforeAll(async () => {
  sandbox = await startSandbox({ taskDelayMs: 100, processingDelayMs: 0 });
  client = new HarfClient({ token: sandbox.token, baseUrl: sandbox.url, retry: { retries: 0 } });
});
afterAll(async () => {
  client.close();
  await sandbox.close();
});
beforeEach(() => sandbox.faults.clear());

describe('pollTasks', () => {
  it('ends each task in one place, in order, paired with its media URL', async () => {
    const tasks = await client.submitUrls([OK, FAIL, TIMEOUT]);
    const ends = await pollTasks(client, tasks, fast);
    expect(ends.map((end) => [end.kind, end.state, end.task.media_url])).toEqual([
      ['done', 'SUCCESS', OK],
      ['failed', 'FAILURE', FAIL],
      ['failed', 'TIMEOUT', TIMEOUT],
    ]);
    const [failure, timeout] = failedTasks(ends);
    expect(failure.error).toBeInstanceOf(TaskFailedError);
    expect(timeout.error).toBeInstanceOf(TaskTimedOutError);
    expect(taskFields(failure.task)).toEqual({ task_id: tasks[1].task_id, media_url: FAIL });
    expect(taskCounts(ends)).toEqual({ total: 3, done: 1, pending: 0, failed: 2 });

    const transcripts = doneTranscripts(ends);
    expect(transcripts).toHaveLength(1);
    expect(transcripts[0].fields).toEqual({ task_id: tasks[0].task_id });
    expect(transcripts[0].result.media_url).toBe(OK);
    expect(doneTranscripts(ends, { withState: true })[0].fields).toEqual({ task_id: tasks[0].task_id, state: 'SUCCESS' });
  });

  it('fails the input at the first failure, or only when every task failed', async () => {
    const mixed = await pollTasks(client, await client.submitUrls([OK, FAIL]), fast);
    expect(inputFailure(mixed, 'first')?.task.media_url).toBe(FAIL);
    expect(inputFailure(mixed, 'all')).toBeUndefined();

    const allFailed = await pollTasks(client, await client.submitUrls([FAIL, TIMEOUT]), fast);
    expect(inputFailure(allFailed, 'all')?.task.media_url).toBe(FAIL);

    const allDone = await pollTasks(client, await client.submitUrls([OK]), fast);
    expect(inputFailure(allDone, 'first')).toBeUndefined();
  });
});

describe('checkTasksOnce', () => {
  it('says a task is pending until it is done, and pairs the pending task with its URL', async () => {
    sandbox.configure({ taskDelayMs: 60_000 });
    const slow = await client.submitUrls([OK]);
    sandbox.configure({ taskDelayMs: 100 });
    const early = await checkTasksOnce(client, slow);
    expect(early.map((end) => end.kind)).toEqual(['pending']);
    expect(pendingTasks(early)).toEqual([{ task_id: slow[0].task_id, media_url: OK }]);
    const quick = await client.submitUrls([OK]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const later = await checkTasksOnce(client, quick);
    expect(later.map((end) => end.kind)).toEqual(['done']);
  });

  it('gives FAILURE and TIMEOUT as errors, or as states when asked for data', async () => {
    const tasks = await client.submitUrls([FAIL, TIMEOUT]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const asErrors = await checkTasksOnce(client, tasks);
    expect(asErrors.map((end) => [end.kind, end.state])).toEqual([
      ['failed', 'FAILURE'],
      ['failed', 'TIMEOUT'],
    ]);
    expect(failedTasks(asErrors)[0].error).toBeInstanceOf(TaskFailedError);
    const asData = await checkTasksOnce(client, tasks, { statesAsData: true });
    expect(asData.map((end) => [end.kind, end.state])).toEqual([
      ['ended', 'FAILURE'],
      ['ended', 'TIMEOUT'],
    ]);
    expect(inputFailure(asData, 'first')).toBeUndefined();
  });

  it('gives a task whose check was refused its own error and no state', async () => {
    const tasks = await client.submitUrls([OK]);
    sandbox.faults.add({ type: 'status', status: 400, path: '/api/transcribe_files/' });
    const ends = await checkTasksOnce(client, tasks, { statesAsData: true });
    expect(ends).toHaveLength(1);
    const [end] = ends;
    expect(end.kind).toBe('failed');
    expect(end.state).toBeUndefined();
    expect(end.kind === 'failed' && end.error).toBeInstanceOf(RequestRejectedError);
    expect(inputFailure(ends, 'all')).toBe(end);
  });
});
