import {
  enrichFileResult,
  formatTime,
  parseTime,
  shapeOutput,
  splitByCertainty,
  toSrt,
  toWebVtt,
  uncertainWordsIn,
} from '../../../lib/transcript';
import type { HarfFileResult } from '../../../lib/harf/types';
import { BadInputError, UnexpectedResponseError } from '../../../lib/errors';

const URL_A = 'https://media.example/41417.mp3';
const URL_B = 'https://media.example/b.wav';

function sample(): HarfFileResult {
  return {
    media_url: URL_A,
    duration: '0:00:44',
    segments: [
      { start: '0:00:00', end: '0:00:02', text: '[حکایت]' },
      { start: '0:00:02.550000', end: '0:00:05', text: 'به نام خداوند جان و خرد' },
      { start: '0:00:21', end: '0:00:26', text: 'سخن را سر از [ای] خردمند و بن' },
    ],
    stats: { words: 57, known_words: 54 },
    task_id: 'abc-1',
  };
}

function second(): HarfFileResult {
  return {
    media_url: URL_B,
    duration: '1:02:03.5',
    segments: [
      { start: '1:00:00', end: '1:00:04.25', text: 'خداوند تدبیر و فرهنگ و [روش] نگوید سخن' },
      { start: '1:00:04.25', end: '1:00:09', text: 'کز او گشت پیدا' },
    ],
    stats: { words: 10, known_words: 9 },
  };
}

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('parseTime', () => {
  it.each([
    ['0:00:00', 0],
    ['0:00:44', 44],
    ['0:01:05', 65],
    ['1:02:03', 3723],
    ['0:00:02.550000', 2.55],
    ['0:00:02.5', 2.5],
    ['0:00:00.000001', 0.000001],
    ['12:00:00', 43200],
    ['123:59:59.999999', 123 * 3600 + 59 * 60 + 59.999999],
    ['1 day, 2:00:00', 26 * 3600],
    ['2 days, 0:00:01.5', 2 * 86400 + 1.5],
  ])('parses %s', (text, seconds) => {
    expect(parseTime(text)).toBe(seconds);
  });

  it.each(['00:44', '44', '1 day 2:00:00', '0:60:00', '0:00:60', '0:00:02.1234567', '0:00:02.', ' 0:00:01', '0:0:01', '-0:00:01', ''])(
    'refuses %j and names the field',
    (text) => {
      const error = catchError(() => parseTime(text, 'segments[3].start'));
      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect((error as UnexpectedResponseError).field).toBe('segments[3].start');
      expect(error.message).toContain('segments[3].start');
      expect(error.message).toContain('H:MM:SS');
    },
  );

  it('refuses values that are not text', () => {
    const error = catchError(() => parseTime(12 as unknown as string, 'duration'));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toContain('number 12');
  });
});

describe('formatTime', () => {
  it.each([
    [0, '0:00:00'],
    [44, '0:00:44'],
    [2.55, '0:00:02.550000'],
    [3723.5, '1:02:03.500000'],
    [43200, '12:00:00'],
    [59.9999999, '0:01:00'],
  ])('formats %p as %s', (seconds, text) => {
    expect(formatTime(seconds)).toBe(text);
  });

  it('round-trips with parseTime', () => {
    for (const text of ['0:00:02.550000', '3:04:05', '10:59:59.000001']) expect(formatTime(parseTime(text))).toBe(text);
  });

  it('refuses negative and non-finite seconds', () => {
    expect(() => formatTime(-1)).toThrow(BadInputError);
    expect(() => formatTime(Number.NaN)).toThrow(/seconds/);
  });
});

describe('uncertainWordsIn', () => {
  it.each([
    ['no brackets here', []],
    ['[حکایت]', ['حکایت']],
    ['سخن را سر از [ای] خردمند و [بن]', ['ای', 'بن']],
    ['a [two words] b', ['two words']],
    ['a [  spaced   out ] b', ['spaced out']],
    ['[a [b] c]', ['a b c']],
    ['[[a] [b]] [c]', ['a b', 'c']],
    ['[a [b] c', ['b']],
    ['a] b [c]', ['c']],
    ['[] [ ] x', []],
    ['[unclosed', []],
  ])('%j gives %j', (text, words) => {
    expect(uncertainWordsIn(text)).toEqual(words);
  });
});

