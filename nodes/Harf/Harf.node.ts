import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as alignText from './actions/alignText.operation';
import * as checkStatus from './actions/checkStatus.operation';
import * as diarizeSpeakers from './actions/diarizeSpeakers.operation';
import * as identifySpeaker from './actions/identifySpeaker.operation';
import * as indexSpeakers from './actions/indexSpeakers.operation';
import * as liveStream from './actions/liveStream.operation';
import { runOperation } from './actions/operations';
import * as transcribeUrls from './actions/transcribeUrls.operation';
import * as uploadFile from './actions/uploadFile.operation';
import * as verifySpeaker from './actions/verifySpeaker.operation';
import { harfApiTest } from './shared/credentialTest';
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
      '={{ ({"transcribeUrls": "Transcribe URLs", "uploadFile": "Upload File", "checkStatus": "Check Status", "liveStream": "Live Stream", "alignText": "Align Text", "diarizeSpeakers": "Diarize Speakers", "identifySpeaker": "Identify Speaker", "verifySpeaker": "Verify Speaker", "indexSpeakers": "Index Speakers"})[$parameter["operation"]] }}',
    description: 'Transcribe Persian speech with Harf: media URLs, uploaded files, live WAV streams, text alignment, and who spoke when',
    defaults: { name: 'Harf' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: `={{(${configuredOutputs})($parameter)}}`,
    credentials: [{ name: 'harfApi', required: true, testedBy: 'harfApiTest' }],
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
          {
            name: 'Diarize Speakers',
            value: 'diarizeSpeakers',
            action: 'Find who speaks when in media',
            description: 'Transcribe media split by speaker turn, with a speaker label on each segment',
          },
          {
            name: 'Identify Speaker',
            value: 'identifySpeaker',
            action: 'Identify a speaker among known voices',
            description: 'Find which of the named speakers, each with sample recordings, is speaking',
          },
          {
            name: 'Verify Speaker',
            value: 'verifySpeaker',
            action: 'Verify a speaker against voice samples',
            description: 'Check whether the speaker is the one person of the samples',
          },
          {
            name: 'Index Speakers',
            value: 'indexSpeakers',
            action: 'Index media by known speakers',
            description: 'Transcribe media by speaker turn, each turn matched against the named speakers',
          },
        ],
      },
      ...transcribeUrls.description,
      ...uploadFile.description,
      ...checkStatus.description,
      ...liveStream.description,
      ...alignText.description,
      ...diarizeSpeakers.description,
      ...identifySpeaker.description,
      ...verifySpeaker.description,
      ...indexSpeakers.description,
    ],
  };

  methods = { credentialTest: { harfApiTest } };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return await runOperation.call(this);
  }
}
