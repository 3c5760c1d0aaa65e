import { UnexpectedResponseError, describeValue, type Service } from '../errors';
import { parseTime, sender, timeSeconds } from './time';
import { joinedText } from './speakers';
import { countWords, uncertainWordsIn } from './uncertain';
import type { EnrichOptions, TranscriptFile, TranscriptSegment, TranscriptSource, UncertainWord } from './types';

function fieldPath(prefix: string, field: string): string {
  if (prefix === '') return field;
  return field.startsWith('[') ? `${prefix}${field}` : `${prefix}.${field}`;
}

function malformedField(path: string, found: unknown, expected: string, service: Service | undefined): UnexpectedResponseError {
  return new UnexpectedResponseError(`${sender(service)} ${path} as ${describeValue(found)}; expected ${expected}`, {
    service,
    field: path,
  });
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** W3C media fragment for a time range: `url#t=2.55,5`. */
export function mediaFragment(mediaUrl: string, startSeconds: number, endSeconds: number): string {
  const base = mediaUrl.split('#')[0];
  return `${base}#t=${trimNumber(startSeconds)},${trimNumber(endSeconds)}`;
}

function trimNumber(seconds: number): string {
  return String(Math.round(seconds * 1000) / 1000);
}

/** Adds `value` under `key` unless the API already sent a field of that name (never overwrite). */
function addBeside(target: Record<string, unknown>, source: Record<string, unknown>, key: string, value: unknown): void {
  if (!Object.prototype.hasOwnProperty.call(source, key)) target[key] = value;
}

/**
 * Returns a new object with every field of the file result kept as sent and the derived fields
 * beside them (see TranscriptFile). The input is not changed.
 * Throws UnexpectedResponseError naming the field path when the result is not the documented shape.
 */
export function enrichFileResult(result: TranscriptSource, options: EnrichOptions = {}): TranscriptFile {
  const prefix = options.path ?? '';
  const service = options.service;
  const malformed = (path: string, found: unknown, expected: string) => malformedField(path, found, expected, service);
  const at = (field: string) => fieldPath(prefix, field);
  if (!isObject(result)) throw malformed(prefix || 'the file result', result, 'an object with media_url and segments');
  const source = result as Record<string, unknown>;

  let mediaUrl: string;
  if (typeof source.media_url === 'string') mediaUrl = source.media_url;
  else if (source.media_url === undefined && typeof options.mediaUrl === 'string') mediaUrl = options.mediaUrl;
  else throw malformed(at('media_url'), source.media_url, 'the media URL as text');

  if (!Array.isArray(source.segments)) throw malformed(at('segments'), source.segments, 'an array of segments');
  const segments = enrichSegments(source.segments, { path: prefix, service });

  let durationSeconds: number;
  if (source.duration !== undefined) durationSeconds = parseTime(source.duration as string, at('duration'), service);
  else durationSeconds = segments.reduce((max, s) => Math.max(max, secondsOf(s, 'end')), 0);

  const { words, knownWords } = wordCounts(source.stats, segments, at, service);
  const uncertainWords = uncertainWordsOf(segments, mediaUrl);

  const out: Record<string, unknown> = { ...source };
  if (source.media_url === undefined) out.media_url = mediaUrl;
  out.segments = segments;
  if (isObject(source.stats)) out.stats = { ...source.stats };
  addBeside(out, source, 'duration_seconds', durationSeconds);
  addBeside(out, source, 'text', joinedText(segments));
  addBeside(out, source, 'uncertain_words', uncertainWords);
  addBeside(out, source, 'uncertain_count', uncertainWords.length);
  // Three places: a ratio of words reads as 0.947, not 0.9473684210526315.
  addBeside(out, source, 'certainty_ratio', words === 0 ? 1 : Math.round((knownWords / words) * 1000) / 1000);
  return out as TranscriptFile;
}

/**
 * Segments without their file (those a live session had received when it failed), each as
 * enrichFileResult gives it: index, times in seconds and uncertain words beside what was sent.
 */
export function enrichSegments(segments: unknown[], options: Pick<EnrichOptions, 'path' | 'service'> = {}): TranscriptSegment[] {
  return segments.map((segment, index) =>
    enrichSegment(segment, index, fieldPath(options.path ?? '', `segments[${index}]`), options.service),
  );
}

/** One segment checked, with its index, times in seconds and uncertain words beside what was sent. */
function enrichSegment(segment: unknown, index: number, segPath: string, service: Service | undefined): TranscriptSegment {
  const malformed = (path: string, found: unknown, expected: string) => malformedField(path, found, expected, service);
  if (!isObject(segment)) throw malformed(segPath, segment, 'an object with start, end and text');
  if (typeof segment.text !== 'string') throw malformed(`${segPath}.text`, segment.text, 'the segment text');
  const startSeconds = timeSeconds(segment.start, `${segPath}.start`, service);
  const endSeconds = timeSeconds(segment.end, `${segPath}.end`, service);
  // Times in seconds the service sent itself are used as they are, so they are checked as its answer.
  for (const key of ['start_seconds', 'end_seconds'] as const) {
    if (segment[key] !== undefined) timeSeconds(segment[key], `${segPath}.${key}`, service);
  }
  if (endSeconds < startSeconds)
    throw malformed(`${segPath}.end`, segment.end, `a time not before the segment's start (${String(segment.start)})`);
  if (segment.uncertain_words !== undefined && !isStringList(segment.uncertain_words)) {
    throw malformed(`${segPath}.uncertain_words`, segment.uncertain_words, 'a list of the bracketed words (text)');
  }
  const enriched: Record<string, unknown> = { ...segment };
  addBeside(enriched, segment, 'segment_index', index);
  addBeside(enriched, segment, 'start_seconds', startSeconds);
  addBeside(enriched, segment, 'end_seconds', endSeconds);
  addBeside(enriched, segment, 'uncertain_words', uncertainWordsIn(segment.text));
  return enriched as TranscriptSegment;
}

/** The words and known words: the service's stats, or counted from the text (bracketed words being unknown). */
function wordCounts(
  stats: unknown,
  segments: TranscriptSegment[],
  at: (field: string) => string,
  service: Service | undefined,
): { words: number; knownWords: number } {
  if (stats !== undefined) {
    if (!isObject(stats)) throw malformedField(at('stats'), stats, 'an object with words and known_words', service);
    const words = countField(stats.words, at('stats.words'), service);
    const knownWords = countField(stats.known_words, at('stats.known_words'), service);
    if (knownWords > words) throw malformedField(at('stats.known_words'), knownWords, `a count from 0 to stats.words (${words})`, service);
    return { words, knownWords };
  }
  // Alignment and live results have no stats.
  let words = 0;
  let knownWords = 0;
  for (const s of segments) {
    const all = countWords(s.text);
    const unsure = segmentUncertainWords(s).reduce((n, w) => n + countWords(w), 0);
    words += all;
    knownWords += Math.max(0, all - unsure);
  }
  return { words, knownWords };
}

/** Every uncertain word with its segment, times and a media-fragment link to the spot. */
function uncertainWordsOf(segments: TranscriptSegment[], mediaUrl: string): UncertainWord[] {
  const uncertainWords: UncertainWord[] = [];
  for (const s of segments) {
    const start = secondsOf(s, 'start');
    const end = secondsOf(s, 'end');
    for (const word of segmentUncertainWords(s)) {
      uncertainWords.push({
        word,
        segment_index: s.segment_index,
        start: s.start,
        end: s.end,
        start_seconds: start,
        end_seconds: end,
        media_fragment: mediaFragment(mediaUrl, start, end),
      });
    }
  }
  return uncertainWords;
}

function countField(value: unknown, path: string, service: Service | undefined): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw malformedField(path, value, 'a count (number, 0 or more)', service);
  }
  return value;
}

