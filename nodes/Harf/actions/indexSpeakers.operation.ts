import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { mediaUrlProperty } from '../helpers/descriptions';
import { maxRetryAfterOption, optionsCollection, outputProperty, transcriptOptions } from '../../shared/descriptions';
import { mediaUrlInput, parseMediaUrls } from '../helpers/params';
import { readSpeakers, readThreshold, speakerItems, speakersProperty, thresholdOption } from '../helpers/speakers';
import type { OperationResult } from '../../shared/transcriptItems';

const properties: INodeProperties[] = [
  mediaUrlProperty('e.g. https://example.com/episode-12.mp3', 'Audio or video with several people talking, at a public link'),
  speakersProperty,
  outputProperty,
  ...optionsCollection([...transcriptOptions, thresholdOption], [maxRetryAfterOption]),
];

export const option = {
  name: 'Index Speakers',
  value: 'indexSpeakers',
  action: 'Transcribe a recording at a URL by speaker turn and name each turn from speakers given with voice samples by URL',
  description: 'See which of your known people said what',
};

export const reviews = true;

/** The media URL(s) a failed item was about. */
export const input = mediaUrlInput('mediaUrl', 'Media URL');

export const description = updateDisplayOptions({ show: { operation: ['indexSpeakers'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const mediaUrls = parseMediaUrls(this.getNodeParameter('mediaUrl', itemIndex), 'Media URL');
  return await speakerItems(this, itemIndex, 'index', {
    mediaUrls,
    speakers: readSpeakers(this, itemIndex),
    threshold: readThreshold(this, itemIndex),
  });
}