describe('enrichFileResult', () => {
  it('keeps every API field as sent and adds the derived ones beside them', () => {
    const input = sample();
    const frozen = JSON.parse(JSON.stringify(input));
    const file = enrichFileResult(input);

    expect(input).toEqual(frozen); // not changed
    expect(file).not.toBe(input);
    expect(file.media_url).toBe(URL_A);
    expect(file.duration).toBe('0:00:44');
    expect(file.stats).toEqual({ words: 57, known_words: 54 });
    expect(file.task_id).toBe('abc-1');
    expect(file.duration_seconds).toBe(44);
    expect(file.text).toBe('[حکایت] به نام خداوند جان و خرد سخن را سر از [ای] خردمند و بن');
    expect(file.uncertain_count).toBe(2);
    expect(file.certainty_ratio).toBe(Math.round((54 / 57) * 1000) / 1000);

    expect(file.segments[1]).toEqual({
      start: '0:00:02.550000',
      end: '0:00:05',
      text: 'به نام خداوند جان و خرد',
      segment_index: 1,
      start_seconds: 2.55,
      end_seconds: 5,
      uncertain_words: [],
    });
    expect(file.segments[2].uncertain_words).toEqual(['ای']);
    expect(file.uncertain_words).toEqual([
      {
        word: 'حکایت',
        segment_index: 0,
        start: '0:00:00',
        end: '0:00:02',
        start_seconds: 0,
        end_seconds: 2,
        media_fragment: `${URL_A}#t=0,2`,
      },
      {
        word: 'ای',
        segment_index: 2,
        start: '0:00:21',
        end: '0:00:26',
        start_seconds: 21,
        end_seconds: 26,
        media_fragment: `${URL_A}#t=21,26`,
      },
    ]);
  });

  it('keeps the API text and any API field whose name a derived field would take', () => {
    const file = enrichFileResult({ ...sample(), text: 'as sent', certainty_ratio: 'api value' });
    expect(file.text).toBe('as sent');
    expect(file.certainty_ratio).toBe('api value');
  });

  it('gives a certainty ratio of 1 when there are no words', () => {
    const file = enrichFileResult({ media_url: URL_A, duration: '0:00:00', segments: [], stats: { words: 0, known_words: 0 } });
    expect(file.certainty_ratio).toBe(1);
    expect(file.text).toBe('');
    expect(file.uncertain_words).toEqual([]);
  });

  it('counts words from the text when there are no stats (alignment, live)', () => {
    const file = enrichFileResult(
      { segments: [{ start: '0:00:01', end: '0:00:03.5', text: 'یک [دو سه] چهار' }] },
      { mediaUrl: 'live:kitchen' },
    );
    expect(file.media_url).toBe('live:kitchen');
    expect(file.certainty_ratio).toBe(0.5);
    expect(file.duration_seconds).toBe(3.5);
    expect(file.uncertain_words[0].media_fragment).toBe('live:kitchen#t=1,3.5');
  });

  it('replaces an existing fragment of the media URL', () => {
    const file = enrichFileResult({ ...sample(), media_url: 'https://x.example/a.mp3#t=5' });
    expect(file.uncertain_words[0].media_fragment).toBe('https://x.example/a.mp3#t=0,2');
  });

  it.each([
    [{ ...sample(), segments: undefined }, 'segments'],
    [{ ...sample(), media_url: 42 }, 'media_url'],
    [{ ...sample(), duration: '44 seconds' }, 'duration'],
    [{ ...sample(), stats: { words: 'many', known_words: 1 } }, 'stats.words'],
    [{ ...sample(), segments: [...sample().segments, 'oops'] }, 'segments[3]'],
    [{ ...sample(), segments: [...sample().segments, { start: '0:00:30', end: '30', text: 'x' }] }, 'segments[3].end'],
    [{ ...sample(), segments: [...sample().segments, { start: '0:00:30', end: '0:00:31' }] }, 'segments[3].text'],
  ])('throws naming the malformed field (%#)', (result, field) => {
    const error = catchError(() => enrichFileResult(result as unknown as HarfFileResult));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as UnexpectedResponseError).field).toBe(field);
    expect(error.message).toContain(field);
  });

  it('prefixes field paths with the given path', () => {
    const bad = { ...sample(), segments: [{ start: 'soon', end: '0:00:01', text: 'x' }] };
    const error = catchError(() => enrichFileResult(bad, { path: '[2]' }));
    expect((error as UnexpectedResponseError).field).toBe('[2].segments[0].start');
  });

  it('names the service the result came from when told, and no service otherwise', () => {
    const bad = { ...sample(), stats: { words: -1, known_words: 0 } };
    const fromAssemblyAi = catchError(() => enrichFileResult(bad, { service: 'assemblyai' })) as UnexpectedResponseError;
    expect(fromAssemblyAi.message).toMatch(/^AssemblyAI sent stats\.words as number -1; expected a count/);
    expect(fromAssemblyAi.service).toBe('assemblyai');
    const unnamed = catchError(() => enrichFileResult(bad)) as UnexpectedResponseError;
    expect(unnamed.message).toMatch(/^The transcript has stats\.words as number -1/);
    expect(unnamed.service).toBeUndefined();
  });
});

