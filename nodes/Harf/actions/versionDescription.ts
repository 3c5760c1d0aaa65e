import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { configuredOutputs } from '../shared/outputs';
import * as alignText from './alignText.operation';
import * as checkStatus from './checkStatus.operation';
import * as liveStream from './liveStream.operation';
import * as transcribeUrls from './transcribeUrls.operation';
import * as uploadFile from './uploadFile.operation';

export const versionDescription: INodeTypeDescription = {
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
