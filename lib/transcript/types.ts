import type { Service } from '../errors';

/** One timed piece of a transcript as a service sends it. Times are `H:MM:SS` or `H:MM:SS.ffffff`. */
export interface TimedSegment {
  start: string;
  end: string;
  text: string;
  [field: string]: unknown;
}

/** A time as a service sent it: `H:MM:SS(.ffffff)` text, or seconds as a number (Harf's speaker tasks). */
export type SegmentTime = string | number;

/** A timed piece of any transcript source, its times in either form. */
export interface SourceSegment {
  start: SegmentTime;
  end: SegmentTime;
  text: string;
  /** Who speaks it, when the service tells (`speaker_0`, or a matched name). */
  speaker?: string;
  [field: string]: unknown;
}

/**
 * The transcript of one file as a client hands it over: the service's own fields kept as sent
 * (Harf sends exactly this; AssemblyAI's answer is mapped onto it), so every service's result
 * goes through the same enrichment and output shapes.
 */
export interface FileTranscriptResult {
  media_url: string;
  duration: string;
  segments: TimedSegment[];
  stats: { words: number; known_words: number; [field: string]: unknown };
  [field: string]: unknown;
}

/** A segment as the service sent it, plus where it is in the file and its times in seconds. */
export interface TranscriptSegment extends SourceSegment {
  segment_index: number;
  start_seconds: number;
  end_seconds: number;
  /** The bracketed words or phrases of this segment, without the brackets. */
  uncertain_words: string[];
}

/** One uncertain word or phrase and where to hear it. */
export interface UncertainWord {
  word: string;
  segment_index: number;
  start: SegmentTime;
  end: SegmentTime;
  start_seconds: number;
  end_seconds: number;
  /** `media_url#t=start,end` (W3C media fragment) to jump to the segment. */
  media_fragment: string;
}

/** A file result with every field the service sent kept as sent and the derived fields beside them. */
export interface TranscriptFile {
  media_url: string;
  duration?: string;
  segments: TranscriptSegment[];
  stats?: { words: number; known_words: number; [field: string]: unknown };
  duration_seconds: number;
  /** The segments' text joined by spaces (or the API's own `text` when it sent one). */
  text: string;
  uncertain_words: UncertainWord[];
  uncertain_count: number;
  /** stats.known_words / stats.words, to three places; 1 when there are no words. */
  certainty_ratio: number;
  [field: string]: unknown;
}

/** What `enrichFileResult` accepts: a file result, an alignment result or live segments. */
export interface TranscriptSource {
  media_url?: string;
  duration?: string;
  segments: SourceSegment[];
  stats?: { words: number; known_words: number; [field: string]: unknown };
  [field: string]: unknown;
}

export interface EnrichOptions {
  /** Prefix for field paths in errors, e.g. `[2]` gives `[2].segments[3].start`. */
  path?: string;
  /** Media URL to use when the result has none (live sessions); added as `media_url`. */
  mediaUrl?: string;
  /** The service the result came from, named in errors about its fields. */
  service?: Service;
}

/** How transcripts come out: one entry per file, one per segment, or the text of each file. */
export const OUTPUT_MODES = ['file', 'segment', 'text'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

export interface ShapeOptions {
  output: OutputMode;
  /** Send each uncertain segment to `review` (see `shapeOutput`). */
  splitUncertain: boolean;
}

export interface ShapedOutput {
  transcript: Record<string, unknown>[];
  review: Record<string, unknown>[];
}

/** Anything with times: segments as sent (`start`/`end` strings) or enriched ones (`*_seconds`). */
export interface TimedText {
  start?: SegmentTime;
  end?: SegmentTime;
  start_seconds?: number;
  end_seconds?: number;
  text: string;
  [field: string]: unknown;
}
