import type { INodeParameters } from 'n8n-workflow';

/**
 * The node's outputs for its current parameters: a second output, Needs Review, when the
 * review split is on for an operation that yields transcripts. n8n evaluates this in the
 * editor and at run time through the `outputs` expression, so it must stay self-contained.
 */
export const configuredOutputs = (parameters: INodeParameters) => {
  const options = (parameters.options ?? {}) as { splitUncertain?: boolean };
  const operation = parameters.operation as string | undefined;
  const submitOnly = operation === 'transcribeUrls' && parameters.mode === 'submit';
  const splits =
    options.splitUncertain === true &&
    !['alignText', 'identifySpeaker', 'verifySpeaker'].includes(operation ?? '') &&
    !submitOnly;
  if (!splits) return [{ type: 'main' }];
  return [
    { type: 'main', displayName: 'Transcript' },
    { type: 'main', displayName: 'Needs Review' },
  ];
};
