import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * The item's options wherever the node's version shows them: Options, and from version 2 on
 * Advanced (polling and retry settings); a setting in Advanced wins.
 */
export function readOptions(context: IExecuteFunctions, itemIndex: number): IDataObject {
  const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
  const advanced = context.getNodeParameter('advanced', itemIndex, {}) as IDataObject;
  return { ...options, ...advanced };
}
