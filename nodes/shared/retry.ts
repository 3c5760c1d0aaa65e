import type { IExecuteFunctions } from 'n8n-workflow';

import { retryOptionsFromSeconds } from '../../lib/http/retry';
import type { RetryOptions } from '../../lib/http/types';
import { maxRetryAfterOption } from './descriptions';
import { readOptions } from './params';

/** The item's retry settings: the longest Retry-After wait the user allows. */
export function retryOptions(context: IExecuteFunctions, itemIndex: number): RetryOptions {
  return retryOptionsFromSeconds(readOptions(context, itemIndex).maxRetryAfter, maxRetryAfterOption.displayName);
}
