import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { mediaUrlProperty } from '../helpers/descriptions';
import { maxRetryAfterOption, optionsCollection, outputProperty, transcriptOptions } from '../../shared/descriptions';
import { parseMediaUrls } from '../helpers/params';
import { readSpeakers, readThreshold, speakerItems, speakersProperty, thresholdOption } from '../helpers/speakers';
import type { OperationResult } from '../../shared/transcriptItems';

const properties: INodeProperties[] = [
  mediaUrlProperty('e.g. https://example.com/episode-12.mp3', 'Public URL of the recording to index by speaker'),
  speakersProperty,
  outputProperty,
  ...optionsCollection([...transcriptOptions, thresholdOption], [maxRetryAfterOption]),
];

export const option = {
  name: 'Index Speakers',
  value: 'indexSpeakers',
  action: 'Transcribe a recording at a URL by speaker turn with each turn matched to known speakers by voice samples given by URL',
  description: 'Transcribe media by speaker turn, each turn matched against the named speakers',
};

export const reviews = true;

/** The media URL(s) a failed item was about. */
export function input(this: IExecuteFunctions, itemIndex: number): IDataObject {
  const urls = parseMediaUrls(this.getNodeParameter('mediaUrl', itemIndex), 'Media URL');
  return { media_url: urls.length === 1 ? urls[0] : urls };
}

export const description = updateDisplayOptions({ show: { operation: ['indexSpeakers'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const mediaUrls = parseMediaUrls(this.getNodeParameter('mediaUrl', itemIndex), 'Media URL');
  return await speakerItems(this, itemIndex, 'index', {
    mediaUrls,
    speakers: readSpeakers(this, itemIndex),
    threshold: readThreshold(this, itemIndex),
  });
}
