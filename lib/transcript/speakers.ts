/** Who speaks a segment, as people should read it: its `speaker_name` if given, else its `speaker`. */
export function speakerOf(segment: Record<string, unknown>): string | undefined {
  for (const key of ['speaker_name', 'speaker']) {
    const value = segment[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** Consecutive segments of one speaker, as one turn. */
export interface SpeakerTurn {
  speaker: string;
  text: string;
}

/** Consecutive segments of the same speaker joined into turns; segments without text are skipped. */
export function speakerTurns(segments: Array<Record<string, unknown> & { text: string }>): SpeakerTurn[] {
  const turns: SpeakerTurn[] = [];
  for (const segment of segments) {
    const text = segment.text.trim();
    if (text === '') continue;
    const speaker = speakerOf(segment) ?? '';
    const last = turns[turns.length - 1];
    if (last && last.speaker === speaker) last.text = `${last.text} ${text}`;
    else turns.push({ speaker, text });
  }
  return turns;
}

/**
 * The transcript's text: segments joined by spaces, or, when segments carry speakers, one line per
 * speaker turn, `speaker: text`.
 */
export function joinedText(segments: Array<Record<string, unknown> & { text: string }>): string {
  const turns = speakerTurns(segments);
  if (!turns.some((turn) => turn.speaker !== '')) return turns.map((turn) => turn.text).join(' ');
  return turns.map((turn) => (turn.speaker ? `${turn.speaker}: ${turn.text}` : turn.text)).join('\n');
}
