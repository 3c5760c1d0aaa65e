import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkTasksOnce } from '../../../lib/jobs';
import { harfClient } from '../transport/client';
import { maxRetryAfterOption, optionsCollection, outputProperty, transcriptOptions } from '../../shared/descriptions';
import { pollingOptions } from '../helpers/descriptions';
import { parseTaskIds } from '../helpers/params';
import { pollTaskItems, taskItems } from '../helpers/taskItems';
import { readTranscriptOptions, type OperationResult } from '../../shared/transcriptItems';

export type CheckMode = 'poll' | 'once';

const properties: INodeProperties[] = [
  {
    displayName: 'Task IDs',
    name: 'taskIds',
    type: 'string',
    default: '={{ $json.task_id }}',
    required: true,
    placeholder: 'e.g. 6f1c2a9e-…',
    typeOptions: { rows: 2 },
    description:
      'IDs of tasks returned by Transcribe URLs in Submit Only mode, separated by commas or new lines, or an expression that gives an array of IDs',
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
  ...optionsCollection(transcriptOptions, [
    ...pollingOptions.map((option) => ({ ...option, displayOptions: { show: { '/checkMode': ['poll'] } } })),
    maxRetryAfterOption,
  ]),
];

export const option = {
  name: 'Check Status',
  value: 'checkStatus',
  action: 'Check transcription tasks by task ID and return their state and finished transcripts',
  description: 'Ask about tasks started with Submit Only, once or until done',
};

export const reviews = true;

/** The task ids a failed item was about. */
export function input(this: IExecuteFunctions, itemIndex: number): IDataObject {
  const tasks = parseTaskIds(this.getNodeParameter('taskIds', itemIndex));
  return { task_id: tasks.length === 1 ? tasks[0].task_id : tasks.map((task) => task.task_id) };
}

export const description = updateDisplayOptions({ show: { operation: ['checkStatus'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const tasks = parseTaskIds(this.getNodeParameter('taskIds', itemIndex));
  const mode = this.getNodeParameter('checkMode', itemIndex, 'poll') as CheckMode;
  const transcript = readTranscriptOptions(this, itemIndex, 'harf');
  const client = await harfClient(this, itemIndex);
  if (mode === 'once') {
    // Every task asked once, a few at a time; a request that failed is that task's own error, and
    // the states the service reported are data.
    const ends = await checkTasksOnce(client, tasks, { signal: this.getExecutionCancelSignal(), statesAsData: true });
    return await taskItems(this, itemIndex, ends, transcript, true);
  }
  return await pollTaskItems(this, itemIndex, client, tasks, transcript);
}
