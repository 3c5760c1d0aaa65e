import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { AssemblyAiClient, ASSEMBLYAI_BASE_URL, DEFAULT_SYNC_MODEL, SYNC_BASE_URL, checkShortAudioSize, listFromText, type ShortAudioEndpoint } from '../../../lib/assemblyai';
import { readBinaryBuffer, readBinaryMedia } from '../../Harf/shared/binary';
import { SETTINGS } from '../../../lib/jobs';
import { retryOptions } from '../../Harf/shared/client';
import { binaryPropertyField, maxRetryAfterOption, numberField, outputProperty, transcriptOptions } from '../../Harf/shared/descriptions';
import { withFieldNames } from '../../Harf/shared/errors';
import { readTranscriptOptions, transcriptItems, type OperationResult } from '../../Harf/shared/transcriptItems';
import { isBlank } from '../../Harf/shared/params';
import { createN8nTransport } from '../../Harf/shared/transport';

export const ASSEMBLYAI_CREDENTIAL = 'assemblyAiApi';

/** The credential's fields under the names the credential dialog shows, for lib's messages about them. */
export const ASSEMBLYAI_CREDENTIAL_FIELDS = { apiKey: 'API Key', baseUrl: 'Base URL', syncBaseUrl: 'Sync API URL' } as const;

const properties: INodeProperties[] = [
  binaryPropertyField(
    'The binary field of the input item that holds the audio: WAV, OGG/Opus (Telegram and WhatsApp voice notes), MP3, FLAC or OGG/Vorbis, up to 120 seconds (legacy endpoint: under 15). Recognised from its bytes and converted when needed.',
    'The name of the input binary field containing the audio: WAV, OGG/Opus, MP3, FLAC or OGG/Vorbis, up to 120 seconds',
  ),
  {
    displayName: 'Endpoint',
    name: 'endpoint',
    type: 'options',
    default: 'sync',
    options: [
      { name: 'Sync API', value: 'sync', description: 'AssemblyAI\'s current endpoint for audio up to 120 seconds' },
      { name: 'Legacy /v2/stream', value: 'legacy', description: 'The earlier endpoint for audio under 15 seconds' },
    ],
  },
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
        displayName: 'Key Terms',
        name: 'keyTerms',
        type: 'string',
        default: '',
        placeholder: 'Stella, Harf',
        displayOptions: { show: { '/endpoint': ['sync'] } },
        description: 'Words and names the model should expect, separated by commas (Sync API)',
      },
      {
        displayName: 'Languages',
        name: 'languages',
        type: 'string',
        default: '',
        placeholder: 'en, fa',
        displayOptions: { show: { '/endpoint': ['sync'] } },
        description: 'Language codes separated by commas; empty lets the model tell (Sync API)',
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
        displayOptions: { show: { '/endpoint': ['legacy'] } },
        description: 'Rate the audio is converted to before it is sent as raw 16-bit mono PCM (legacy endpoint)',
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
  const endpoint = this.getNodeParameter('endpoint', itemIndex, 'sync') as ShortAudioEndpoint;

  const media = await readBinaryMedia(this, itemIndex, propertyName);
  checkShortAudioSize(media.size, propertyName);
  const wav = await readBinaryBuffer(media, this);

  const credential = await this.getCredentials<{ apiKey?: unknown; baseUrl?: unknown; syncBaseUrl?: unknown }>(ASSEMBLYAI_CREDENTIAL, itemIndex);
  // lib checks the key, the base URL and the options; its errors name the fields this node shows.
  const result = await withFieldNames(
    this,
    itemIndex,
    'assemblyai',
    {
      ...ASSEMBLYAI_CREDENTIAL_FIELDS,
      endpoint: 'Endpoint',
      model: 'Model',
      languages: 'Languages',
      keyTerms: 'Key Terms',
      prompt: 'Prompt',
      sampleRate: 'Sample Rate (Hz)',
      uncertainBelow: 'Uncertainty Threshold',
    },
    async () => {
      const client = new AssemblyAiClient({
        apiKey: credential.apiKey as string,
        baseUrl: isBlank(credential.baseUrl) ? ASSEMBLYAI_BASE_URL : (credential.baseUrl as string),
        syncBaseUrl: isBlank(credential.syncBaseUrl) ? SYNC_BASE_URL : (credential.syncBaseUrl as string),
        transport: createN8nTransport(this, ASSEMBLYAI_CREDENTIAL),
        retry: retryOptions(this, itemIndex),
      });
      return await client.transcribeShortAudio(wav, {
        endpoint,
        model: options.model as string | undefined,
        languages: listFromText(options.languages),
        keyTerms: listFromText(options.keyTerms),
        prompt: options.prompt as string | undefined,
        sampleRate: numberOption(options.sampleRate) as number | undefined,
        uncertainBelow: numberOption(options.uncertaintyThreshold) as number | undefined,
        filename: media.fileName,
        signal: this.getExecutionCancelSignal(),
      });
    },
  );
  return await transcriptItems(this, itemIndex, [result], readTranscriptOptions(this, itemIndex, 'assemblyai'));
}
