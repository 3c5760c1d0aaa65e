import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { mediaUrlProperty } from '../helpers/descriptions';
import { maxRetryAfterOption, optionsCollection } from '../../shared/descriptions';
import { mediaUrlInput, parseMediaUrls } from '../helpers/params';
import { readThreshold, sampleUrlsProperty, speakerItems, thresholdOption } from '../helpers/speakers';
import type { OperationResult } from '../../shared/transcriptItems';

const properties: INodeProperties[] = [
  mediaUrlProperty('e.g. https://example.com/call.mp3', 'Audio or video of the voice to check, at a public link'),
  sampleUrlsProperty('Links to clips of the expected person talking alone, separated by commas or new lines'),
  ...optionsCollection([thresholdOption], [maxRetryAfterOption]),
];

export const option = {
  name: 'Verify Speaker',
  value: 'verifySpeaker',
  action: 'Verify the speaker in a recording at a URL against voice samples of one person given by URL and return the verdict',
  description: 'Confirm someone is who you expect',
};

export const reviews = false;

/** The media URL(s) a failed item was about. */
export const input = mediaUrlInput('mediaUrl', 'Media URL');

export const description = updateDisplayOptions({ show: { operation: ['verifySpeaker'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const mediaUrls = parseMediaUrls(this.getNodeParameter('mediaUrl', itemIndex), 'Media URL');
  const sampleUrls = parseMediaUrls(this.getNodeParameter('sampleUrls', itemIndex), 'Sample URLs');
  return await speakerItems(this, itemIndex, 'verify', { mediaUrls, sampleUrls, threshold: readThreshold(this, itemIndex) });
}
