import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { maxRetryAfterOption, mediaUrlProperty, optionsCollection, outputProperty, transcriptOptions } from '../shared/descriptions';
import { parseMediaUrls } from '../shared/params';
import { readSpeakers, readThreshold, speakerItems, speakersProperty, thresholdOption } from '../shared/speakers';
import type { OperationResult } from '../shared/transcriptItems';

const properties: INodeProperties[] = [
  mediaUrlProperty('e.g. https://example.com/episode-12.mp3', 'Public URL of the recording to index by speaker'),
  speakersProperty,
  outputProperty,
  optionsCollection([...transcriptOptions, thresholdOption, maxRetryAfterOption]),
];

export const description = updateDisplayOptions({ show: { operation: ['indexSpeakers'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const mediaUrls = parseMediaUrls(this.getNodeParameter('mediaUrl', itemIndex), 'mediaUrl');
  return await speakerItems(this, itemIndex, 'index', {
    mediaUrls,
    speakers: readSpeakers(this, itemIndex),
    threshold: readThreshold(this, itemIndex),
  });
}
