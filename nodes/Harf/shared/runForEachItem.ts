import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Service } from '../../../lib/errors';
import { errorItemJson, toNodeError } from './errors';
import type { OperationResult } from './transcriptItems';

export type ItemOperation = (this: IExecuteFunctions, itemIndex: number) => Promise<OperationResult>;

/**
 * Runs one operation for every input item and gathers its Transcript and Needs Review items.
 * Failures are handled here, once for every operation: an item that fails becomes an error
 * item on the first output when the node continues on fail, and the other items go on.
 */
export async function runForEachItem(
  context: IExecuteFunctions,
  operation: ItemOperation,
  service: Service,
): Promise<INodeExecutionData[][]> {
  const items = context.getInputData();
  const withReview = context.getNodeOutputs().length > 1;
  const transcript: INodeExecutionData[] = [];
  const review: INodeExecutionData[] = [];

  for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
    try {
      const result = await operation.call(context, itemIndex);
      transcript.push(...result.main);
      review.push(...result.review);
    } catch (error) {
      const nodeError = toNodeError(context.getNode(), error, itemIndex, service);
      if (context.continueOnFail()) {
        transcript.push({ json: errorItemJson(nodeError, error), pairedItem: { item: itemIndex } });
        continue;
      }
      throw nodeError;
    }
  }
  return withReview ? [transcript, review] : [transcript];
}
