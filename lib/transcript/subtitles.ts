import { secondsOf } from './enrich';
import { formatSubtitleTime } from './time';
import type { TimedText } from './types';

interface Cue {
  start: number;
  end: number;
  text: string;
}

function cuesOf(segments: TimedText[]): Cue[] {
  const cues: Cue[] = [];
  segments.forEach((segment, index) => {
    const text = typeof segment.text === 'string' ? segment.text.trim() : '';
    // A blank line ends a cue in both formats, so an empty segment cannot be written.
    if (text === '') return;
    cues.push({
      start: secondsOf(segment, 'start', `segments[${index}].start`),
      end: secondsOf(segment, 'end', `segments[${index}].end`),
      text: text.replace(/\r\n?/g, '\n').replace(/\n\s*\n/g, '\n'),
    });
  });
  return cues;
}

/** SubRip: numbered cues, `00:00:02,550 --> 00:00:05,000`, separated by a blank line. */
export function toSrt(segments: TimedText[]): string {
  const cues = cuesOf(segments);
  if (cues.length === 0) return '';
  return (
    cues
      .map(
        (cue, i) =>
          `${i + 1}\n${formatSubtitleTime(cue.start, ',')} --> ${formatSubtitleTime(cue.end, ',')}\n${cue.text}`,
      )
      .join('\n\n') + '\n'
  );
}

/** WebVTT: `WEBVTT` header, numbered cues with `00:00:02.550 --> 00:00:05.000`, blank-line separated. */
export function toWebVtt(segments: TimedText[]): string {
  const cues = cuesOf(segments);
  const body = cues.map(
    (cue, i) =>
      `${i + 1}\n${formatSubtitleTime(cue.start, '.')} --> ${formatSubtitleTime(cue.end, '.')}\n${escapeVtt(cue.text)}`,
  );
  return ['WEBVTT', ...body].join('\n\n') + '\n';
}

// WebVTT cue text is markup: a literal & or < must be escaped, and "-->" may not appear.
function escapeVtt(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
