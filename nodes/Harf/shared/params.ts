import { readMediaUrls, readTaskIds } from '../../../lib/harf/input';

/** Media URLs from the Media URLs field (a text list, or an array from an expression). */
export function parseMediaUrls(value: unknown, field = 'mediaUrls'): string[] {
  return readMediaUrls(value, field);
}

/** Task ids from the Task IDs field (or from items of Submit Only, via `{{ $json.task_id }}`). */
export function parseTaskIds(value: unknown, field = 'taskIds'): string[] {
  return readTaskIds(value, field).map((task) => task.task_id);
}

/** A credential field left empty, which means the service's default, as the field's own default does. */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}
