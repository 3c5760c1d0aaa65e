/**
 * Transcripts into the entries a node sends, for every runtime: enriched and shaped by
 * lib/transcript, each entry paired with the fields of its file (a task id, a file name), and the
 * subtitle files attached once per file.
 */
import type { Service } from '../errors';
import { enrichFileResult } from '../transcript/enrich';
import { shapeOutput } from '../transcript/shape';
import { withNormalizedText, type NormalizeOptions } from '../transcript/normalize';
import { toSrt, toWebVtt } from '../transcript/subtitles';
import type { OutputMode, TranscriptFile, TranscriptSource } from '../transcript/types';
import type { SubtitleFormat } from './settings';

/** One service result to shape, with the fields that go with each of its entries. */
export interface TranscriptToShape {
  result: TranscriptSource;
  fields?: Record<string, unknown>;
}

export interface OutputOptions {
  output: OutputMode;
  /** Every uncertain segment also goes to `review` (each segment to exactly one side per segment). */
  splitUncertain: boolean;
  /** Subtitle files to attach to each file's first entry (see transcriptOutputs). */
  subtitles: readonly SubtitleFormat[];
  /** The service the results came from, named in errors about their fields. */
  service?: Service;
  /** Adds `normalized_text` beside `text` (Persian letters, half-spaces, digits); off when absent. */
  normalize?: NormalizeOptions;
}

/** An alignment's output options: it has no review split, every word sits where the given text put it. */
export function alignmentOutputOptions<T extends Omit<OutputOptions, 'splitUncertain'>>(options: T): T & { splitUncertain: false } {
  return { ...options, splitUncertain: false };
}

/** The subtitle files of one transcript, named after its media. */
export interface SubtitleFiles {
  baseName: string;
  srt?: string;
  vtt?: string;
}

export interface OutputEntry {
  /** The entry lib/transcript shaped: a file, a segment, or `{media_url, text}`. */
  json: Record<string, unknown>;
  /** The fields of the file it comes from (such as task_id). */
  fields: Record<string, unknown>;
  fileIndex: number;
  /** On the first entry of each file when subtitles were asked for. */
  subtitles?: SubtitleFiles;
}

export interface TranscriptOutputs {
  transcript: OutputEntry[];
  review: OutputEntry[];
  /** The enriched files, in order. */
  files: TranscriptFile[];
}

/** A subtitle file's base name from the media URL (or file name) it transcribes. */
export function subtitleBaseName(mediaUrl: string | undefined): string {
  if (!mediaUrl) return 'transcript';
  let path = mediaUrl;
  try {
    path = decodeURIComponent(new URL(mediaUrl).pathname);
  } catch {
    // Not a URL: a file name from an upload or a live stream.
  }
  const last = path.split('/').filter(Boolean).pop() ?? '';
  const base = last.replace(/\.[^.]*$/, '');
  return base || 'transcript';
}

/** SRT and/or WebVTT of a transcript's segments. */
export function subtitleFiles(file: TranscriptFile, formats: readonly SubtitleFormat[]): SubtitleFiles {
  const files: SubtitleFiles = { baseName: subtitleBaseName(file.media_url) };
  if (formats.includes('srt')) files.srt = toSrt(file.segments);
  if (formats.includes('vtt')) files.vtt = toWebVtt(file.segments);
  return files;
}

/**
 * Shapes results into entries. With subtitles, each file's subtitles go on its first entry: the
 * file (or text) entry, or in segment mode its first segment on the transcript side (its first on
 * the review side when every segment needs review).
 */
export function transcriptOutputs(results: TranscriptToShape[], options: OutputOptions): TranscriptOutputs {
  const outputs: TranscriptOutputs = { transcript: [], review: [], files: [] };
  results.forEach(({ result, fields = {} }, fileIndex) => {
    const enriched = enrichFileResult(result, { service: options.service });
    const file = options.normalize ? withNormalizedText(enriched, options.normalize) : enriched;
    outputs.files.push(file);
    const shaped = shapeOutput([file], { output: options.output, splitUncertain: options.splitUncertain });
    const transcript = shaped.transcript.map((json) => ({ json, fields, fileIndex }) as OutputEntry);
    const review = shaped.review.map((json) => ({ json, fields, fileIndex }) as OutputEntry);
    const holder = transcript[0] ?? review[0];
    if (holder && options.subtitles.length > 0) holder.subtitles = subtitleFiles(file, options.subtitles);
    outputs.transcript.push(...transcript);
    outputs.review.push(...review);
  });
  return outputs;
}