/** A segment's start or end in seconds, from `*_seconds` when present, else from the time text. */
export function secondsOf(segment: Record<string, unknown>, which: 'start' | 'end', path?: string): number {
  const seconds = segment[`${which}_seconds`];
  if (typeof seconds === 'number' && Number.isFinite(seconds)) return seconds;
  return timeSeconds(segment[which], path ?? which);
}

/** Every segment in exactly one side: `uncertain` has those with at least one bracketed word. */
export function splitByCertainty(file: TranscriptFile | TranscriptSource): {
  certain: TranscriptSegment[];
  uncertain: TranscriptSegment[];
} {
  const enriched = isEnriched(file) ? file : enrichFileResult(file);
  const certain: TranscriptSegment[] = [];
  const uncertain: TranscriptSegment[] = [];
  for (const segment of enriched.segments) {
    (segmentUncertainWords(segment).length > 0 ? uncertain : certain).push(segment);
  }
  return { certain, uncertain };
}

export function isEnriched(file: unknown): file is TranscriptFile {
  return (
    isObject(file) &&
    Array.isArray(file.segments) &&
    file.segments.every((s) => isObject(s) && typeof s.segment_index === 'number' && typeof s.start_seconds === 'number')
  );
}

/** The segment's uncertain words; recomputed from its text if the field is not a string list. */
export function segmentUncertainWords(segment: TranscriptSegment): string[] {
  const words = segment.uncertain_words as unknown;
  if (Array.isArray(words) && words.every((w) => typeof w === 'string')) return words as string[];
  return uncertainWordsIn(segment.text);
}
