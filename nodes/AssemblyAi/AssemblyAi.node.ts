import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { runForEachItem } from '../Harf/shared/runForEachItem';
import { configuredOutputs } from '../Harf/shared/nodeOutputs';
import * as transcribeShortAudio from './actions/transcribeShortAudio.operation';
import { assemblyAiApiTest } from './shared/credentialTest';

export class AssemblyAi implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'AssemblyAI',
    name: 'assemblyAi',
    icon: { light: 'file:../../icons/assemblyai.svg', dark: 'file:../../icons/assemblyai.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{ $parameter["operation"] === "transcribeShortAudio" ? "Transcribe Short Audio" : "" }}',
    description: "Transcribe short audio (under 15 seconds) with AssemblyAI's synchronous endpoint",
    defaults: { name: 'AssemblyAI' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: `={{(${configuredOutputs})($parameter)}}`,
    credentials: [{ name: 'assemblyAiApi', required: true, testedBy: 'assemblyAiApiTest' }],
    properties: [
      {
        displayName: 'Operation',
        name: 'operation',
        type: 'options',
        noDataExpression: true,
        default: 'transcribeShortAudio',
        options: [
          {
            name: 'Transcribe Short Audio',
            value: 'transcribeShortAudio',
            action: 'Transcribe a short WAV file',
            description: 'Send a WAV under 15 seconds and get its words with their confidence',
          },
        ],
      },
      ...transcribeShortAudio.description,
    ],
  };

  methods = { credentialTest: { assemblyAiApiTest } };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const operation = this.getNodeParameter('operation', 0) as string;
    if (operation !== 'transcribeShortAudio') {
      throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not known`, {
        description: 'Choose Transcribe Short Audio',
      });
    }
    return await runForEachItem(this, transcribeShortAudio.execute, 'assemblyai');
  }
}
