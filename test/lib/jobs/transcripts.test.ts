import { UnexpectedResponseError } from '../../../lib/errors';
import type { HarfFileResult } from '../../../lib/harf/types';
import { subtitleBaseName, transcriptOutputs } from '../../../lib/jobs';

function file(mediaUrl: string, texts: string[]): HarfFileResult {
  return {
    media_url: mediaUrl,
    duration: `0:00:${String(texts.length * 5).padStart(2, '0')}`,
    segments: texts.map((text, index) => ({
      start: `0:00:0${index * 5}`.slice(-7),
      end: `0:00:${String(index * 5 + 5).padStart(2, '0')}`,
      text,
    })),
    stats: { words: 10, known_words: 9 },
  };
}

const A = file('https://media.example/podcast/episode%2012.mp3?x=1', ['[حکایت]', 'به نام خداوند']);
const B = file('https://media.example/b.wav', ['سخن را سر', 'از [ای] خردمند']);

describe('transcriptOutputs', () => {
  it('gives one entry per file with its fields, and the subtitles on it, named after the media', () => {
    const out = transcriptOutputs(
      [
        { result: A, fields: { task_id: 't-a' } },
        { result: B, fields: { task_id: 't-b' } },
      ],
      {
        output: 'file',
        splitUncertain: false,
        subtitles: ['srt', 'vtt'],
      },
    );
    expect(out.transcript.map((entry) => [entry.fileIndex, entry.fields.task_id, entry.json.media_url])).toEqual([
      [0, 't-a', A.media_url],
      [1, 't-b', B.media_url],
    ]);
    expect(out.review).toEqual([]);
    const [first, second] = out.transcript;
    expect(first.subtitles?.baseName).toBe('episode 12');
    expect(first.subtitles?.srt).toMatch(/^1\n00:00:00,000 --> 00:00:05,000\n\u200F\[حکایت\]\u200F\n\n2\n/);
    expect(first.subtitles?.vtt).toMatch(/^WEBVTT\n\n1\n00:00:00.000 --> 00:00:05.000\n/);
    expect(second.subtitles?.srt).toContain('سخن را سر');
    expect(second.subtitles?.srt).not.toContain('حکایت');
  });

  it("puts each file's subtitles on its first segment of the transcript side, else of the review side", () => {
    const out = transcriptOutputs([{ result: A }, { result: B }], { output: 'segment', splitUncertain: true, subtitles: ['srt'] });
    // A's first segment is uncertain, so it went to review; B's first is certain.
    expect(out.review.map((entry) => [entry.fileIndex, entry.json.segment_index])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(out.transcript.map((entry) => [entry.fileIndex, entry.json.segment_index])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    const holders = [...out.transcript, ...out.review].filter((entry) => entry.subtitles);
    expect(holders.map((entry) => [entry.fileIndex, entry.json.segment_index])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    // A file whose every segment needs review carries them on its first review entry.
    const unsure = file('https://media.example/c.wav', ['[همه]', '[نامطمئن]']);
    const onlyReview = transcriptOutputs([{ result: unsure }], { output: 'segment', splitUncertain: true, subtitles: ['vtt'] });
    expect(onlyReview.transcript).toEqual([]);
    expect(onlyReview.review[0].subtitles?.vtt).toContain('WEBVTT');
    expect(onlyReview.review[1].subtitles).toBeUndefined();
    expect(holders.every((entry) => entry.subtitles?.vtt === undefined)).toBe(true);
  });

  it('attaches nothing without subtitle formats, and gives text entries in text mode', () => {
    const out = transcriptOutputs([{ result: A }], { output: 'text', splitUncertain: false, subtitles: [] });
    expect(out.transcript).toEqual([{ json: { media_url: A.media_url, text: '[حکایت] به نام خداوند' }, fields: {}, fileIndex: 0 }]);
  });

  it('names the service in errors about a result it sent', () => {
    const broken = { ...B, segments: [{ start: 'soon', end: '0:00:05', text: 'x' }] };
    let error: unknown;
    try {
      transcriptOutputs([{ result: broken }], { output: 'file', splitUncertain: false, subtitles: [], service: 'harf' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toMatch(/^Harf sent segments\[0\]\.start as the text "soon"/);
  });
});

describe('subtitle file names', () => {
  it('come from the media URL or file name', () => {
    expect(subtitleBaseName('https://cdn.example/podcast/episode%2012.mp3?x=1')).toBe('episode 12');
    expect(subtitleBaseName('voice.wav')).toBe('voice');
    expect(subtitleBaseName(undefined)).toBe('transcript');
  });
});
