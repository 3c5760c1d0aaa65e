import { BadInputError, describeValue } from '../errors';
import { secondsOf } from './enrich';
import { speakerOf } from './speakers';
import type { TimedText } from './types';

/** U+200F RIGHT-TO-LEFT MARK: a line that starts and ends with it shows right to left in any player. */
export const RLM = '\u200F';
/** Subtitle conventions for reading speed: at most 42 characters a line, 2 lines a cue. */
export const MAX_LINE_LENGTH = 42;
export const MAX_CUE_LINES = 2;

export interface SubtitleOptions {
  /** `auto` (default) marks lines right to left when the text has Persian or other RTL letters. */
  direction?: 'auto' | 'rtl' | 'ltr';
  /** Default 42. */
  maxLineLength?: number;
  /** Default 2. */
  maxLines?: number;
}

/** One subtitle cue: its time and its lines, not yet marked or tagged. */
export interface Cue {
  start: number;
  end: number;
  lines: string[];
  speaker?: string;
  rtl: boolean;
}

const RTL_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

/** Words of at most `width` characters; a longer word is cut into pieces. */
function pieces(text: string, width: number): string[] {
  const out: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let at = 0; at < word.length; at += width) out.push(word.slice(at, at + width));
  }
  return out;
}

/**
 * Wraps the text into cues of `maxLines` lines of at most `maxLineLength` characters; the first line
 * of every cue leaves room for `prefix` characters (the speaker's name in SRT).
 */
function wrap(text: string, maxLineLength: number, maxLines: number, prefix: number): string[][] {
  const cues: string[][] = [];
  let lines: string[] = [];
  let line = '';
  const room = () => (lines.length === 0 ? Math.max(8, maxLineLength - prefix) : maxLineLength);
  const endLine = () => {
    lines.push(line);
    line = '';
    if (lines.length === maxLines) {
      cues.push(lines);
      lines = [];
    }
  };
  for (const word of pieces(text, Math.max(8, maxLineLength - prefix))) {
    if (line !== '' && line.length + 1 + word.length > room()) endLine();
    line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') endLine();
  if (lines.length > 0) cues.push(lines);
  return cues;
}

/**
 * Subtitle cues of the segments: empty segments skipped, a long segment split into consecutive cues
 * whose times share the segment's time out by their length in characters.
 * `prefixFor` gives the characters the format puts before the first line (SRT's `name: `).
 */
export function buildCues(segments: TimedText[], options: SubtitleOptions = {}, prefixFor: (speaker: string) => number = () => 0): Cue[] {
  const maxLineLength = options.maxLineLength ?? MAX_LINE_LENGTH;
  const maxLines = options.maxLines ?? MAX_CUE_LINES;
  const cues: Cue[] = [];
  if (!Array.isArray(segments))
    throw new BadInputError('segments', describeValue(segments), 'an array of segments with start, end and text');
  segments.forEach((segment, index) => {
    if (typeof segment !== 'object' || segment === null || Array.isArray(segment)) {
      throw new BadInputError(`segments[${index}]`, describeValue(segment), 'a segment with start, end and text');
    }
    const text = typeof segment.text === 'string' ? segment.text.replace(/\s+/g, ' ').trim() : '';
    if (text === '') return;
    const start = secondsOf(segment, 'start', `segments[${index}].start`);
    const end = Math.max(start, secondsOf(segment, 'end', `segments[${index}].end`));
    const speaker = speakerOf(segment);
    const rtl = options.direction === 'rtl' || (options.direction !== 'ltr' && RTL_LETTER.test(text));
    const groups = wrap(text, maxLineLength, maxLines, speaker ? prefixFor(speaker) : 0);
    const weights = groups.map((lines) => lines.join(' ').length);
    const total = weights.reduce((a, b) => a + b, 0);
    let done = 0;
    groups.forEach((lines, at) => {
      const from = start + ((end - start) * done) / total;
      done += weights[at];
      const to = at === groups.length - 1 ? end : start + ((end - start) * done) / total;
      cues.push({ start: from, end: to, lines, speaker, rtl });
    });
  });
  return cues;
}

/** The line as it is written: between RLM marks when the text is right to left. */
export function markLine(line: string, rtl: boolean): string {
  return rtl ? `${RLM}${line}${RLM}` : line;
}
