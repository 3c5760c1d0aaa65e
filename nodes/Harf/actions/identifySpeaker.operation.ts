import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { mediaUrlProperty } from '../helpers/descriptions';
import { maxRetryAfterOption, optionsCollection } from '../../shared/descriptions';
import { mediaUrlInput, parseMediaUrls } from '../helpers/params';
import { readSpeakers, readThreshold, speakerItems, speakersProperty, thresholdOption } from '../helpers/speakers';
import type { OperationResult } from '../../shared/transcriptItems';

const properties: INodeProperties[] = [
  mediaUrlProperty('e.g. https://example.com/clip.mp3', 'Audio or video where one person talks, at a public link'),
  speakersProperty,
  ...optionsCollection([thresholdOption], [maxRetryAfterOption]),
];

export const option = {
  name: 'Identify Speaker',
  value: 'identifySpeaker',
  action: 'Identify the speaker in a recording at a URL among speakers given with voice samples by URL and return the best match',
  description: 'Tell which of your known people is talking',
};

export const reviews = false;

/** The media URL(s) a failed item was about. */
export const input = mediaUrlInput('mediaUrl', 'Media URL');

export const description = updateDisplayOptions({ show: { operation: ['identifySpeaker'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const mediaUrls = parseMediaUrls(this.getNodeParameter('mediaUrl', itemIndex), 'Media URL');
  return await speakerItems(this, itemIndex, 'identify', {
    mediaUrls,
    speakers: readSpeakers(this, itemIndex),
    threshold: readThreshold(this, itemIndex),
  });
}
