/** n8n items for Harf tasks that ended: Transcribe URLs (Submit and Poll) and Check Status share them. */
import type { IExecuteFunctions } from 'n8n-workflow';
import { sleepWithAbort } from 'n8n-workflow';

import type { HarfClient } from '../../../lib/harf';
import type { TaskReference } from '../../../lib/harf/input';
import type { WaitOptions } from '../../../lib/harf/types';
import {
  checkSetting,
  doneTranscripts,
  inputFailure,
  pollTasks,
  SETTINGS,
  taskFields,
  transcriptOutputs,
  waitOptionsOf,
  type OutputOptions,
  type TaskEnd,
} from '../../../lib/jobs';
import { errorItemJson, failedItem, toNodeError } from '../../shared/errors';
import { readOptions } from '../../shared/params';
import { outputItems, type OperationResult } from '../../shared/transcriptItems';

/** The polling options of one item, in the units lib/ takes; lib checks each against its limits. */
export function readWaitOptions(context: IExecuteFunctions, itemIndex: number): WaitOptions {
  const options = readOptions(context, itemIndex);
  const { polling } = SETTINGS;
  return {
    ...waitOptionsOf({
      intervalSeconds: checkSetting(polling.interval, options.pollInterval, 'Poll Interval (Seconds)'),
      backoffFactor: checkSetting(polling.backoff, options.backoffFactor, 'Backoff Factor'),
      maxIntervalSeconds: checkSetting(polling.maxInterval, options.maxPollInterval, 'Max Interval (Seconds)'),
      timeoutMinutes: checkSetting(polling.timeout, options.timeout, 'Timeout (Minutes)'),
    }),
    signal: context.getExecutionCancelSignal(),
    sleep: sleepWithAbort,
  };
}

/**
 * Items for tasks that ended, in the order of the tasks. A task that failed becomes an error item
 * beside the finished transcripts when the node continues on fail (one failed file of a feed must
 * not drop the others); otherwise its error fails the item, as any error does.
 */
export async function taskItems(
  context: IExecuteFunctions,
  itemIndex: number,
  ends: TaskEnd[],
  transcript: OutputOptions,
  withState: boolean,
): Promise<OperationResult> {
  const ending = inputFailure(ends, 'first');
  if (ending && !context.continueOnFail()) throw ending.error;
  const result: OperationResult = { main: [], review: [] };
  for (const end of ends) {
    if (end.kind === 'failed') {
      const nodeError = toNodeError(context.getNode(), end.error, itemIndex, 'harf');
      // No state when the question was not answered: a Wait loop cannot mistake it for PENDING.
      const state = end.state === undefined ? {} : { state: end.state };
      const json = { ...taskFields(end.task), ...errorItemJson(nodeError, end.error), ...state };
      result.main.push(failedItem(context, nodeError, json, itemIndex));
    } else if (end.kind === 'done') {
      const items = await outputItems(context, itemIndex, transcriptOutputs(doneTranscripts([end], { withState }), transcript));
      result.main.push(...items.main);
      result.review.push(...items.review);
    } else {
      // Still running, failed or dropped: the state is data a Wait loop or an If node routes on.
      result.main.push({ json: { ...taskFields(end.task), state: end.state }, pairedItem: { item: itemIndex } });
    }
  }
  return result;
}

/** Waits for an item's tasks and turns each into items (see taskItems). */
export async function pollTaskItems(
  context: IExecuteFunctions,
  itemIndex: number,
  client: HarfClient,
  tasks: TaskReference[],
  transcript: OutputOptions,
): Promise<OperationResult> {
  const ends = await pollTasks(client, tasks, readWaitOptions(context, itemIndex));
  return await taskItems(context, itemIndex, ends, transcript, false);
}
