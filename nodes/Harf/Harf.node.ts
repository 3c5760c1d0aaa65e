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
    version: 1,
    // generated:expressions
    subtitle: `={{ ({ "transcribeUrls": "Transcribe URLs", "uploadFile": "Upload File", "checkStatus":
      "Check Status", "liveStream": "Live Stream", "alignText": "Align Text", "diarizeSpeakers":
      "Diarize Speakers", "identifySpeaker": "Identify Speaker", "verifySpeaker": "Verify Speaker",
      "indexSpeakers": "Index Speakers" })[$parameter["operation"]] }}`,
    outputs: `={{ ((p) => { const o = p.operation || "transcribeUrls"; const split = (p.options ||
      {}).splitUncertain === true && (["uploadFile", "checkStatus", "liveStream", "diarizeSpeakers",
      "indexSpeakers"].includes(o) || (o === "transcribeUrls" && p.mode !== "submit")); return split ? [{
      type: "main", displayName: "Transcript" }, { type: "main", displayName: "Needs Review" }] : [{
      type: "main" }]; })($parameter) }}`,
    // end generated:expressions
    description: 'Transcribe Persian speech with Harf: media URLs, uploaded files, live audio streams, text alignment, and who spoke when',
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
            action: 'Find when each word of a known text is spoken (input: a media link and the text); returns each word with its times',
            description: 'Find when each word of a known text is spoken',
          },
          {
            name: 'Check Status',
            value: 'checkStatus',
            action: 'Check transcription tasks by task id (input: the task ids); returns each state, and the transcript when done',
            description: 'Ask about tasks started with Submit Only, once or until done',
          },
          {
            name: 'Diarize Speakers',
            value: 'diarizeSpeakers',
            action: 'Find who speaks when (input: media links); returns the text split by speaker turn, each with a speaker label',
            description: 'Transcribe media split by speaker turn, with a speaker label on each segment',
          },
          {
            name: 'Identify Speaker',
            value: 'identifySpeaker',
            action: 'Identify which known speaker is speaking (input: a media link and sample links of each speaker); returns the best match',
            description: 'Find which of the named speakers, each with sample recordings, is speaking',
          },
          {
            name: 'Index Speakers',
            value: 'indexSpeakers',
            action: 'Transcribe media by speaker turn matched to known speakers (input: a media link and sample links); returns named turns',
            description: 'Transcribe media by speaker turn, each turn matched against the named speakers',
          },
          {
            name: 'Live Stream',
            value: 'liveStream',
            action: 'Transcribe an audio file from binary data over a live stream; not for AI agents, it needs a file from an earlier node',
            description: 'Stream audio over the websocket and get segments as they are recognised',
          },
          {
            name: 'Transcribe URLs',
            value: 'transcribeUrls',
            action: 'Transcribe speech from public audio or video links (input: the links); returns the text with timed segments',
            description: 'Transcribe media files the service can download',
          },
          {
            name: 'Upload File',
            value: 'uploadFile',
            action: 'Transcribe an audio or video file from binary data; not for AI agents, it needs a file from an earlier node',
            description: 'Send a file from binary data, e.g. a voice message',
          },
          {
            name: 'Verify Speaker',
            value: 'verifySpeaker',
            action: 'Check whether a recording is of one person (input: a media link and sample links); returns the verdict and its score',
            description: 'Check whether the speaker is the one person of the samples',
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
