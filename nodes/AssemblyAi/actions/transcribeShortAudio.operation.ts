import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
  DEFAULT_SYNC_MODEL,
  MAX_SECONDS,
  SYNC_LIMITS,
  checkShortAudioSize,
  listFromText,
  type ShortAudioEndpoint,
} from '../../../lib/assemblyai';
import { SETTINGS, checkSetting } from '../../../lib/jobs';
import { binaryFileNameInput, readBinaryBuffer, readBinaryMedia } from '../../shared/binary';
import {
  AUDIO_FORMATS,
  binaryPropertyField,
  maxRetryAfterOption,
  NOT_A_TOOL,
  numberLimits,
  optionsCollection,
  outputProperty,
  transcriptOptions,
} from '../../shared/descriptions';
import { withFieldNames } from '../../shared/errors';
import { readTranscriptOptions, transcriptItems, type OperationResult } from '../../shared/transcriptItems';
import { ASSEMBLYAI_CREDENTIAL_FIELDS, assemblyAiClient } from '../transport/client';

// Plain names, so that n8n's lint sees each field's default.
const SAMPLE_RATE = SETTINGS.assemblyAi.sampleRate.default;
const UNCERTAIN_BELOW = SETTINGS.assemblyAi.uncertainBelow.default;

export const option = {
  name: 'Transcribe Short Audio',
  value: 'transcribeShortAudio',
  action: `Transcribe audio of up to ${SYNC_LIMITS.maxSeconds} seconds from binary data of an earlier node ${NOT_A_TOOL}`,
  description: `Send ${AUDIO_FORMATS} audio of up to ${SYNC_LIMITS.maxSeconds} seconds and get its words with their confidence`,
};

export const reviews = true;

/** The file name a failed item was about. */
export const input = binaryFileNameInput;

const properties: INodeProperties[] = [
  binaryPropertyField(
    `The binary field of the input item that holds the audio: ${AUDIO_FORMATS}, up to ${SYNC_LIMITS.maxSeconds} seconds ` +
      `(legacy endpoint: under ${MAX_SECONDS}). Recognised from its bytes and converted when needed.`,
    `The name of the input binary field containing the audio: ${AUDIO_FORMATS}, up to ${SYNC_LIMITS.maxSeconds} seconds`,
  ),
  {
    displayName: 'Endpoint',
    name: 'endpoint',
    type: 'options',
    default: 'sync',
    options: [
      { name: 'Sync API', value: 'sync', description: `AssemblyAI's current endpoint for audio up to ${SYNC_LIMITS.maxSeconds} seconds` },
      { name: 'Legacy Endpoint', value: 'legacy', description: `The earlier /v2/stream endpoint, for audio under ${MAX_SECONDS} seconds` },
    ],
  },
  outputProperty,
  ...optionsCollection(
    [
      ...transcriptOptions,
      {
        displayName: 'Key Terms',
        name: 'keyTerms',
        type: 'string',
        default: '',
        placeholder: 'e.g. Stella, Harf',
        typeOptions: { rows: 2 },
        displayOptions: { show: { '/endpoint': ['sync'] } },
        description: 'Words and names the model should expect, separated by commas or new lines (Sync API)',
      },
      {
        displayName: 'Languages',
        name: 'languages',
        type: 'string',
        default: '',
        placeholder: 'e.g. en, fa',
        typeOptions: { rows: 2 },
        displayOptions: { show: { '/endpoint': ['sync'] } },
        description: 'Language codes, separated by commas or new lines; empty lets the model tell (Sync API)',
      },
      {
        displayName: 'Model',
        name: 'model',
        type: 'string',
        default: DEFAULT_SYNC_MODEL,
        displayOptions: { show: { '/endpoint': ['sync'] } },
        description: 'The model AssemblyAI uses, sent as the X-AAI-Model header (Sync API)',
      },
      {
        displayName: 'Prompt',
        name: 'prompt',
        type: 'string',
        default: '',
        displayOptions: { show: { '/endpoint': ['sync'] } },
        description: 'A sentence about the audio that helps the model (Sync API)',
      },
      {
        displayName: 'Sample Rate',
        name: 'sampleRate',
        type: 'options',
        default: SAMPLE_RATE,
        options: [
          { name: '8 kHz (Telephone Quality)', value: 8000 },
          { name: '16 kHz', value: 16000 },
          { name: '22.05 kHz', value: 22050 },
          { name: '44.1 kHz', value: 44100 },
          { name: '48 kHz', value: 48000 },
        ],
        displayOptions: { show: { '/endpoint': ['legacy'] } },
        description: 'Rate the audio is converted to before it is sent as raw 16-bit mono PCM (legacy endpoint)',
      },
      {
        displayName: 'Uncertainty Threshold',
        name: 'uncertaintyThreshold',
        type: 'number',
        default: UNCERTAIN_BELOW,
        ...numberLimits(SETTINGS.assemblyAi.uncertainBelow, 2),
        description: 'A word whose confidence is below this counts as uncertain: it is bracketed in the text and listed for review',
      },
    ],
    [maxRetryAfterOption],
  ),
];

export const description = updateDisplayOptions({ show: { operation: ['transcribeShortAudio'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const propertyName = this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
  const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
  const endpoint = this.getNodeParameter('endpoint', itemIndex, 'sync') as ShortAudioEndpoint;

  const media = await readBinaryMedia(this, itemIndex, propertyName);
  checkShortAudioSize(media.size, propertyName);
  const audio = await readBinaryBuffer(media, this);

  // lib checks the key, the base URL and the options; its errors name the fields this node shows.
  const result = await withFieldNames(this, itemIndex, 'assemblyai', FIELDS, async () => {
    const client = await assemblyAiClient(this, itemIndex);
    return await client.transcribeShortAudio(audio, {
      endpoint,
      model: options.model as string | undefined,
      languages: listFromText(options.languages),
      keyTerms: listFromText(options.keyTerms),
      prompt: options.prompt as string | undefined,
      sampleRate: optionalSetting(SETTINGS.assemblyAi.sampleRate, options.sampleRate, FIELDS.sampleRate),
      uncertainBelow: optionalSetting(SETTINGS.assemblyAi.uncertainBelow, options.uncertaintyThreshold, FIELDS.uncertainBelow),
      filename: media.fileName,
      signal: this.getExecutionCancelSignal(),
    });
  });
  return await transcriptItems(this, itemIndex, [result], readTranscriptOptions(this, itemIndex, 'assemblyai'));
}

/** lib's option names as this node's fields show them. */
const FIELDS = {
  ...ASSEMBLYAI_CREDENTIAL_FIELDS,
  endpoint: 'Endpoint',
  model: 'Model',
  languages: 'Languages',
  keyTerms: 'Key Terms',
  prompt: 'Prompt',
  sampleRate: 'Sample Rate',
  uncertainBelow: 'Uncertainty Threshold',
};

/** A number option left unset stays unset (lib applies its default); a set one is checked by lib's rule. */
function optionalSetting(setting: Parameters<typeof checkSetting>[0], value: unknown, field: string): number | undefined {
  return value === undefined ? undefined : checkSetting(setting, value, field);
}
