import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as alignText from './actions/alignText.operation';
import * as checkStatus from './actions/checkStatus.operation';
import * as liveStream from './actions/liveStream.operation';
import { runOperation } from './actions/operations';
import * as transcribeUrls from './actions/transcribeUrls.operation';
import * as uploadFile from './actions/uploadFile.operation';
import { configuredOutputs } from './shared/nodeOutputs';

export class Harf implements INodeType {
  // Written here, not imported, so n8n's lint rules can read the whole description.
  description: INodeTypeDescription = {
    displayName: 'Harf',
    name: 'harf',
    icon: { light: 'file:../../icons/harf.svg', dark: 'file:../../icons/harf.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle:
      '={{ ({"transcribeUrls": "Transcribe URLs", "uploadFile": "Upload File", "checkStatus": "Check Status", "liveStream": "Live Stream", "alignText": "Align Text"})[$parameter["operation"]] }}',
    description: 'Transcribe Persian speech with Harf: media URLs, uploaded files, live WAV streams, and text alignment',
    defaults: { name: 'Harf' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: `={{(${configuredOutputs})($parameter)}}`,
    credentials: [{ name: 'harfApi', required: true }],
    properties: [
      {
        displayName: 'Operation',
        name: 'operation',
        type: 'options',
        noDataExpression: true,
        default: 'transcribeUrls',
        options: [
          {
            name: 'Transcribe URLs',
            value: 'transcribeUrls',
            action: 'Transcribe audio or video from URLs',
            description: 'Transcribe media files the service can download',
          },
          {
            name: 'Upload File',
            value: 'uploadFile',
            action: 'Transcribe an uploaded audio or video file',
            description: 'Send a file from binary data, e.g. a voice message',
          },
          {
            name: 'Check Status',
            value: 'checkStatus',
            action: 'Check the status of transcription tasks',
            description: 'Ask about tasks started with Submit Only, once or until done',
          },
          {
            name: 'Live Stream',
            value: 'liveStream',
            action: 'Transcribe a WAV file over a live stream',
            description: 'Stream WAV audio over the websocket and get segments as they are recognised',
          },
          {
            name: 'Align Text',
            value: 'alignText',
            action: 'Align known text to audio',
            description: 'Find when each word of a known text is spoken',
          },
        ],
      },
      ...transcribeUrls.description,
      ...uploadFile.description,
      ...checkStatus.description,
      ...liveStream.description,
      ...alignText.description,
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return await runOperation.call(this);
  }
}
