import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { retryOptionsFromSeconds } from '../../lib/http/retry';
import type { RetryOptions } from '../../lib/http/types';
import { maxRetryAfterOption } from './descriptions';

/** The item's retry settings: the longest Retry-After wait the user allows. */
export function retryOptions(context: IExecuteFunctions, itemIndex: number): RetryOptions {
  const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
  return retryOptionsFromSeconds(options.maxRetryAfter, maxRetryAfterOption.displayName);
}
