import { BadInputError, describeValue } from '../errors';

/** A task to follow: its id, and the media URL it transcribes when that is known. */
export interface TaskReference {
  task_id: string;
  media_url?: string;
}

const MEDIA_URLS_EXPECTED = 'one or more http(s) URLs of audio or video files, separated by commas or new lines, or an array of them';
const TASK_IDS_EXPECTED = 'one or more task ids as returned by Submit Only, separated by commas or new lines, or an array of them';

/** A URL is checked as a whole; commas inside one are kept unless another URL follows them. */
function splitText(text: string): string[] {
  return text
    .split(/\s+/)
    .flatMap((token) => token.split(/,(?=[a-z][a-z0-9+.-]*:\/\/)/i))
    .map((token) => token.replace(/^,+|,+$/g, ''))
    .filter((token) => token !== '');
}

/** An http(s) URL, trimmed; anything else is refused naming `field`. */
export function checkedMediaUrl(value: unknown, field: string): string {
  if (typeof value === 'string') {
    const text = value.trim();
    try {
      const url = new URL(text);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && !/\s/.test(text)) return text;
    } catch {
      // refused below
    }
  }
  throw new BadInputError(field, describeValue(value), 'an http(s) URL of an audio or video file', 'invalid-url');
}

/** Flattens what a field or a payload holds into entries: texts are split, arrays (nested too) walked. */
function entriesOf(value: unknown, pick: (record: Record<string, unknown>) => unknown, listKey: string): unknown[] {
  const entries: unknown[] = [];
  const visit = (entry: unknown): void => {
    if (entry === undefined || entry === null) return;
    if (Array.isArray(entry)) entry.forEach(visit);
    else if (typeof entry === 'string') entries.push(...splitText(entry));
    else if (typeof entry === 'object' && Array.isArray((entry as Record<string, unknown>)[listKey])) {
      visit((entry as Record<string, unknown>)[listKey]);
    } else if (typeof entry === 'object' && pick(entry as Record<string, unknown>) !== undefined) entries.push(entry);
    else entries.push(entry);
  };
  visit(value);
  return entries;
}

/**
 * Media URLs from a field or a message: one URL, URLs separated by commas or new lines, an array
 * (nested arrays too, as expressions give), `{media_urls: […]}`, or objects with `media_url` (a file
 * result or a submitted task can be sent again). Each must be an http(s) URL.
 */
export function readMediaUrls(value: unknown, field: string): string[] {
  const entries = entriesOf(value, (record) => record.media_url, 'media_urls');
  if (entries.length === 0) throw new BadInputError(field, describeValue(value), MEDIA_URLS_EXPECTED, 'invalid-url');
  return entries.map((entry, index) => {
    const where = entries.length === 1 ? field : `${field}[${index}]`;
    if (entry && typeof entry === 'object' && 'media_url' in entry)
      return checkedMediaUrl((entry as { media_url: unknown }).media_url, `${where}.media_url`);
    if (typeof entry !== 'string') throw new BadInputError(where, describeValue(entry), MEDIA_URLS_EXPECTED, 'invalid-url');
    return checkedMediaUrl(entry, where);
  });
}

/**
 * Task ids from a field or a message: an id, ids separated by commas, spaces or new lines, an array,
 * the `[{task_id, media_url}]` of Submit Only, or Harf's own `{task_ids: […]}` answer.
 */
export function readTaskIds(value: unknown, field: string): TaskReference[] {
  const entries = entriesOf(value, (record) => record.task_id, 'task_ids');
  if (entries.length === 0) throw new BadInputError(field, describeValue(value), TASK_IDS_EXPECTED);
  return entries.map((entry, index) => {
    const where = entries.length === 1 ? field : `${field}[${index}]`;
    if (typeof entry === 'string') return { task_id: entry };
    if (typeof entry === 'number' && Number.isFinite(entry)) return { task_id: String(entry) };
    if (entry && typeof entry === 'object') {
      const { task_id: taskId, media_url: mediaUrl } = entry as { task_id?: unknown; media_url?: unknown };
      if (typeof taskId === 'string' && taskId.trim() !== '') {
        return typeof mediaUrl === 'string' ? { task_id: taskId.trim(), media_url: mediaUrl } : { task_id: taskId.trim() };
      }
      throw new BadInputError(`${where}.task_id`, describeValue(taskId), 'a task id (text)');
    }
    throw new BadInputError(where, describeValue(entry), TASK_IDS_EXPECTED);
  });
}
