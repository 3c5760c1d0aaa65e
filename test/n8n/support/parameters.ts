import type { INodeParameters, INodeTypeDescription, NodeParameterValueType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

const isObject = (value: unknown): value is INodeParameters => typeof value === 'object' && value !== null && !Array.isArray(value);

function missing(given: INodeParameters, kept: INodeParameters, prefix: string): string[] {
  return Object.entries(given).flatMap(([name, value]: [string, NodeParameterValueType]) => {
    if (!(name in kept)) return [`${prefix}${name}`];
    const inner = kept[name];
    return isObject(value) && isObject(inner) ? missing(value, inner, `${prefix}${name}.`) : [];
  });
}

/**
 * The parameters n8n drops from a node of this version with these values, as the editor does when
 * it loads the node: those its description does not have, or does not show there. Paths are dotted
 * ("advanced.pollInterval").
 */
export function droppedParameters(description: INodeTypeDescription, parameters: INodeParameters, version: number): string[] {
  const kept = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, { typeVersion: version }, description) ?? {};
  return missing(parameters, kept, '');
}
