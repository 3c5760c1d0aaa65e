import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { maxRetryAfterOption, mediaUrlProperty, optionsCollection } from '../shared/descriptions';
import { parseMediaUrls } from '../shared/params';
import { readThreshold, speakerItems, thresholdOption } from '../shared/speakers';
import type { OperationResult } from '../shared/transcriptItems';

const properties: INodeProperties[] = [
  mediaUrlProperty('e.g. https://example.com/call.mp3', 'Public URL of a recording of the voice to check'),
  {
    displayName: 'Sample URLs',
    name: 'sampleUrls',
    type: 'string',
    default: '',
    required: true,
    typeOptions: { rows: 2 },
    placeholder: 'e.g. https://example.com/voices/maryam-1.mp3',
    description: 'URLs of recordings of the one person it should be, separated by commas or new lines',
  },
  optionsCollection([thresholdOption, maxRetryAfterOption]),
];

export const description = updateDisplayOptions({ show: { operation: ['verifySpeaker'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const mediaUrls = parseMediaUrls(this.getNodeParameter('mediaUrl', itemIndex), 'mediaUrl');
  const sampleUrls = parseMediaUrls(this.getNodeParameter('sampleUrls', itemIndex), 'sampleUrls');
  return await speakerItems(this, itemIndex, 'verify', { mediaUrls, sampleUrls, threshold: readThreshold(this, itemIndex) });
}
