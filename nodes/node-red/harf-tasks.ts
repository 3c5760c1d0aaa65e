/** Polling Harf tasks until they end and sending their transcripts: transcribe-urls and check-status share it. */
import { AbortedError } from '../../lib/errors';
import type { HarfClient } from '../../lib/harf/client';
import type { HarfFileResult, WaitOptions } from '../../lib/harf/types';
import {
  messageBase,
  numberSetting,
  sendShaped,
  shapeMessages,
  statusBadge,
  type OutputOptions,
  type TaskReference,
} from './common';
import type { NodeAPI, NodeDefinition, NodeMessage, NodeRedNode, SendFunction } from './types';

export type PollSettings = Required<Pick<WaitOptions, 'intervalMs' | 'backoffFactor' | 'maxIntervalMs' | 'timeoutMs'>>;

/** `interval` (seconds), `backoff` (factor) and `timeout` (minutes) as the editor saves them. */
export function readPollSettings(definition: NodeDefinition): PollSettings {
  const intervalMs = numberSetting(definition.interval, 2, 0.01, 3600) * 1000;
  return {
    intervalMs,
    backoffFactor: numberSetting(definition.backoff, 1.5, 1, 10),
    maxIntervalMs: Math.max(intervalMs, 30_000),
    timeoutMs: numberSetting(definition.timeout, 30, 0.01, 24 * 60) * 60_000,
  };
}

/**
 * Waits for every task, then sends the transcripts of those that succeeded (each message with its
 * `task_id`). A task that failed, timed out or could not be checked is reported to catch nodes
 * with its own msg (`task_id`, `media_url`); when every task failed, the first failure is thrown.
 */
export async function pollAndSend(
  RED: NodeAPI,
  node: NodeRedNode,
  client: HarfClient,
  msg: NodeMessage,
  tasks: TaskReference[],
  settings: PollSettings,
  output: OutputOptions,
  signal: AbortSignal,
  send: SendFunction,
): Promise<void> {
  const mediaUrls = new Map(tasks.map((task) => [task.task_id, task.media_url]));
  node.status(statusBadge.working(`polling 0/${tasks.length}`));
  const outcomes = await client.waitForTasks(
    tasks.map((task) => task.task_id),
    {
      ...settings,
      signal,
      onProgress: (progress) => {
        if (!signal.aborted) node.status(statusBadge.working(`polling ${progress.total - progress.pending}/${progress.total}`));
      },
    },
  );
  if (signal.aborted) throw new AbortedError();

  const files: HarfFileResult[] = [];
  const taskOfFile: string[] = [];
  const failures: Array<{ taskId: string; error: Error }> = [];
  for (const outcome of outcomes) {
    if (outcome.results) {
      for (const file of outcome.results) {
        files.push(file);
        taskOfFile.push(outcome.task_id);
      }
    } else {
      failures.push({ taskId: outcome.task_id, error: outcome.error ?? new Error(`Task ${outcome.task_id} ended as ${outcome.state}`) });
    }
  }
  if (failures.length === outcomes.length && failures.length > 0) {
    for (const failure of failures.slice(1)) node.error(failure.error, failureMessage(RED, msg, failure.taskId, mediaUrls));
    throw failures[0].error;
  }
  for (const failure of failures) node.error(failure.error, failureMessage(RED, msg, failure.taskId, mediaUrls));

  const shaped = shapeMessages(RED, msg, files, output, (index) => ({ task_id: taskOfFile[index] }));
  sendShaped(send, shaped, output.splitUncertain);
  node.status(
    failures.length === 0
      ? statusBadge.done()
      : statusBadge.waiting(`done, ${failures.length} of ${outcomes.length} failed`),
  );
}

function failureMessage(RED: NodeAPI, msg: NodeMessage, taskId: string, mediaUrls: Map<string, string | undefined>): NodeMessage {
  const out: NodeMessage = { ...messageBase(RED, msg), payload: msg.payload, task_id: taskId };
  const mediaUrl = mediaUrls.get(taskId);
  if (mediaUrl) out.media_url = mediaUrl;
  return out;
}
