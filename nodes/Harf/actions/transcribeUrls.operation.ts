import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { submittedTasks } from '../../../lib/jobs';
import { harfClient } from '../transport/client';
import { maxRetryAfterOption, optionsCollection, outputProperty, transcriptOptions } from '../../shared/descriptions';
import { reviewsUnless } from '../../shared/registry';
import { mediaUrlsProperty, pollingOptions } from '../helpers/descriptions';
import { mediaUrlInput, parseMediaUrls } from '../helpers/params';
import { pollTaskItems } from '../helpers/taskItems';
import { readTranscriptOptions, transcriptItems, type OperationResult } from '../../shared/transcriptItems';

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
  ...optionsCollection(
    transcriptOptions,
    [...pollingOptions.map((option) => ({ ...option, displayOptions: { show: { '/mode': ['poll'] } } })), maxRetryAfterOption],
    { mode: ['poll', 'wait'] },
  ),
];

export const option = {
  name: 'Transcribe URLs',
  value: 'transcribeUrls',
  action: 'Transcribe the speech of public audio or video files given by URL and return the text with timed segments',
  description: 'Transcribe media files the service can download',
};

/** Submit Only gives task ids, not transcripts: nothing for Needs Review. */
export const reviews = reviewsUnless('mode', 'submit');

/** The media URL(s) a failed item was about. */
export const input = mediaUrlInput('mediaUrls', 'Media URLs');

export const description = updateDisplayOptions({ show: { operation: ['transcribeUrls'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const urls = parseMediaUrls(this.getNodeParameter('mediaUrls', itemIndex));
  const mode = this.getNodeParameter('mode', itemIndex, 'poll') as TranscribeMode;
  const client = await harfClient(this, itemIndex);
  const signal = this.getExecutionCancelSignal();

  if (mode === 'submit') {
    const tasks = await client.submitUrls(urls, { signal });
    const main: INodeExecutionData[] = submittedTasks(tasks).map((task) => ({ json: { ...task }, pairedItem: { item: itemIndex } }));
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
