import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { maxRetryAfterOption, optionsCollection, outputProperty, transcriptOptions } from '../../shared/descriptions';
import { mediaUrlsProperty } from '../helpers/descriptions';
import { mediaUrlInput, parseMediaUrls } from '../helpers/params';
import { speakerItems } from '../helpers/speakers';
import type { OperationResult } from '../../shared/transcriptItems';

const properties: INodeProperties[] = [
  mediaUrlsProperty,
  {
    displayName: 'Speaker Names',
    name: 'speakerNames',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true },
    placeholder: 'Add Name',
    default: {},
    description: 'Names to show instead of the labels Harf gives (speaker_0 is whoever speaks first), in the text and subtitles',
    options: [
      {
        displayName: 'Name',
        name: 'name',
        values: [
          { displayName: 'Label', name: 'label', type: 'string', default: 'speaker_0', placeholder: 'e.g. speaker_0' },
          { displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. Maryam' },
        ],
      },
    ],
  },
  outputProperty,
  ...optionsCollection([...transcriptOptions], [maxRetryAfterOption]),
];

export const option = {
  name: 'Diarize Speakers',
  value: 'diarizeSpeakers',
  action: 'Find who speaks when in media at a URL and return the text split by speaker turn',
  description: 'Tell voices apart without samples, labelled speaker_0, speaker_1, …',
};

export const reviews = true;

/** The media URL(s) a failed item was about. */
export const input = mediaUrlInput('mediaUrls', 'Media URLs');

export const description = updateDisplayOptions({ show: { operation: ['diarizeSpeakers'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const mediaUrls = parseMediaUrls(this.getNodeParameter('mediaUrls', itemIndex));
  const names = (this.getNodeParameter('speakerNames', itemIndex, {}) as IDataObject).name as
    Array<{ label?: string; name?: string }> | undefined;
  const speakerNames: Record<string, string> = {};
  for (const entry of names ?? []) if (entry.label && entry.name) speakerNames[entry.label] = entry.name;
  return await speakerItems(this, itemIndex, 'diarize', { mediaUrls, speakerNames });
}
