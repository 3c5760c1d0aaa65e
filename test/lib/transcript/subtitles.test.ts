import { startSandbox } from '../../../sandbox';
import { HarfClient } from '../../../lib/harf/client';
import { diarizationTranscript } from '../../../lib/harf/speakers';
import { enrichFileResult, normalizePersianText, shapeOutput, toSrt, toWebVtt, withNormalizedText, RLM } from '../../../lib/transcript';

type Cue = { index: number; start: number; end: number; lines: string[] };

function seconds(clock: string): number {
  const [h, m, s] = clock.replace(',', '.').split(':');
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/** Reads SRT or WebVTT back into cues (the header of WebVTT skipped). */
function parse(text: string): Cue[] {
  return text
    .replace(/^WEBVTT\n\n/, '')
    .trim()
    .split(/\n\n/)
    .filter(Boolean)
    .map((block) => {
      const [index, times, ...lines] = block.split('\n');
      const [start, end] = times.split(' --> ');
      return { index: Number(index), start: seconds(start), end: seconds(end), lines };
    });
}

const visible = (line: string) => line.replace(/\u200F/g, '').replace(/<v [^>]*>/g, '');
const LONG =
  'منت خدای را عز و جل که طاعتش موجب قربت است و به شکر اندرش مزید نعمت هر نفسی که فرو می رود ممد حیات است و چون بر می آید مفرح ذات پس در هر نفسی دو نعمت موجود است و بر هر نعمتی شکری واجب';

describe('Persian subtitles', () => {
  it('starts and ends every line with RLM, even one starting with a digit or a Latin word', () => {
    const srt = toSrt([
      { start: 0, end: 2, text: '۱۲ سال گذشت.' },
      { start: 2, end: 4, text: 'Harf می گوید: سلام!' },
    ]);
    const lines = parse(srt).flatMap((cue) => cue.lines);
    expect(lines).toEqual([`${RLM}۱۲ سال گذشت.${RLM}`, `${RLM}Harf می گوید: سلام!${RLM}`]);
  });

  it('leaves English lines without marks', () => {
    expect(toSrt([{ start: 0, end: 1, text: 'hello world' }])).toBe('1\n00:00:00,000 --> 00:00:01,000\nhello world\n');
  });

  it('splits a long segment into cues of at most 2 lines of 42 characters, sharing its time by length', () => {
    for (const render of [toSrt, toWebVtt]) {
      const cues = parse(render([{ start: 10, end: 40, text: LONG }]));
      expect(cues.length).toBeGreaterThan(1);
      expect(cues.map((c) => c.index)).toEqual(cues.map((_, i) => i + 1));
      for (const cue of cues) {
        expect(cue.lines.length).toBeLessThanOrEqual(2);
        for (const line of cue.lines) {
          expect(line.startsWith(RLM) && line.endsWith(RLM)).toBe(true);
          expect(visible(line).length).toBeLessThanOrEqual(42);
        }
      }
      // Every word kept, in order.
      expect(cues.flatMap((c) => c.lines.map(visible)).join(' ')).toBe(LONG);
      // Consecutive, covering the segment, each cue's time in proportion to its characters.
      expect(cues[0].start).toBe(10);
      expect(cues[cues.length - 1].end).toBe(40);
      const chars = cues.map((c) => c.lines.map(visible).join(' ').length);
      const total = chars.reduce((a, b) => a + b, 0);
      cues.forEach((cue, i) => {
        if (i > 0) expect(cue.start).toBe(cues[i - 1].end);
        expect(Math.abs(cue.end - cue.start - (30 * chars[i]) / total)).toBeLessThan(0.002);
      });
    }
  });

  it('names speakers: "name: text" in SRT (never brackets), <v name> voice tags in WebVTT', () => {
    const segments = [
      { start: 0, end: 3, speaker: 'speaker_0', speaker_name: 'مریم', text: 'سلام به [همه] شنوندگان' },
      { start: 3, end: 30, speaker: 'speaker_1', text: LONG },
    ];
    const srt = parse(toSrt(segments));
    expect(srt[0].lines[0]).toBe(`${RLM}مریم: سلام به [همه] شنوندگان${RLM}`);
    const second = srt.slice(1);
    expect(second.length).toBeGreaterThan(1);
    for (const cue of second) {
      expect(cue.lines[0].startsWith(`${RLM}speaker_1: `)).toBe(true);
      for (const line of cue.lines) expect(visible(line).length).toBeLessThanOrEqual(42);
    }
    expect(toSrt(segments)).not.toMatch(/\[speaker|\[مریم/);
    const vtt = parse(toWebVtt(segments));
    expect(vtt[0].lines[0]).toBe(`${RLM}<v مریم>سلام به [همه] شنوندگان${RLM}`);
    expect(vtt.slice(1).every((cue) => cue.lines[0].startsWith(`${RLM}<v speaker_1>`))).toBe(true);
  });
});

describe('normalisation', () => {
  it('writes Persian letters, half-spaces and the digits asked for, keeping brackets', () => {
    const text = 'او مي گفت كتاب ها را [مي خواهم] 123';
    expect(normalizePersianText(text)).toBe('او می‌گفت کتاب‌ها را [می‌خواهم] 123');
    expect(normalizePersianText(text, { digits: 'persian' })).toBe('او می‌گفت کتاب‌ها را [می‌خواهم] ۱۲۳');
    expect(normalizePersianText('سال ۱۴۰۳ و ٢٠', { digits: 'latin' })).toBe('سال 1403 و 20');
    expect(() => normalizePersianText(text, { digits: 'roman' as never })).toThrow(/digits/);
  });

  it('adds normalized_text beside text, never changing the API text, in every output mode', () => {
    const raw = { media_url: 'https://example.com/a.mp3', segments: [{ start: '0:00:00', end: '0:00:03', text: 'مي گفت [كتاب ها]' }] };
    const file = withNormalizedText(enrichFileResult(raw));
    expect(file.segments[0].text).toBe('مي گفت [كتاب ها]');
    expect(file.segments[0].normalized_text).toBe('می‌گفت [کتاب‌ها]');
    expect(file.text).toBe('مي گفت [كتاب ها]');
    expect(file.normalized_text).toBe('می‌گفت [کتاب‌ها]');
    expect(file.segments[0].uncertain_words).toEqual(['كتاب ها']);
    expect(shapeOutput([file], { output: 'text', splitUncertain: false }).transcript[0]).toEqual({
      media_url: raw.media_url,
      text: 'مي گفت [كتاب ها]',
      normalized_text: 'می‌گفت [کتاب‌ها]',
    });
    expect(shapeOutput([file], { output: 'segment', splitUncertain: true }).review[0].normalized_text).toBe('می‌گفت [کتاب‌ها]');
  });
});

describe('a diarized podcast from the sandbox', () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  beforeAll(async () => {
    sandbox = await startSandbox({ processingDelayMs: 0 });
  });
  afterAll(() => sandbox.close());

  it("becomes an SRT with the hosts' names and marked lines", async () => {
    const client = new HarfClient({ token: sandbox.token, baseUrl: sandbox.url });
    const [result] = await client.diarizeSpeakers(['https://example.com/ep.mp3?voices=maryam,reza&duration=45']);
    const file = enrichFileResult(diarizationTranscript(result, { speaker_0: 'Maryam', speaker_1: 'Reza' }));
    const cues = parse(toSrt(file.segments));
    expect(cues.length).toBeGreaterThanOrEqual(file.segments.length);
    expect(new Set(cues.map((c) => /^\u200F(\w+): /.exec(c.lines[0])?.[1]))).toEqual(new Set(['Maryam', 'Reza']));
    for (const cue of cues) {
      expect(cue.end).toBeGreaterThanOrEqual(cue.start);
      for (const line of cue.lines) expect(line.startsWith(RLM) && line.endsWith(RLM) && visible(line).length <= 42).toBe(true);
    }
  });
});
