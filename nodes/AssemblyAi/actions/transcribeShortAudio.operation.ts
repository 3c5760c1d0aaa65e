import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
  AssemblyAiClient,
  ASSEMBLYAI_BASE_URL,
  DEFAULT_SAMPLE_RATE,
  DEFAULT_UNCERTAIN_BELOW,
} from '../../../lib/assemblyai';
import { BadInputError, describeValue, registerSecret } from '../../../lib/errors';
import { readBinaryBuffer, readBinaryMedia } from '../../Harf/shared/binary';
import { binaryPropertyField, outputProperty, transcriptOptions } from '../../Harf/shared/descriptions';
import { readTranscriptOptions, transcriptItems, type OperationResult } from '../../Harf/shared/output';
import { createN8nTransport } from '../../Harf/shared/transport';

export const ASSEMBLYAI_CREDENTIAL = 'assemblyAiApi';

// Fifteen seconds of the richest WAV (48 kHz, 8 channels, 32-bit) is about 23 MB: anything far
// larger cannot be short audio, and is refused before it is read into memory.
const MAX_WAV_BYTES = 64 * 1024 * 1024;

const properties: INodeProperties[] = [
  binaryPropertyField(
    'The binary field of the input item that holds a WAV file of at most 15 seconds. Any sample rate, channel count or bit depth is converted before sending.',
  ),
  outputProperty,
  {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    options: [
      ...transcriptOptions,
      {
        displayName: 'Sample Rate (Hz)',
        name: 'sampleRate',
        type: 'options',
        default: DEFAULT_SAMPLE_RATE,
        options: [
          { name: '8 kHz (as Documented)', value: 8000 },
          { name: '16 kHz', value: 16000 },
          { name: '22.05 kHz', value: 22050 },
          { name: '44.1 kHz', value: 44100 },
          { name: '48 kHz', value: 48000 },
        ],
        description: 'Rate the audio is converted to before it is sent as raw 16-bit mono PCM',
      },
      {
        displayName: 'Uncertainty Threshold',
        name: 'uncertaintyThreshold',
        type: 'number',
        typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
        default: DEFAULT_UNCERTAIN_BELOW,
        description:
          'A word whose confidence is below this counts as uncertain: it is bracketed in the text and listed for review',
      },
    ],
  },
];

export const description = updateDisplayOptions({ show: { operation: ['transcribeShortAudio'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const propertyName = this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
  const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
  const threshold = options.uncertaintyThreshold ?? DEFAULT_UNCERTAIN_BELOW;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) {
    throw new BadInputError('Uncertainty Threshold', describeValue(threshold), 'a confidence from 0 to 1');
  }
  const sampleRate = Number(options.sampleRate ?? DEFAULT_SAMPLE_RATE);

  const media = await readBinaryMedia(this, itemIndex, propertyName);
  if (media.size !== undefined && media.size > MAX_WAV_BYTES) {
    throw new BadInputError(
      propertyName,
      `a file of ${(media.size / 1024 / 1024).toFixed(0)} MB`,
      "a WAV of at most 15 seconds; send longer audio with the Harf node's Upload File",
    );
  }
  const wav = await readBinaryBuffer(media, this);

  const credential = await this.getCredentials<{ apiKey?: string; baseUrl?: string }>(ASSEMBLYAI_CREDENTIAL, itemIndex);
  const apiKey = String(credential.apiKey ?? '').trim();
  registerSecret(apiKey);
  const client = new AssemblyAiClient({
    apiKey,
    baseUrl: String(credential.baseUrl ?? '').trim().replace(/\/+$/, '') || ASSEMBLYAI_BASE_URL,
    transport: createN8nTransport(this, ASSEMBLYAI_CREDENTIAL),
  });
  const result = await client.transcribeShortAudio(wav, {
    sampleRate,
    uncertainBelow: threshold,
    filename: media.fileName,
    signal: this.getExecutionCancelSignal(),
  });
  return await transcriptItems(this, itemIndex, [result], readTranscriptOptions(this, itemIndex));
}
