import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { liveTranscript, transcribeLive } from '../../../lib/harf';
import { binaryFileNameInput, readBinaryMedia } from '../../shared/binary';
import { harfCredential } from '../transport/client';
import {
  AUDIO_FORMATS,
  binaryPropertyField,
  NOT_A_TOOL,
  optionsCollection,
  outputProperty,
  transcriptOptions,
} from '../../shared/descriptions';
import { readTranscriptOptions, transcriptItems, type OperationResult } from '../../shared/transcriptItems';

const properties: INodeProperties[] = [
  binaryPropertyField(
    `The binary field of the input item that holds the audio: ${AUDIO_FORMATS} (OGG/Opus: Telegram and WhatsApp voice notes), ` +
      'recognised from its bytes. It is decoded and converted to 16 kHz mono 16-bit as it streams.',
    `The name of the input binary field containing the audio: ${AUDIO_FORMATS}`,
  ),
  outputProperty,
  ...optionsCollection([
    ...transcriptOptions,
    {
      displayName: 'Real-Time Pacing',
      name: 'realtime',
      type: 'boolean',
      default: false,
      description: 'Whether to send one second of audio per second, as a live source would, instead of as fast as the service answers',
    },
  ]),
];

export const option = {
  name: 'Live Stream',
  value: 'liveStream',
  action: `Stream an audio file from binary data of an earlier node for live transcription ${NOT_A_TOOL}`,
  description: 'Stream audio over the websocket and get its segments once the stream ends',
};

export const reviews = true;

/** The file name a failed item was about. */
export const input = binaryFileNameInput;

export const description = updateDisplayOptions({ show: { operation: ['liveStream'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const propertyName = this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
  const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
  const media = await readBinaryMedia(this, itemIndex, propertyName);
  // The websocket is not an HTTP request n8n's helpers can make: it takes the token directly.
  const { token, baseUrl } = await harfCredential(this, itemIndex);

  const live = await transcribeLive(media.source, {
    token,
    baseUrl,
    realtime: options.realtime === true,
    signal: this.getExecutionCancelSignal(),
  });
  return await transcriptItems(this, itemIndex, [liveTranscript(media.fileName, live)], readTranscriptOptions(this, itemIndex, 'harf'));
}
