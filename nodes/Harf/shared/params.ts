import { readMediaUrls, readTaskIds, type TaskReference } from '../../../lib/harf/input';

/** Media URLs from the Media URLs field (a text list, or an array from an expression). */
export function parseMediaUrls(value: unknown, field = 'mediaUrls'): string[] {
  return readMediaUrls(value, field);
}

/** Task ids from the Task IDs field (or from items of Submit Only, via `{{ $json.task_id }}`), with their media URLs when given. */
export function parseTaskIds(value: unknown, field = 'taskIds'): TaskReference[] {
  return readTaskIds(value, field);
}

/** A credential field left empty, which means the service's default, as the field's own default does. */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}
