import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkThreshold } from '../../../lib/harf/speakers';
import { givesTranscripts, readSpeakerSamples, runSpeakerJob, SETTINGS, type SpeakerJob, type SpeakerJobInput } from '../../../lib/jobs';
import { numberLimits } from '../../shared/descriptions';
import { harfClient } from '../transport/client';
import { readTranscriptOptions, outputItems, type OperationResult } from '../../shared/transcriptItems';

/** Links to clips of one person's voice; `description` says whose. */
export function sampleUrlsProperty(description: string): INodeProperties {
  return {
    displayName: 'Sample URLs',
    name: 'sampleUrls',
    type: 'string',
    default: '',
    required: true,
    typeOptions: { rows: 2 },
    placeholder: 'e.g. https://example.com/voices/maryam-1.mp3',
    description,
  };
}

/** Named speakers, each with sample URLs of their voice. */
export const speakersProperty: INodeProperties = {
  displayName: 'Known Speakers',
  name: 'speakers',
  type: 'fixedCollection',
  typeOptions: { multipleValues: true },
  placeholder: 'Add Speaker',
  default: {},
  required: true,
  description: 'The people to match against',
  options: [
    {
      displayName: 'Speaker',
      name: 'speaker',
      values: [
        { displayName: 'Name', name: 'name', type: 'string', default: '', required: true, placeholder: 'e.g. Maryam' },
        sampleUrlsProperty('Links to clips of this person talking alone, separated by commas or new lines'),
      ],
    },
  ],
};

const SIMILARITY_THRESHOLD = SETTINGS.speakers.threshold.default;

export const thresholdOption: INodeProperties = {
  displayName: 'Similarity Threshold',
  name: 'threshold',
  type: 'number',
  default: SIMILARITY_THRESHOLD,
  ...numberLimits(SETTINGS.speakers.threshold, 2),
  description: `Similarity (${SETTINGS.speakers.threshold.min} to ${SETTINGS.speakers.threshold.max}) from which a voice counts as a match. Harf itself decides at ${SETTINGS.speakers.threshold.default}; without this option its result decides.`,
};

/** The Known Speakers of one item, checked by lib. */
export function readSpeakers(context: IExecuteFunctions, itemIndex: number): SpeakerJobInput['speakers'] {
  const value = context.getNodeParameter('speakers', itemIndex, {}) as IDataObject;
  return readSpeakerSamples(value.speaker ?? [], 'Known Speakers');
}

/** The Similarity Threshold option of one item, when set. */
export function readThreshold(context: IExecuteFunctions, itemIndex: number): number | undefined {
  const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
  return checkThreshold(options.threshold, 'Similarity Threshold');
}

/** Runs a speaker job through lib and turns its entries into items. */
export async function speakerItems(
  context: IExecuteFunctions,
  itemIndex: number,
  job: SpeakerJob,
  input: SpeakerJobInput,
): Promise<OperationResult> {
  const withTranscript = givesTranscripts(job);
  const output = withTranscript
    ? readTranscriptOptions(context, itemIndex, 'harf')
    : { output: 'file' as const, splitUncertain: false, subtitles: [] };
  const client = await harfClient(context, itemIndex);
  const outputs = await runSpeakerJob(client, job, input, output, { signal: context.getExecutionCancelSignal() });
  const items = await outputItems(context, itemIndex, outputs);
  for (const json of outputs.verdicts) items.main.push({ json: json as IDataObject, pairedItem: { item: itemIndex } });
  return items;
}
