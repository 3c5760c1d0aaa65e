import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { sleepWithAbort, updateDisplayOptions } from 'n8n-workflow';

import type { HarfClient } from '../../../lib/harf/client';
import type { WaitOptions } from '../../../lib/harf/types';
import { harfClient } from '../shared/client';
import { outputProperty, POLLING_DEFAULTS, maxRetryAfterOption, pollingOptions, transcriptOptions } from '../shared/descriptions';
import { errorItemJson, toNodeError } from '../shared/errors';
import { readTranscriptOptions, transcriptItems, type OperationResult, type TranscriptOptions } from '../shared/output';
import { parseMediaUrls, positiveNumber } from '../shared/params';

export type TranscribeMode = 'wait' | 'submit' | 'poll';

const properties: INodeProperties[] = [
  {
    displayName: 'Media URLs',
    name: 'mediaUrls',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'e.g. https://example.com/episode-12.mp3',
    typeOptions: { rows: 3 },
    description:
      'Public URLs of audio or video files, separated by commas or new lines, or an expression that gives an array of URLs',
  },
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

/** The polling options of one item, in the units lib/ takes. */
export function readWaitOptions(context: IExecuteFunctions, itemIndex: number): WaitOptions {
  const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
  return {
    intervalMs: positiveNumber(options.pollInterval, 'Poll Interval (Seconds)', POLLING_DEFAULTS.pollInterval) * 1000,
    backoffFactor: Math.max(1, positiveNumber(options.backoffFactor, 'Backoff Factor', POLLING_DEFAULTS.backoffFactor)),
    maxIntervalMs:
      positiveNumber(options.maxPollInterval, 'Longest Poll Interval (Seconds)', POLLING_DEFAULTS.maxPollInterval) * 1000,
    timeoutMs: positiveNumber(options.timeout, 'Timeout (Minutes)', POLLING_DEFAULTS.timeout) * 60_000,
    signal: context.getExecutionCancelSignal(),
    sleep: sleepWithAbort,
  };
}

/**
 * Waits for an item's tasks and turns each into items. A task that failed becomes an error item
 * beside the finished transcripts when the node continues on fail (one failed file of a feed must
 * not drop the others); otherwise its error fails the item, as any error does.
 */
export async function pollTaskItems(
  context: IExecuteFunctions,
  itemIndex: number,
  client: HarfClient,
  tasks: Array<{ task_id: string; media_url?: string }>,
  transcript: TranscriptOptions,
): Promise<OperationResult> {
  const outcomes = await client.waitForTasks(
    tasks.map((task) => task.task_id),
    readWaitOptions(context, itemIndex),
  );
  const failed = outcomes.find((outcome) => outcome.error);
  if (failed?.error && !context.continueOnFail()) throw failed.error;
  const result: OperationResult = { main: [], review: [] };
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.error) {
      const nodeError = toNodeError(context.getNode(), outcome.error, itemIndex, 'harf');
      const mediaUrl = tasks[index].media_url;
      result.main.push({
        json: { ...errorItemJson(nodeError, outcome.error), task_id: outcome.task_id, state: outcome.state, ...(mediaUrl ? { media_url: mediaUrl } : {}) },
        pairedItem: { item: itemIndex },
      });
      continue;
    }
    const items = await transcriptItems(context, itemIndex, outcome.results ?? [], transcript, { task_id: outcome.task_id });
    result.main.push(...items.main);
    result.review.push(...items.review);
  }
  return result;
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

  const transcript = readTranscriptOptions(this, itemIndex);
  if (mode === 'wait') {
    const results = await client.transcribeUrls(urls, { signal });
    return await transcriptItems(this, itemIndex, results, transcript);
  }

  const tasks = await client.submitUrls(urls, { signal });
  return await pollTaskItems(this, itemIndex, client, tasks, transcript);
}
