import type { Operations } from '../../shared/registry';
import * as transcribeShortAudio from './transcribeShortAudio.operation';

/**
 * The AssemblyAI node's operations, the one list a new operation is added to: the node's Operation
 * options, subtitle and outputs are generated from it (scripts/n8n-descriptions.js) and its
 * router dispatches by it.
 */
export const operations: Operations = { transcribeShortAudio };

/** Every parameter of every operation, each shown only for its operation. */
export const properties = Object.values(operations).flatMap((operation) => operation.description);
