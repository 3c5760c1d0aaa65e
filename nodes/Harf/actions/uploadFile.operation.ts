import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { binaryFileNameInput, readBinaryMedia } from '../../shared/binary';
import { harfClient } from '../transport/client';
import {
  AUDIO_FORMATS,
  binaryPropertyField,
  maxRetryAfterOption,
  NOT_A_TOOL,
  optionsCollection,
  outputProperty,
  transcriptOptions,
} from '../../shared/descriptions';
import { withFieldNames } from '../../shared/errors';
import { readTranscriptOptions, transcriptItems, type OperationResult } from '../../shared/transcriptItems';

const properties: INodeProperties[] = [
  binaryPropertyField(
    'The binary field of the input item that holds the audio or video file, e.g. a voice message downloaded by the Telegram node. ' +
      `Sent as it is: ${AUDIO_FORMATS} are recognised from their bytes when the name and type say nothing; other formats go under their own name.`,
    `The name of the input binary field containing the audio or video: ${AUDIO_FORMATS}, or any other format Harf reads`,
  ),
  outputProperty,
  ...optionsCollection(
    [
      ...transcriptOptions,
      {
        displayName: 'File Name',
        name: 'fileName',
        type: 'string',
        default: '',
        placeholder: 'e.g. interview.mp3',
        description: "Name to send with the file instead of the binary data's own file name",
      },
    ],
    [maxRetryAfterOption],
  ),
];

export const option = {
  name: 'Upload File',
  value: 'uploadFile',
  action: `Transcribe an audio or video file from binary data of an earlier node ${NOT_A_TOOL}`,
  description: 'Send a file from binary data, e.g. a voice message',
};

export const reviews = true;

/** The file name a failed item was about. */
export const input = binaryFileNameInput;

export const description = updateDisplayOptions({ show: { operation: ['uploadFile'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
  const propertyName = this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
  const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
  const media = await readBinaryMedia(this, itemIndex, propertyName);
  const requestedName = typeof options.fileName === 'string' && options.fileName.trim() ? options.fileName.trim() : undefined;
  const fileName = requestedName ?? media.fileName;

  const client = await harfClient(this, itemIndex);
  // lib settles the name and type the service accepts, from the file's first bytes when its name
  // and MIME type say nothing (a nameless application/octet-stream); its checks name the binary field.
  const results = await withFieldNames(
    this,
    itemIndex,
    'harf',
    { file: propertyName },
    async () =>
      await client.uploadFile(media.source, {
        filename: fileName,
        contentType: media.mimeType,
        knownLength: media.size,
        signal: this.getExecutionCancelSignal(),
      }),
  );
  // The service names an uploaded file after itself; keep the name the user knows beside it.
  return await transcriptItems(this, itemIndex, results, readTranscriptOptions(this, itemIndex, 'harf'), { file_name: fileName });
}
