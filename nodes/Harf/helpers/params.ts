import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readMediaUrls, readTaskIds, type TaskReference } from '../../../lib/harf/input';

/** Media URLs from a field holding them (a text list, or an array from an expression); errors name the field as shown. */
export function parseMediaUrls(value: unknown, field = 'Media URLs'): string[] {
  return readMediaUrls(value, field);
}

/** Task ids from the Task IDs field (or from items of Submit Only, via `{{ $json.task_id }}`), with their media URLs when given. */
export function parseTaskIds(value: unknown, field = 'Task IDs'): TaskReference[] {
  return readTaskIds(value, field);
}

/** An operation's `input`: the media URL(s) of its `parameter` (shown as `field`), which a failed item names. */
export function mediaUrlInput(parameter: string, field: string): (this: IExecuteFunctions, itemIndex: number) => IDataObject {
  return function (this: IExecuteFunctions, itemIndex: number): IDataObject {
    const urls = parseMediaUrls(this.getNodeParameter(parameter, itemIndex), field);
    return { media_url: urls.length === 1 ? urls[0] : urls };
  };
}
