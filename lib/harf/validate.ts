import { UnexpectedResponseError, type TranscriptionErrorDetails } from '../errors';
import type { AlignmentResult, HarfFileResult, HarfSegment } from './types';

/** Checks a 200 answer against the documented shape, naming the first field that is missing or wrong. */
class ShapeChecker {
  constructor(
    private readonly what: string,
    private readonly details: TranscriptionErrorDetails,
  ) {}

  fail(field: string, expected: string, found: unknown): never {
    const shown = found === undefined ? 'missing' : `${JSON.stringify(found)?.slice(0, 80)}`;
    throw new UnexpectedResponseError(
      `Harf's answer to ${this.what} is not the documented shape: ${field} should be ${expected}, found ${shown}`,
      { ...this.details, field },
    );
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (!value || typeof value !== 'object' || Array.isArray(value)) this.fail(field, 'an object', value);
    return value as Record<string, unknown>;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string') this.fail(field, 'a string', value);
    return value as string;
  }

  number(value: unknown, field: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(field, 'a number', value);
    return value as number;
  }

  array(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value)) this.fail(field, 'an array', value);
    return value as unknown[];
  }

  segments(value: unknown, field: string): HarfSegment[] {
    return this.array(value, field).map((item, index) => {
      const segment = this.object(item, `${field}[${index}]`);
      this.string(segment.start, `${field}[${index}].start`);
      this.string(segment.end, `${field}[${index}].end`);
      this.string(segment.text, `${field}[${index}].text`);
      return segment as HarfSegment;
    });
  }

  fileResult(value: unknown, field: string): HarfFileResult {
    const file = this.object(value, field);
    this.string(file.media_url, `${field}.media_url`);
    this.string(file.duration, `${field}.duration`);
    this.segments(file.segments, `${field}.segments`);
    const stats = this.object(file.stats, `${field}.stats`);
    this.number(stats.words, `${field}.stats.words`);
    this.number(stats.known_words, `${field}.stats.known_words`);
    return file as HarfFileResult;
  }
}

export function checkFileResults(
  value: unknown,
  what: string,
  details: TranscriptionErrorDetails,
  expectedCount?: number,
): HarfFileResult[] {
  const checker = new ShapeChecker(what, details);
  const list = checker.array(value, '(body)');
  if (expectedCount !== undefined && list.length !== expectedCount) {
    checker.fail('(body)', `an array of ${expectedCount} file result${expectedCount === 1 ? '' : 's'}`, `${list.length} results`);
  }
  return list.map((item, index) => checker.fileResult(item, `[${index}]`));
}

export function checkSubmitted(value: unknown, details: TranscriptionErrorDetails, urls: string[]): string[] {
  const checker = new ShapeChecker('the submission', details);
  const body = checker.object(value, '(body)');
  const ids = checker.array(body.task_ids, 'task_ids').map((id, index) => checker.string(id, `task_ids[${index}]`));
  if (ids.length !== urls.length) checker.fail('task_ids', `${urls.length} task ids, one per URL`, `${ids.length} ids`);
  return ids;
}

export function checkAlignment(value: unknown, details: TranscriptionErrorDetails): AlignmentResult {
  const checker = new ShapeChecker('the alignment', details);
  const body = checker.object(value, '(body)');
  checker.segments(body.segments, 'segments');
  return body as AlignmentResult;
}

export function shapeChecker(what: string, details: TranscriptionErrorDetails): ShapeChecker {
  return new ShapeChecker(what, details);
}
