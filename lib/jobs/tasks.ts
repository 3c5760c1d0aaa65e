/**
 * Following Harf tasks to their end, for every runtime: each task ends in exactly one place (done,
 * still pending, ended as a state, or failed with its error), paired with the media URL it
 * transcribes, and one task's failure never drops the others' transcripts.
 */
import { AbortedError, TaskFailedError, TaskTimedOutError } from '../errors';
import { DEFAULT_POLLING, type HarfClient } from '../harf/client';
import type { TaskReference } from '../harf/input';
import type { HarfFileResult, SubmittedTask, TaskState, WaitOptions } from '../harf/types';
import type { TranscriptToShape } from './transcripts';

/** Where one task ended up, in the order the tasks were given. */
export type TaskEnd =
  | { kind: 'done'; task: TaskReference; state: 'SUCCESS'; results: HarfFileResult[] }
  | { kind: 'pending'; task: TaskReference; state: 'PENDING' }
  /** FAILURE or TIMEOUT reported as data (Check Once in n8n, which a Wait loop routes on). */
  | { kind: 'ended'; task: TaskReference; state: 'FAILURE' | 'TIMEOUT' }
  /** `state`: the last state the service gave; none when the question itself went unanswered. */
  | { kind: 'failed'; task: TaskReference; state?: TaskState; error: Error };

export type FailedTask = Extract<TaskEnd, { kind: 'failed' }>;

/** Polls every task until it ends (lib's waitForTasks) and says where each ended. */
export async function pollTasks(client: HarfClient, tasks: TaskReference[], options: WaitOptions): Promise<TaskEnd[]> {
  const outcomes = await client.waitForTasks(
    tasks.map((task) => task.task_id),
    options,
  );
  if (options.signal?.aborted) throw new AbortedError();
  return outcomes.map((outcome, index): TaskEnd => {
    const task = tasks[index];
    if (outcome.results && !outcome.error) return { kind: 'done', task, state: 'SUCCESS', results: outcome.results };
    return {
      kind: 'failed',
      task,
      state: outcome.state,
      error: outcome.error ?? new Error(`Task ${outcome.task_id} ended as ${outcome.state}`),
    };
  });
}

export interface CheckOnceOptions {
  signal?: AbortSignal;
  concurrency?: number;
  /** FAILURE and TIMEOUT come back as `ended` states instead of failures with an error. */
  statesAsData?: boolean;
}

/** Asks once about every task (one request per task, a few at a time) and says where each stands. */
export async function checkTasksOnce(client: HarfClient, tasks: TaskReference[], options: CheckOnceOptions = {}): Promise<TaskEnd[]> {
  const statuses = await client.checkTasks(
    tasks.map((task) => task.task_id),
    { signal: options.signal, concurrency: options.concurrency ?? DEFAULT_POLLING.concurrency },
  );
  return statuses.map((status, index): TaskEnd => {
    const task = tasks[index];
    // A task whose check failed is its own failure, its state unknown: never mistaken for PENDING.
    if (status.error) return { kind: 'failed', task, error: status.error };
    if (status.state === 'SUCCESS') return { kind: 'done', task, state: 'SUCCESS', results: status.results ?? [] };
    if (status.state === 'PENDING') return { kind: 'pending', task, state: 'PENDING' };
    if (options.statesAsData) return { kind: 'ended', task, state: status.state };
    const error =
      status.state === 'FAILURE'
        ? new TaskFailedError(task.task_id, { service: 'harf' })
        : new TaskTimedOutError(task.task_id, { service: 'harf' });
    return { kind: 'failed', task, state: status.state, error };
  });
}

export function failedTasks(ends: TaskEnd[]): FailedTask[] {
  return ends.filter((end): end is FailedTask => end.kind === 'failed');
}

export function pendingTasks(ends: TaskEnd[]): TaskReference[] {
  return ends.filter((end) => end.kind === 'pending').map((end) => end.task);
}

/** The task's id and, when known, the media URL it transcribes: what every message about it carries. */
export function taskFields(task: TaskReference): { task_id: string; media_url?: string } {
  return task.media_url ? { task_id: task.task_id, media_url: task.media_url } : { task_id: task.task_id };
}

/** The tasks a submission started, as submit mode gives them: `{task_id, media_url, state: 'PENDING'}` each. */
export function submittedTasks(tasks: SubmittedTask[]): Array<SubmittedTask & { state: 'PENDING' }> {
  return tasks.map((task) => ({ task_id: task.task_id, media_url: task.media_url, state: 'PENDING' }));
}

/**
 * The transcripts of the tasks that are done, each file paired with its task id (and with the
 * state, for answers that report states).
 */
export function doneTranscripts(ends: TaskEnd[], options: { withState?: boolean } = {}): TranscriptToShape[] {
  return ends.flatMap((end) =>
    end.kind === 'done'
      ? end.results.map((result) => ({
          result,
          fields: options.withState ? { task_id: end.task.task_id, state: end.state } : { task_id: end.task.task_id },
        }))
      : [],
  );
}

/**
 * When a failed task fails the whole input. Each failed task is reported on its own (an n8n error
 * item, a Node-RED catch node) and the others go on; the input itself fails
 * - `first`: at the first failed task (n8n without Continue On Fail, where an error fails the item);
 * - `all`: only when every task failed (Node-RED, where catch nodes get the others).
 * Returns the failure that ends the input, or undefined.
 */
export function inputFailure(ends: TaskEnd[], policy: 'first' | 'all'): FailedTask | undefined {
  const failed = failedTasks(ends);
  if (failed.length === 0) return undefined;
  if (policy === 'first' || failed.length === ends.length) return failed[0];
  return undefined;
}

/** A status line's counts: how many tasks are done, pending and failed (ended states count as failed). */
export function taskCounts(ends: TaskEnd[]): { total: number; done: number; pending: number; failed: number } {
  const count = (kinds: TaskEnd['kind'][]) => ends.filter((end) => kinds.includes(end.kind)).length;
  return { total: ends.length, done: count(['done']), pending: count(['pending']), failed: count(['failed', 'ended']) };
}
