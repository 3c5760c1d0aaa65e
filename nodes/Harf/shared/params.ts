import { BadInputError, describeValue } from '../../../lib/errors';

/**
 * Splits what a list field holds into its entries: a text with entries separated by commas,
 * spaces or new lines, or (from an expression) an array of such texts. Empty entries are dropped.
 */
export function splitList(value: unknown, field: string, expected: string): string[] {
  const entries: string[] = [];
  const visit = (entry: unknown): void => {
    if (entry === undefined || entry === null) return;
    if (Array.isArray(entry)) {
      entry.forEach(visit);
      return;
    }
    if (typeof entry === 'string') {
      entries.push(...entry.split(/[\s,]+/).filter((part) => part !== ''));
      return;
    }
    if (typeof entry === 'number' && Number.isFinite(entry)) {
      entries.push(String(entry));
      return;
    }
    throw new BadInputError(field, describeValue(entry), expected);
  };
  visit(value);
  if (entries.length === 0) throw new BadInputError(field, describeValue(value), expected);
  return entries;
}

/** Media URLs from the Media URLs field: each must be an http(s) URL. */
export function parseMediaUrls(value: unknown, field = 'mediaUrls'): string[] {
  const expected = 'one or more http(s) URLs of audio or video files, separated by commas or new lines, or an array of them';
  const urls = splitList(value, field, expected);
  for (const url of urls) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      throw new BadInputError(field, describeValue(url), expected);
    }
  }
  return urls;
}

/** Task ids from the Task IDs field (or from items of Submit Only, via `{{ $json.task_id }}`). */
export function parseTaskIds(value: unknown, field = 'taskIds'): string[] {
  return splitList(value, field, 'one or more task ids as returned by Submit Only, separated by commas or new lines, or an array of them');
}

/** A number option that must be positive, with the unit the user sees in the field's name. */
export function positiveNumber(value: unknown, field: string, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new BadInputError(field, describeValue(value), 'a number greater than 0');
  }
  return number;
}
