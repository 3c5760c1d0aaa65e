import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { harfClient } from '../shared/client';
import { outputProperty, maxRetryAfterOption, pollingOptions, transcriptOptions } from '../shared/descriptions';
import { errorItemJson, toNodeError } from '../shared/errors';
import { readTranscriptOptions, transcriptItems, type OperationResult } from '../shared/output';
import { parseTaskIds } from '../shared/params';
import { pollTaskItems } from './transcribeUrls.operation';

export type CheckMode = 'poll' | 'once';

const properties: INodeProperties[] = [
  {
    displayName: 'Task IDs',
    name: 'taskIds',
    type: 'string',
    default: '={{ $json.task_id }}',
    required: true,
    placeholder: 'e.g. 6f1c2a9e-…',
    description:
      'Ids of tasks returned by Transcribe URLs in Submit Only mode, separated by commas or new lines, or an expression that gives an array of ids',
  },
  {
    displayName: 'Mode',
    name: 'checkMode',
    type: 'options',
    noDataExpression: true,
    default: 'poll',
    options: [
      {
        name: 'Poll Until Done',
        value: 'poll',
        description: 'Check again, with growing pauses, until every task has its transcript',
      },
      {
        name: 'Check Once',
        value: 'once',
        description:
          'Ask once and return the state as data (PENDING, FAILURE, TIMEOUT, or SUCCESS with the transcript), for loops with a Wait node',
      },
    ],
  },
  outputProperty,
  {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    options: [
      ...transcriptOptions,
      ...pollingOptions.map((option) => ({ ...option, displayOptions: { show: { '/checkMode': ['poll'] } } })),
      maxRetryAfterOption,
    ],
  },
];

export const description = updateDisplayOptions({ show: { operation: ['checkStatus'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const taskIds = parseTaskIds(this.getNodeParameter('taskIds', itemIndex));
  const mode = this.getNodeParameter('checkMode', itemIndex, 'poll') as CheckMode;
  const transcript = readTranscriptOptions(this, itemIndex);
  const client = await harfClient(this, itemIndex);
  const result: OperationResult = { main: [], review: [] };

  if (mode === 'once') {
    // Every task asked once, a few at a time; a request that failed is that task's own error.
    const statuses = await client.checkTasks(taskIds, { signal: this.getExecutionCancelSignal() });
    const failed = statuses.find((status) => status.error);
    if (failed?.error && !this.continueOnFail()) throw failed.error;
    for (const status of statuses) {
      if (status.error) {
        // The state is unknown when the question was not answered: no state, so a Wait loop cannot mistake it for PENDING.
        const nodeError = toNodeError(this.getNode(), status.error, itemIndex, 'harf');
        result.main.push({
          json: { ...errorItemJson(nodeError, status.error), task_id: status.task_id },
          pairedItem: { item: itemIndex },
        });
      } else if (status.state === 'SUCCESS' && status.results) {
        const items = await transcriptItems(this, itemIndex, status.results, transcript, {
          task_id: status.task_id,
          state: status.state,
        });
        result.main.push(...items.main);
        result.review.push(...items.review);
      } else {
        // Still running, failed or dropped: the state is data a Wait loop or an If node routes on.
        result.main.push({ json: { task_id: status.task_id, state: status.state }, pairedItem: { item: itemIndex } });
      }
    }
    return result;
  }

  return await pollTaskItems(
    this,
    itemIndex,
    client,
    taskIds.map((task_id) => ({ task_id })),
    transcript,
  );
}
