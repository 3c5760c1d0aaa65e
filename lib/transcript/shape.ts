import { BadInputError, describeValue } from '../errors';
import { enrichFileResult, isEnriched, mediaFragment, secondsOf, segmentUncertainWords } from './enrich';
import { OUTPUT_MODES, type ShapeOptions, type ShapedOutput, type TranscriptFile, type TranscriptSegment } from './types';

/**
 * The fields a reader looks for first, in the order a table shows them (n8n's columns, a debug
 * view): where it is from, the text, then the numbers; lists such as segments come after them.
 */
const FILE_FIELDS_FIRST = ['media_url', 'text', 'normalized_text', 'duration_seconds', 'uncertain_count', 'certainty_ratio'];
const SEGMENT_FIELDS_FIRST = ['media_url', 'text', 'normalized_text', 'start_seconds', 'end_seconds', 'speaker', 'segment_index'];

/** The same fields, those of `first` leading in that order; nothing is renamed or dropped. */
export function inReadingOrder(entry: Record<string, unknown>, first: readonly string[]): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of first) if (Object.prototype.hasOwnProperty.call(entry, key)) ordered[key] = entry[key];
  for (const [key, value] of Object.entries(entry)) if (!(key in ordered)) ordered[key] = value;
  return ordered;
}

/** A file entry with the fields a reader looks for first (see FILE_FIELDS_FIRST). */
export function fileEntry(file: TranscriptFile): Record<string, unknown> {
  return inReadingOrder(file, FILE_FIELDS_FIRST);
}

/** One segment as a standalone entry: where it is from, its text, times and uncertain words. */
export function segmentEntry(file: TranscriptFile, segment: TranscriptSegment): Record<string, unknown> {
  const start = secondsOf(segment, 'start');
  const end = secondsOf(segment, 'end');
  const entry: Record<string, unknown> = {
    media_url: file.media_url,
    text: segment.text,
    start_seconds: start,
    end_seconds: end,
    segment_index: segment.segment_index,
    start: segment.start,
    end: segment.end,
    uncertain_words: segmentUncertainWords(segment),
    media_fragment: mediaFragment(file.media_url, start, end),
  };
  // Other fields the service sent with the segment (a live segment's segment_id, say) come along.
  for (const [key, value] of Object.entries(segment)) if (!(key in entry)) entry[key] = value;
  return inReadingOrder(entry, SEGMENT_FIELDS_FIRST);
}

/** Text mode: the file's media URL and text (and its normalised text, when asked for). */
function textEntry(file: TranscriptFile): Record<string, unknown> {
  const entry: Record<string, unknown> = { media_url: file.media_url, text: file.text };
  if (typeof file.normalized_text === 'string') entry.normalized_text = file.normalized_text;
  return entry;
}

/**
 * Shapes enriched files for a node's outputs.
 * - `file`: one entry per file; `segment`: one per segment; `text`: `{media_url, text}` per file.
 * - `splitUncertain`: in segment mode every segment goes to exactly one side (uncertain ones to
 *   `review`); in file and text mode the file entry stays in `transcript` and each uncertain segment
 *   also goes to `review`. Without it `review` is empty.
 */
export function shapeOutput(files: TranscriptFile[], options: ShapeOptions): ShapedOutput {
  if (!Array.isArray(files)) throw new BadInputError('files', describeValue(files), 'an array of transcript files');
  if (!OUTPUT_MODES.includes(options?.output)) {
    throw new BadInputError('output', describeValue(options?.output), `one of ${OUTPUT_MODES.join(', ')}`);
  }
  const split = options.splitUncertain === true;
  const transcript: Record<string, unknown>[] = [];
  const review: Record<string, unknown>[] = [];

  files.forEach((given, index) => {
    // Raw file results are enriched here, so callers may pass either.
    const file = isEnriched(given) ? given : enrichFileResult(given, { path: `[${index}]` });
    if (options.output === 'segment') {
      for (const segment of file.segments) {
        const entry = segmentEntry(file, segment);
        if (split && segmentUncertainWords(segment).length > 0) review.push(entry);
        else transcript.push(entry);
      }
      return;
    }
    transcript.push(options.output === 'file' ? fileEntry(file) : textEntry(file));
    if (split) {
      for (const segment of file.segments) {
        if (segmentUncertainWords(segment).length > 0) review.push(segmentEntry(file, segment));
      }
    }
  });
  return { transcript, review };
}
