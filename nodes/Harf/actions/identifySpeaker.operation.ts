import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { maxRetryAfterOption, mediaUrlProperty, optionsCollection } from '../shared/descriptions';
import { parseMediaUrls } from '../shared/params';
import { readSpeakers, readThreshold, speakerItems, speakersProperty, thresholdOption } from '../shared/speakers';
import type { OperationResult } from '../shared/transcriptItems';

const properties: INodeProperties[] = [
  mediaUrlProperty('e.g. https://example.com/clip.mp3', 'Public URL of a recording of one voice to identify'),
  speakersProperty,
  optionsCollection([thresholdOption, maxRetryAfterOption]),
];

export const description = updateDisplayOptions({ show: { operation: ['identifySpeaker'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const mediaUrls = parseMediaUrls(this.getNodeParameter('mediaUrl', itemIndex), 'mediaUrl');
  return await speakerItems(this, itemIndex, 'identify', {
    mediaUrls,
    speakers: readSpeakers(this, itemIndex),
    threshold: readThreshold(this, itemIndex),
  });
}
