import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Service } from '../../lib/errors';
import { errorItemJson, failedItem, toNodeError } from './errors';
import type { Operations } from './registry';

/**
 * Runs the chosen operation of a node's registry for every input item and gathers its main and
 * Needs Review items. Failures are handled here, once for every operation: with the node set to
 * continue, a failed item becomes an error item on the first output, from which n8n takes it to
 * the Error output when the node has one (see failedItem).
 */
export async function route(context: IExecuteFunctions, operations: Operations, service: Service): Promise<INodeExecutionData[][]> {
  const name = context.getNodeParameter('operation', 0) as string;
  const operation = Object.prototype.hasOwnProperty.call(operations, name) ? operations[name] : undefined;
  if (!operation) {
    throw new NodeOperationError(context.getNode(), `The operation "${name}" is not known`, {
      description: `Choose one of: ${Object.values(operations)
        .map((known) => known.option.name)
        .join(', ')}`,
    });
  }
  const items = context.getInputData();
  const withReview = context.getNodeOutputs().length > 1;
  const main: INodeExecutionData[] = [];
  const review: INodeExecutionData[] = [];

  for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
    try {
      const result = await operation.execute.call(context, itemIndex);
      main.push(...result.main);
      review.push(...result.review);
    } catch (error) {
      const nodeError = toNodeError(context.getNode(), error, itemIndex, service);
      if (!context.continueOnFail()) throw nodeError;
      const json = { ...inputOf(context, operation, itemIndex), ...errorItemJson(nodeError, error) };
      main.push(failedItem(context, nodeError, json, itemIndex));
    }
  }
  return withReview ? [main, review] : [main];
}

/** What the failed item was about (its media URL or file name), when the operation can tell. */
function inputOf(context: IExecuteFunctions, operation: Operations[string], itemIndex: number): IDataObject {
  try {
    return operation.input?.call(context, itemIndex) ?? {};
  } catch {
    // The input itself may be what failed; the error says so.
    return {};
  }
}
