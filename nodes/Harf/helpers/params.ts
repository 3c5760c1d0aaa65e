import { readMediaUrls, readTaskIds, type TaskReference } from '../../../lib/harf/input';

/** Media URLs from a field holding them (a text list, or an array from an expression); errors name the field as shown. */
export function parseMediaUrls(value: unknown, field = 'Media URLs'): string[] {
  return readMediaUrls(value, field);
}

/** Task ids from the Task IDs field (or from items of Submit Only, via `{{ $json.task_id }}`), with their media URLs when given. */
export function parseTaskIds(value: unknown, field = 'Task IDs'): TaskReference[] {
  return readTaskIds(value, field);
}
