import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { AssemblyAiClient, ASSEMBLYAI_BASE_URL, checkShortAudioSize } from '../../../lib/assemblyai';
import { readBinaryBuffer, readBinaryMedia } from '../../Harf/shared/binary';
import { SETTINGS } from '../../../lib/jobs';
import { retryOptions } from '../../Harf/shared/client';
import { binaryPropertyField, maxRetryAfterOption, numberField, outputProperty, transcriptOptions } from '../../Harf/shared/descriptions';
import { withFieldNames } from '../../Harf/shared/errors';
import { readTranscriptOptions, transcriptItems, type OperationResult } from '../../Harf/shared/transcriptItems';
import { isBlank } from '../../Harf/shared/params';
import { createN8nTransport } from '../../Harf/shared/transport';

export const ASSEMBLYAI_CREDENTIAL = 'assemblyAiApi';

const properties: INodeProperties[] = [
  binaryPropertyField(
    'The binary field of the input item that holds a WAV file under 15 seconds. Any sample rate, channel count or bit depth is converted before sending.',
    'The name of the input binary field containing the audio: a WAV file under 15 seconds, any sample rate, channel count or bit depth',
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
        default: SETTINGS.assemblyAi.sampleRate.default,
        options: [
          { name: '8 kHz (Telephone Quality)', value: 8000 },
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
        ...numberField(SETTINGS.assemblyAi.uncertainBelow, 2),
        description:
          'A word whose confidence is below this counts as uncertain: it is bracketed in the text and listed for review',
      },
      maxRetryAfterOption,
    ],
  },
];

export const description = updateDisplayOptions({ show: { operation: ['transcribeShortAudio'] } }, properties);

/** A number option from an expression may arrive as text; lib checks the number and names it. */
function numberOption(value: unknown): unknown {
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return value;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const propertyName = this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
  const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

  const media = await readBinaryMedia(this, itemIndex, propertyName);
  checkShortAudioSize(media.size, propertyName);
  const wav = await readBinaryBuffer(media, this);

  const credential = await this.getCredentials<{ apiKey?: unknown; baseUrl?: unknown }>(ASSEMBLYAI_CREDENTIAL, itemIndex);
  // lib checks the key, the base URL and the options; its errors name the fields this node shows.
  const result = await withFieldNames(
    this,
    itemIndex,
    'assemblyai',
    { apiKey: 'API Key', baseUrl: 'Base URL', sampleRate: 'Sample Rate (Hz)', uncertainBelow: 'Uncertainty Threshold' },
    async () => {
      const client = new AssemblyAiClient({
        apiKey: credential.apiKey as string,
        baseUrl: isBlank(credential.baseUrl) ? ASSEMBLYAI_BASE_URL : (credential.baseUrl as string),
        transport: createN8nTransport(this, ASSEMBLYAI_CREDENTIAL),
        retry: retryOptions(this, itemIndex),
      });
      return await client.transcribeShortAudio(wav, {
        sampleRate: numberOption(options.sampleRate) as number | undefined,
        uncertainBelow: numberOption(options.uncertaintyThreshold) as number | undefined,
        filename: media.fileName,
        signal: this.getExecutionCancelSignal(),
      });
    },
  );
  return await transcriptItems(this, itemIndex, [result], readTranscriptOptions(this, itemIndex, 'assemblyai'));
}
