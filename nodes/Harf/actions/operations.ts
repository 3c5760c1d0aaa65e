import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runForEachItem, type ItemOperation } from '../shared/runForEachItem';
import * as alignText from './alignText.operation';
import * as checkStatus from './checkStatus.operation';
import * as diarizeSpeakers from './diarizeSpeakers.operation';
import * as identifySpeaker from './identifySpeaker.operation';
import * as indexSpeakers from './indexSpeakers.operation';
import * as liveStream from './liveStream.operation';
import * as transcribeUrls from './transcribeUrls.operation';
import * as uploadFile from './uploadFile.operation';
import * as verifySpeaker from './verifySpeaker.operation';

export const operations = {
  transcribeUrls,
  uploadFile,
  checkStatus,
  liveStream,
  alignText,
  diarizeSpeakers,
  identifySpeaker,
  verifySpeaker,
  indexSpeakers,
};

/** Runs the chosen operation for every input item. */
export async function runOperation(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  const operation = this.getNodeParameter('operation', 0) as string;
  const module = (operations as Record<string, { execute: ItemOperation } | undefined>)[operation];
  if (!module) {
    throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not known`, {
      description: `Choose one of: ${Object.keys(operations).join(', ')}`,
    });
  }
  return await runForEachItem(this, module.execute, 'harf');
}
