import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { route } from '../shared/router';
import { operations, properties } from './actions/registry';
import { harfApiTest } from './transport/credentialTest';

export class Harf implements INodeType {
  // The Operation options, subtitle and outputs come from actions/registry.ts; they are written
  // out here (by scripts/n8n-descriptions.js) so that n8n's lint can read the whole description.
  description: INodeTypeDescription = {
    displayName: 'Harf',
    name: 'harf',
    icon: { light: 'file:../../icons/harf.svg', dark: 'file:../../icons/harf.dark.svg' },
    group: ['transform'],
    // Version 2 moves the polling and retry settings to Advanced; version 1 keeps saved workflows as they are.
    version: [1, 2],
    // New nodes get version 2. Set, and other than `version`, it also keeps n8n from appending its
    // Custom API Call to Resource and Operation (it does so only where the two are equal or this is unset).
    defaultVersion: 2,
    // generated:expressions
    subtitle:
      '={{ ({ "transcribeUrls": "Transcribe URLs", "uploadFile": "Upload File", "checkStatus": "Check Status", "liveStream": "Live Stream", "alignText": "Align Text", "diarizeSpeakers": "Diarize Speakers", "identifySpeaker": "Identify Speaker", "verifySpeaker": "Verify Speaker", "indexSpeakers": "Index Speakers" })[$parameter["operation"]] }}',
    outputs: `={{ ((p) => { const o = p.operation || "transcribeUrls"; const split = (p.options ||
      {}).splitUncertain === true && (["uploadFile", "checkStatus", "liveStream", "diarizeSpeakers",
      "indexSpeakers"].includes(o) || (o === "transcribeUrls" && p.mode !== "submit")); return split ? [{
      type: "main", displayName: "Transcript" }, { type: "main", displayName: "Needs Review" }] : [{
      type: "main" }]; })($parameter) }}`,
    // end generated:expressions
    description: 'Transcribe Persian speech with Harf: media URLs, uploaded files, live audio streams, text alignment, who spoke when',
    defaults: { name: 'Harf' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'harfApi', required: true, testedBy: 'harfApiTest' }],
    properties: [
      {
        // One resource, so that n8n describes each operation to AI agents by its action; saved
        // workflows without it take this default.
        displayName: 'Resource',
        name: 'resource',
        type: 'options',
        noDataExpression: true,
        default: 'speech',
        options: [{ name: 'Speech', value: 'speech' }],
      },
      {
        displayName: 'Operation',
        name: 'operation',
        type: 'options',
        noDataExpression: true,
        default: 'transcribeUrls',
        displayOptions: { show: { resource: ['speech'] } },
        options: [
          // generated:operations
          {
            name: 'Align Text',
            value: 'alignText',
            action: 'Find when each word of a known text is spoken in media at a URL and return the word times',
            description: 'Find when each word of a known text is spoken',
          },
          {
            name: 'Check Status',
            value: 'checkStatus',
            action: 'Check transcription tasks by task ID and return their state and finished transcripts',
            description: 'Ask about tasks started with Submit Only, once or until done',
          },
          {
            name: 'Diarize Speakers',
            value: 'diarizeSpeakers',
            action: 'Find who speaks when in media at a URL and return the text split by speaker turn',
            description: 'Tell voices apart without samples, labelled speaker_0, speaker_1, …',
          },
          {
            name: 'Identify Speaker',
            value: 'identifySpeaker',
            action: 'Identify the speaker in a recording at a URL among speakers given with voice samples by URL and return the best match',
            description: 'Tell which of your known people is talking',
          },
          {
            name: 'Index Speakers',
            value: 'indexSpeakers',
            action: 'Transcribe a recording at a URL by speaker turn and name each turn from speakers given with voice samples by URL',
            description: 'See which of your known people said what',
          },
          {
            name: 'Live Stream',
            value: 'liveStream',
            action:
              'Stream an audio file from binary data of an earlier node for live transcription but an AI agent cannot pass a file so this operation is not meant as a tool',
            description: 'Stream audio over the websocket and get its segments once the stream ends',
          },
          {
            name: 'Transcribe URLs',
            value: 'transcribeUrls',
            action: 'Transcribe the speech of public audio or video files given by URL and return the text with timed segments',
            description: 'Transcribe media files the service can download',
          },
          {
            name: 'Upload File',
            value: 'uploadFile',
            action:
              'Transcribe an audio or video file from binary data of an earlier node but an AI agent cannot pass a file so this operation is not meant as a tool',
            description: 'Send a file from binary data, e.g. a voice message',
          },
          {
            name: 'Verify Speaker',
            value: 'verifySpeaker',
            action: 'Verify the speaker in a recording at a URL against voice samples of one person given by URL and return the verdict',
            description: 'Confirm someone is who you expect',
          },
          // end generated:operations
        ],
      },
      ...properties,
    ],
  };

  methods = { credentialTest: { harfApiTest } };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return await route(this, operations, 'harf');
  }
}
