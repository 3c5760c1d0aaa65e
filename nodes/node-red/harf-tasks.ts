/** Polling Harf tasks until they end and sending their transcripts: transcribe-urls and check-status share it. */
import type { HarfClient } from '../../lib/harf';
import {
  doneTranscripts,
  failedTasks,
  inputFailure,
  pollTasks,
  SETTINGS,
  settingOrDefault,
  taskCounts,
  taskFields,
  waitOptionsOf,
  type FailedTask,
  type OutputOptions,
  type TaskEnd,
} from '../../lib/jobs';
import type { TaskReference } from '../../lib/harf/input';
import { failureMessage, messageBase, sendShaped, shapeMessages, type StatusBadge } from './common';
import type { NodeAPI, NodeDefinition, NodeMessage, NodeRedNode, SendFunction } from './types';

export type PollSettings = ReturnType<typeof waitOptionsOf>;

/** `interval` (seconds), `backoff` (factor) and `timeout` (minutes) as the editor saves them. */
export function readPollSettings(definition: NodeDefinition): PollSettings {
  const { polling } = SETTINGS;
  return waitOptionsOf({
    intervalSeconds: settingOrDefault(polling.interval, definition.interval),
    backoffFactor: settingOrDefault(polling.backoff, definition.backoff),
    timeoutMinutes: settingOrDefault(polling.timeout, definition.timeout),
  });
}

/**
 * Reports each failed task to catch nodes with its own msg (`task_id`, `media_url`); when every
 * task failed, the first failure is thrown instead, so the input itself ends in error.
 */
export function reportFailures(RED: NodeAPI, node: NodeRedNode, msg: NodeMessage, ends: TaskEnd[]): FailedTask[] {
  const failed = failedTasks(ends);
  const ending = inputFailure(ends, 'all');
  for (const failure of failed) {
    if (failure !== ending) node.error(failure.error, failureMessage(failedTaskMessage(RED, msg, failure.task), failure.error));
  }
  if (ending) throw ending.error;
  return failed;
}

function failedTaskMessage(RED: NodeAPI, msg: NodeMessage, task: TaskReference): NodeMessage {
  return { ...messageBase(RED, msg), payload: msg.payload, ...taskFields(task) };
}

/**
 * Waits for every task, then sends the transcripts of those that succeeded (each message with its
 * `task_id`). A task that failed, timed out or could not be checked is reported to catch nodes
 * with its own msg (`task_id`, `media_url`); when every task failed, the first failure is thrown.
 */
export async function pollAndSend(
  RED: NodeAPI,
  node: NodeRedNode,
  status: StatusBadge,
  client: HarfClient,
  msg: NodeMessage,
  tasks: TaskReference[],
  settings: PollSettings,
  output: OutputOptions,
  signal: AbortSignal,
  send: SendFunction,
): Promise<void> {
  status.working('polling', { done: 0, total: tasks.length });
  const ends = await pollTasks(client, tasks, {
    ...settings,
    signal,
    onProgress: (progress) => {
      if (!signal.aborted) status.working('polling', { done: progress.total - progress.pending, total: progress.total });
    },
  });
  reportFailures(RED, node, msg, ends);
  const shaped = shapeMessages(RED, msg, doneTranscripts(ends), { ...output, service: 'harf' });
  sendShaped(send, shaped, output.splitUncertain);
  const counts = taskCounts(ends);
  if (counts.failed === 0) status.transcribed(shaped.files);
  else status.waiting('someFailed', { failed: counts.failed, total: counts.total });
}
