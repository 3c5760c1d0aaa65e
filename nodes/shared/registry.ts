import type { IDataObject, IExecuteFunctions, INodeParameters, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { OperationResult } from './transcriptItems';

/**
 * One operation of a node, as its `<operation>.operation.ts` exports it: the entry of the Operation
 * list (`option`, whose `action` is also the tool description an AI agent's model reads, so it says
 * what to give and what comes back), its parameters (`description`), what runs for one item (`execute`), whether it
 * may split uncertain segments to Needs Review (`reviews`), and what an error item of it names
 * (`input`: the media URL or file name the item was about).
 */
export interface Operation {
  option: INodePropertyOptions & { value: string; action: string };
  description: INodeProperties[];
  execute: (this: IExecuteFunctions, itemIndex: number) => Promise<OperationResult>;
  reviews: ((parameters: INodeParameters) => boolean) | boolean;
  input?: (this: IExecuteFunctions, itemIndex: number) => IDataObject;
}

/** A node's operations by their value, in the order the Operation list shows them. */
export type Operations = Record<string, Operation>;

/** The Operation list's options, sorted by name as n8n's lint wants. */
export function operationOptions(operations: Operations): INodePropertyOptions[] {
  return Object.values(operations)
    .map((operation) => operation.option)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The node's subtitle: the chosen operation's name. */
export function subtitleExpression(operations: Operations): string {
  const names = Object.fromEntries(Object.values(operations).map(({ option }) => [option.value, option.name]));
  const entries = Object.entries(names).map(([value, name]) => `${JSON.stringify(value)}: ${JSON.stringify(name)}`);
  return `={{ ({ ${entries.join(', ')} })[$parameter["operation"]] }}`;
}

/**
 * The node's `outputs` expression: a second output, Needs Review, when the review split is on for
 * an operation that can send segments there. n8n evaluates it in the editor and at run time with
 * nothing but the parameters, so it is written out as text with the registry's answers inside.
 */
export function outputsExpression(operations: Operations): string {
  const rules: Record<string, boolean | string> = {};
  for (const [value, { reviews }] of Object.entries(operations)) {
    rules[value] = typeof reviews === 'boolean' ? reviews : reviewRule(reviews);
  }
  const always = Object.keys(rules).filter((value) => rules[value] === true);
  const conditional = Object.entries(rules).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  const conditions = [
    `[${always.map((value) => JSON.stringify(value)).join(', ')}].includes(o)`,
    ...conditional.map(([value, rule]) => `(o === "${value}" && ${rule})`),
  ];
  return (
    `={{ ((p) => { const o = p.operation || ${JSON.stringify(Object.keys(operations)[0])}; ` +
    'const split = (p.options || {}).splitUncertain === true && ' +
    `(${conditions.join(' || ')}); ` +
    'return split ? [{ type: "main", displayName: "Transcript" }, { type: "main", displayName: "Needs Review" }] : [{ type: "main" }]; ' +
    '})($parameter) }}'
  );
}

/** A review rule written as text over the parameters `p` (only simple equality rules are supported). */
function reviewRule(rule: (parameters: INodeParameters) => boolean): string {
  const text = (rule as { expression?: string }).expression;
  if (!text) throw new Error('A conditional review rule needs its `expression` text (see reviewsUnless)');
  return text;
}

/** A review rule: the operation reviews unless the parameter `name` is `value`, as code and as text. */
export function reviewsUnless(name: string, value: string): ((parameters: INodeParameters) => boolean) & { expression: string } {
  const rule = (parameters: INodeParameters) => parameters[name] !== value;
  return Object.assign(rule, { expression: `p.${name} !== ${JSON.stringify(value)}` });
}

/** The outputs for these parameters, evaluated from the registry itself (the expression must agree). */
export function configuredOutputs(operations: Operations, parameters: INodeParameters): Array<{ type: string; displayName?: string }> {
  const operation = operations[(parameters.operation as string | undefined) || Object.keys(operations)[0]];
  const options = (parameters.options ?? {}) as { splitUncertain?: boolean };
  const reviews = operation && (typeof operation.reviews === 'boolean' ? operation.reviews : operation.reviews(parameters));
  if (options.splitUncertain !== true || !reviews) return [{ type: 'main' }];
  return [
    { type: 'main', displayName: 'Transcript' },
    { type: 'main', displayName: 'Needs Review' },
  ];
}
