import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { SYNC_LIMITS } from '../../lib/assemblyai';
import { AUDIO_FORMATS } from '../shared/descriptions';
import { route } from '../shared/router';
import { operations, properties } from './actions/registry';
import { assemblyAiApiTest } from './transport/credentialTest';

export class AssemblyAi implements INodeType {
  // The Operation options, subtitle and outputs come from actions/registry.ts; they are written
  // out here (by scripts/n8n-descriptions.js) so that n8n's lint can read the whole description.
  description: INodeTypeDescription = {
    displayName: 'AssemblyAI',
    name: 'assemblyAi',
    icon: { light: 'file:../../icons/assemblyai.svg', dark: 'file:../../icons/assemblyai.dark.svg' },
    group: ['transform'],
    // Version 2 moves the polling and retry settings to Advanced; version 1 keeps saved workflows as they are.
    version: [1, 2],
    // New nodes get version 2. Set, and other than `version`, it also keeps n8n from appending its
    // Custom API Call to Resource and Operation (it does so only where the two are equal or this is unset).
    defaultVersion: 2,
    // generated:expressions
    subtitle: '={{ ({ "transcribeShortAudio": "Transcribe Short Audio" })[$parameter["operation"]] }}',
    outputs: `={{ ((p) => { const o = p.operation || "transcribeShortAudio"; const split = (p.options ||
      {}).splitUncertain === true && (["transcribeShortAudio"].includes(o)); return split ? [{ type:
      "main", displayName: "Transcript" }, { type: "main", displayName: "Needs Review" }] : [{ type:
      "main" }]; })($parameter) }}`,
    // end generated:expressions
    description: `Transcribe audio of up to ${SYNC_LIMITS.maxSeconds} seconds (${AUDIO_FORMATS}) with AssemblyAI's Sync API`,
    defaults: { name: 'AssemblyAI' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'assemblyAiApi', required: true, testedBy: 'assemblyAiApiTest' }],
    properties: [
      {
        // One resource, so that n8n describes each operation to AI agents by its action; saved
        // workflows without it take this default.
        displayName: 'Resource',
        name: 'resource',
        type: 'options',
        noDataExpression: true,
        default: 'audio',
        options: [{ name: 'Audio', value: 'audio' }],
      },
      {
        displayName: 'Operation',
        name: 'operation',
        type: 'options',
        noDataExpression: true,
        default: 'transcribeShortAudio',
        displayOptions: { show: { resource: ['audio'] } },
        options: [
          // generated:operations
          {
            name: 'Transcribe Short Audio',
            value: 'transcribeShortAudio',
            action:
              'Transcribe audio of up to 120 seconds from binary data of an earlier node but an AI agent cannot pass a file so this operation is not meant as a tool',
            description: 'Send WAV, OGG/Opus, OGG/Vorbis, MP3 or FLAC audio of up to 120 seconds and get its words with their confidence',
          },
          // end generated:operations
        ],
      },
      ...properties,
    ],
  };

  methods = { credentialTest: { assemblyAiApiTest } };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return await route(this, operations, 'assemblyai');
  }
}
