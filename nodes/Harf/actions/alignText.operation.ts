import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkAlignmentText } from '../../../lib/harf';
import { alignmentOutputOptions } from '../../../lib/jobs';
import { harfClient } from '../transport/client';
import { maxRetryAfterOption, optionsCollection, subtitlesOption } from '../../shared/descriptions';
import { readTranscriptOptions, transcriptItems, type OperationResult } from '../../shared/transcriptItems';
import { mediaUrlInput, parseMediaUrls } from '../helpers/params';

const properties: INodeProperties[] = [
  {
    displayName: 'Media URL',
    name: 'mediaUrl',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'e.g. https://example.com/reading.mp3',
    description: 'Public URL of the audio or video file the text is spoken in',
  },
  {
    displayName: 'Text',
    name: 'text',
    type: 'string',
    default: '',
    required: true,
    typeOptions: { rows: 4 },
    description: 'The words spoken in the media, in order; each space-separated word gets its own times',
  },
  {
    displayName: 'Output',
    name: 'output',
    type: 'options',
    noDataExpression: true,
    default: 'file',
    options: [
      { name: 'One Item', value: 'file', description: 'The alignment with all its word segments' },
      { name: 'One Item per Word', value: 'segment', description: 'Each word with its start and end' },
    ],
  },
  ...optionsCollection([subtitlesOption], [maxRetryAfterOption]),
];

export const option = {
  name: 'Align Text',
  value: 'alignText',
  action: 'Find when each word of a known text is spoken in media at a URL and return the word times',
  description: 'Find when each word of a known text is spoken',
};

export const reviews = false;

/** The media URL(s) a failed item was about. */
export const input = mediaUrlInput('mediaUrl', 'Media URL');

export const description = updateDisplayOptions({ show: { operation: ['alignText'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const [mediaUrl] = parseMediaUrls(this.getNodeParameter('mediaUrl', itemIndex), 'Media URL');
  const text = checkAlignmentText(this.getNodeParameter('text', itemIndex, ''), 'Text');
  const shape = alignmentOutputOptions(readTranscriptOptions(this, itemIndex, 'harf'));

  const client = await harfClient(this, itemIndex);
  const result = await client.alignText(mediaUrl, text, { signal: this.getExecutionCancelSignal() });
  // Enriched and shaped by lib/transcript as transcripts are: one item, or one per word segment
  // with its times in seconds and its media fragment.
  return await transcriptItems(this, itemIndex, [result], shape);
}