describe('splitByCertainty', () => {
  it('puts every segment in exactly one side', () => {
    const file = enrichFileResult(sample());
    const { certain, uncertain } = splitByCertainty(file);
    expect(uncertain.map((s) => s.segment_index)).toEqual([0, 2]);
    expect(certain.map((s) => s.segment_index)).toEqual([1]);
    const all = [...certain, ...uncertain].map((s) => s.segment_index).sort();
    expect(all).toEqual([0, 1, 2]);
  });

  it('accepts a raw file result too', () => {
    const { certain, uncertain } = splitByCertainty(second());
    expect(certain).toHaveLength(1);
    expect(uncertain[0].uncertain_words).toEqual(['روش']);
  });
});

describe('shapeOutput', () => {
  const files = () => [enrichFileResult(sample()), enrichFileResult(second())];
  const segmentEntry = {
    media_url: URL_A,
    segment_index: 2,
    start: '0:00:21',
    end: '0:00:26',
    start_seconds: 21,
    end_seconds: 26,
    text: 'سخن را سر از [ای] خردمند و بن',
    uncertain_words: ['ای'],
    media_fragment: `${URL_A}#t=21,26`,
  };

  it('file mode: one entry per enriched file, no review without the split', () => {
    const shaped = shapeOutput(files(), { output: 'file', splitUncertain: false });
    expect(shaped.transcript).toEqual(files());
    expect(shaped.review).toEqual([]);
  });

  it('file mode with the split: files stay, uncertain segments also go to review', () => {
    const shaped = shapeOutput(files(), { output: 'file', splitUncertain: true });
    expect(shaped.transcript).toEqual(files());
    expect(shaped.review.map((r) => [r.media_url, r.segment_index])).toEqual([
      [URL_A, 0],
      [URL_A, 2],
      [URL_B, 0],
    ]);
    expect(shaped.review[1]).toEqual(segmentEntry);
  });

  it('segment mode: one entry per segment with its times, words and link', () => {
    const shaped = shapeOutput(files(), { output: 'segment', splitUncertain: false });
    expect(shaped.transcript).toHaveLength(5);
    expect(shaped.transcript[2]).toEqual(segmentEntry);
    expect(shaped.transcript[4]).toEqual({
      media_url: URL_B,
      segment_index: 1,
      start: '1:00:04.25',
      end: '1:00:09',
      start_seconds: 3604.25,
      end_seconds: 3609,
      text: 'کز او گشت پیدا',
      uncertain_words: [],
      media_fragment: `${URL_B}#t=3604.25,3609`,
    });
    expect(shaped.review).toEqual([]);
  });

  it('segment mode with the split: every segment in exactly one output', () => {
    const shaped = shapeOutput(files(), { output: 'segment', splitUncertain: true });
    const key = (e: Record<string, unknown>) => `${e.media_url}#${e.segment_index}`;
    expect(shaped.transcript.map(key)).toEqual([`${URL_A}#1`, `${URL_B}#1`]);
    expect(shaped.review.map(key)).toEqual([`${URL_A}#0`, `${URL_A}#2`, `${URL_B}#0`]);
    expect(shaped.review[1]).toEqual(segmentEntry);
  });

  it('text mode: media URL and text, with and without the split', () => {
    const plain = shapeOutput(files(), { output: 'text', splitUncertain: false });
    expect(plain.transcript).toEqual([
      { media_url: URL_A, text: '[حکایت] به نام خداوند جان و خرد سخن را سر از [ای] خردمند و بن' },
      { media_url: URL_B, text: 'خداوند تدبیر و فرهنگ و [روش] نگوید سخن کز او گشت پیدا' },
    ]);
    expect(plain.review).toEqual([]);
    const split = shapeOutput(files(), { output: 'text', splitUncertain: true });
    expect(split.transcript).toEqual(plain.transcript);
    expect(split.review).toHaveLength(3);
    expect(split.review[1]).toEqual(segmentEntry);
  });

  it('keeps extra segment fields (a live segment id) in segment entries', () => {
    const live = enrichFileResult(
      { segments: [{ segment_id: 7, start: '0:00:00', end: '0:00:05', text: 'سلام' }] },
      { mediaUrl: 'live:a' },
    );
    const [entry] = shapeOutput([live], { output: 'segment', splitUncertain: false }).transcript;
    expect(entry.segment_id).toBe(7);
  });

  it('enriches raw file results given to it', () => {
    const shaped = shapeOutput([sample() as never], { output: 'segment', splitUncertain: true });
    expect(shaped.review).toHaveLength(2);
  });

  it('refuses an unknown output mode, naming it', () => {
    const error = catchError(() => shapeOutput(files(), { output: 'words' as never, splitUncertain: false }));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toBe('Invalid output: found the text "words", expected one of file, segment, text');
  });
});

