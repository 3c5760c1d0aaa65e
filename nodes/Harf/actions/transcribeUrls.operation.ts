import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { sleepWithAbort, updateDisplayOptions } from 'n8n-workflow';

import type { HarfClient } from '../../../lib/harf/client';
import type { TaskReference } from '../../../lib/harf/input';
import type { WaitOptions } from '../../../lib/harf/types';
import { checkSetting, inputFailure, pollTasks, SETTINGS, taskFields, waitOptionsOf, type OutputOptions, type TaskEnd } from '../../../lib/jobs';
import { harfClient } from '../shared/client';
import { maxRetryAfterOption, mediaUrlsProperty, outputProperty, pollingOptions, transcriptOptions } from '../shared/descriptions';
import { errorItemJson, toNodeError } from '../shared/errors';
import { parseMediaUrls } from '../shared/params';
import { readTranscriptOptions, transcriptItems, type OperationResult } from '../shared/transcriptItems';

export type TranscribeMode = 'wait' | 'submit' | 'poll';

const properties: INodeProperties[] = [
  mediaUrlsProperty,
  {
    displayName: 'Mode',
    name: 'mode',
    type: 'options',
    noDataExpression: true,
    default: 'poll',
    options: [
      {
        name: 'Submit and Poll',
        value: 'poll',
        description:
          'Submit the URLs, then check until every transcript is done. Best for long media: a long request would be cut off by proxies.',
      },
      {
        name: 'Wait for Result',
        value: 'wait',
        description: 'One request that returns when the transcripts are ready. Fine for short media.',
      },
      {
        name: 'Submit Only',
        value: 'submit',
        description:
          'Return one item per URL with its task_id at once, for flows that check later with Check Status (e.g. after a Wait node)',
      },
    ],
  },
  {
    ...outputProperty,
    displayOptions: { show: { mode: ['poll', 'wait'] } },
  },
  {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    displayOptions: { show: { mode: ['poll', 'wait'] } },
    options: [
      ...transcriptOptions,
      ...pollingOptions.map((option) => ({ ...option, displayOptions: { show: { '/mode': ['poll'] } } })),
      maxRetryAfterOption,
    ],
  },
];

export const description = updateDisplayOptions({ show: { operation: ['transcribeUrls'] } }, properties);

/** The polling options of one item, in the units lib/ takes; lib checks each against its limits. */
export function readWaitOptions(context: IExecuteFunctions, itemIndex: number): WaitOptions {
  const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
  const { polling } = SETTINGS;
  return {
    ...waitOptionsOf({
      intervalSeconds: checkSetting(polling.interval, options.pollInterval, 'Poll Interval (Seconds)'),
      backoffFactor: checkSetting(polling.backoff, options.backoffFactor, 'Backoff Factor'),
      maxIntervalSeconds: checkSetting(polling.maxInterval, options.maxPollInterval, 'Longest Poll Interval (Seconds)'),
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
      result.main.push({
        json: { ...errorItemJson(nodeError, end.error), ...taskFields(end.task), ...state },
        pairedItem: { item: itemIndex },
      });
    } else if (end.kind === 'done') {
      const fields = withState ? { task_id: end.task.task_id, state: end.state } : { task_id: end.task.task_id };
      const items = await transcriptItems(context, itemIndex, end.results, transcript, fields);
      result.main.push(...items.main);
      result.review.push(...items.review);
    } else {
      // Still running, failed or dropped: the state is data a Wait loop or an If node routes on.
      result.main.push({ json: { task_id: end.task.task_id, state: end.state }, pairedItem: { item: itemIndex } });
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

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const urls = parseMediaUrls(this.getNodeParameter('mediaUrls', itemIndex));
  const mode = this.getNodeParameter('mode', itemIndex, 'poll') as TranscribeMode;
  const client = await harfClient(this, itemIndex);
  const signal = this.getExecutionCancelSignal();

  if (mode === 'submit') {
    const tasks = await client.submitUrls(urls, { signal });
    const main: INodeExecutionData[] = tasks.map((task) => ({
      json: { task_id: task.task_id, media_url: task.media_url, state: 'PENDING' },
      pairedItem: { item: itemIndex },
    }));
    return { main, review: [] };
  }

  const transcript = readTranscriptOptions(this, itemIndex, 'harf');
  if (mode === 'wait') {
    const results = await client.transcribeUrls(urls, { signal });
    return await transcriptItems(this, itemIndex, results, transcript);
  }

  const tasks = await client.submitUrls(urls, { signal });
  return await pollTaskItems(this, itemIndex, client, tasks, transcript);
}
