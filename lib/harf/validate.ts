import type { TranscriptionErrorDetails } from '../errors';
import { ShapeChecker } from '../http/shape';
import { parseTime } from '../transcript/time';
import type { AlignmentResult, HarfFileResult, HarfSegment } from './types';

type HarfDetails = TranscriptionErrorDetails & { service: 'harf' };

/** A checker of Harf's answers; its errors name Harf and the first wrong field. */
export function harfChecker(what: string, details: HarfDetails): ShapeChecker {
  return new ShapeChecker(what, details);
}

/** A Harf time (`H:MM:SS[.ffffff]`) in seconds; anything else is the service's wrong answer. */
function harfTime(checker: ShapeChecker, value: unknown, field: string): number {
  const text = checker.string(value, field);
  try {
    return parseTime(text, field);
  } catch {
    return checker.fail(field, 'a time like H:MM:SS or H:MM:SS.ffffff', value);
  }
}

function checkSegments(checker: ShapeChecker, value: unknown, field: string): HarfSegment[] {
  return checker.array(value, field).map((item, index) => {
    const at = `${field}[${index}]`;
    const segment = checker.object(item, at);
    const start = harfTime(checker, segment.start, `${at}.start`);
    const end = harfTime(checker, segment.end, `${at}.end`);
    checker.ordered(start, end, `${at}.end`, segment.end, segment.start);
    checker.string(segment.text, `${at}.text`);
    return segment as HarfSegment;
  });
}

function checkFileResult(checker: ShapeChecker, value: unknown, field: string): HarfFileResult {
  const file = checker.object(value, field);
  checker.string(file.media_url, `${field}.media_url`);
  harfTime(checker, file.duration, `${field}.duration`);
  checkSegments(checker, file.segments, `${field}.segments`);
  const stats = checker.object(file.stats, `${field}.stats`);
  const words = checker.within(stats.words, `${field}.stats.words`, 0, Number.MAX_SAFE_INTEGER, 'a count of words, 0 or more');
  // The known words are some of the words: more of them than words is not a count.
  checker.within(stats.known_words, `${field}.stats.known_words`, 0, words, `a count from 0 to stats.words (${words})`);
  return file as HarfFileResult;
}

export function checkFileResults(value: unknown, what: string, details: HarfDetails, expectedCount?: number): HarfFileResult[] {
  const checker = harfChecker(what, details);
  const list = checker.array(value, '(body)');
  if (expectedCount !== undefined && list.length !== expectedCount) {
    checker.fail('(body)', `an array of ${expectedCount} file result${expectedCount === 1 ? '' : 's'}`, `${list.length} results`);
  }
  return list.map((item, index) => checkFileResult(checker, item, `[${index}]`));
}

export function checkSubmitted(value: unknown, details: HarfDetails, urls: string[]): string[] {
  const checker = harfChecker('the submission', details);
  const body = checker.object(value, '(body)');
  const ids = checker.array(body.task_ids, 'task_ids').map((id, index) => checker.string(id, `task_ids[${index}]`));
  if (ids.length !== urls.length) checker.fail('task_ids', `${urls.length} task ids, one per URL`, `${ids.length} ids`);
  return ids;
}

export function checkAlignment(value: unknown, details: HarfDetails): AlignmentResult {
  const checker = harfChecker('the alignment', details);
  const body = checker.object(value, '(body)');
  checkSegments(checker, body.segments, 'segments');
  return body as AlignmentResult;
}
