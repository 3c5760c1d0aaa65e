import { buildCues, markLine, RLM, type SubtitleOptions } from './cues';
import { formatSubtitleTime } from './time';
import type { TimedText } from './types';

/**
 * SubRip: numbered cues, `00:00:02,550 --> 00:00:05,000`, separated by a blank line. Lines of at most
 * 42 characters, 2 a cue; right-to-left lines between RLM marks; a speaker as `name: ` before the
 * text (never in square brackets: those are Harf's uncertainty marks).
 */
export function toSrt(segments: TimedText[], options: SubtitleOptions = {}): string {
  const cues = buildCues(segments, options, (speaker) => speaker.length + 2);
  if (cues.length === 0) return '';
  return (
    cues
      .map((cue, i) => {
        const lines = cue.lines.map((line, at) => markLine(at === 0 && cue.speaker ? `${cue.speaker}: ${line}` : line, cue.rtl));
        return `${i + 1}\n${formatSubtitleTime(cue.start, ',')} --> ${formatSubtitleTime(cue.end, ',')}\n${lines.join('\n')}`;
      })
      .join('\n\n') + '\n'
  );
}

/**
 * WebVTT: `WEBVTT` header, numbered cues with `00:00:02.550 --> 00:00:05.000`, blank-line separated;
 * a speaker as a voice tag `<v speaker_0>`. Lines as in `toSrt`.
 */
export function toWebVtt(segments: TimedText[], options: SubtitleOptions = {}): string {
  const cues = buildCues(segments, options);
  const body = cues.map((cue, i) => {
    const lines = cue.lines.map((line, at) => {
      const text = escapeVtt(line);
      if (at > 0 || !cue.speaker) return markLine(text, cue.rtl);
      const voice = `<v ${escapeVtt(cue.speaker)}>`;
      return cue.rtl ? `${RLM}${voice}${text}${RLM}` : `${voice}${text}`;
    });
    return `${i + 1}\n${formatSubtitleTime(cue.start, '.')} --> ${formatSubtitleTime(cue.end, '.')}\n${lines.join('\n')}`;
  });
  return ['WEBVTT', ...body].join('\n\n') + '\n';
}

// WebVTT cue text is markup: a literal & or < must be escaped, and "-->" may not appear.
function escapeVtt(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