describe('subtitles', () => {
  const segments = [
    { start: '0:00:00', end: '0:00:02.550000', text: '[حکایت]' },
    { start: '0:00:02.550000', end: '0:00:05', text: 'به نام خداوند' },
    { start: '0:00:05', end: '0:00:05.5', text: '   ' },
    { start: '1:02:03.0004', end: '1:02:04.9996', text: 'a < b & c' },
  ];

  it('renders SRT exactly', () => {
    expect(toSrt(segments)).toBe(
      '1\n00:00:00,000 --> 00:00:02,550\n\u200F[حکایت]\u200F\n\n' +
        '2\n00:00:02,550 --> 00:00:05,000\n\u200Fبه نام خداوند\u200F\n\n' +
        '3\n01:02:03,000 --> 01:02:05,000\na < b & c\n',
    );
  });

  it('renders WebVTT exactly', () => {
    expect(toWebVtt(segments)).toBe(
      'WEBVTT\n\n' +
        '1\n00:00:00.000 --> 00:00:02.550\n\u200F[حکایت]\u200F\n\n' +
        '2\n00:00:02.550 --> 00:00:05.000\n\u200Fبه نام خداوند\u200F\n\n' +
        '3\n01:02:03.000 --> 01:02:05.000\na &lt; b &amp; c\n',
    );
  });

  it('uses *_seconds of enriched segments', () => {
    const file = enrichFileResult(second());
    expect(toSrt(file.segments)).toBe(
      '1\n01:00:00,000 --> 01:00:04,250\n\u200Fخداوند تدبیر و فرهنگ و [روش] نگوید سخن\u200F\n\n' +
        '2\n01:00:04,250 --> 01:00:09,000\n\u200Fکز او گشت پیدا\u200F\n',
    );
    expect(toSrt([{ start_seconds: 0.5, end_seconds: 1.25, text: 'x' }])).toBe('1\n00:00:00,500 --> 00:00:01,250\nx\n');
  });

  it('renders nothing but the header for no segments', () => {
    expect(toSrt([])).toBe('');
    expect(toWebVtt([])).toBe('WEBVTT\n');
  });

  it('names a bad time', () => {
    const error = catchError(() => toSrt([{ start: '0:00:00', end: 'later', text: 'x' }]));
    expect((error as UnexpectedResponseError).field).toBe('segments[0].end');
  });
});
