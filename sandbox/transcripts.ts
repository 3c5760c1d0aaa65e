import { SeededRandom } from './random';
import { formatTime } from './time';

/** Lines from Saadi's Golestan (13th century, public domain): the sandbox's sample "recognised" speech. */
export const GOLESTAN_LINES: readonly string[] = [
  'منت خدای را عز و جل که طاعتش موجب قربت است',
  'و به شکر اندرش مزید نعمت',
  'هر نفسی که فرو می رود ممد حیات است',
  'و چون بر می آید مفرح ذات',
  'پس در هر نفسی دو نعمت موجود است',
  'و بر هر نعمتی شکری واجب',
  'از دست و زبان که برآید کز عهده شکرش به در آید',
  'بنده همان به که ز تقصیر خویش عذر به درگاه خدای آورد',
  'ور نه سزاوار خداوندیش کس نتواند که به جای آورد',
  'باران رحمت بی حسابش همه را رسیده',
  'و خوان نعمت بی دریغش همه جا کشیده',
  'پرده ناموس بندگان به گناه فاحش ندرد',
  'و وظیفه روزی به خطای منکر نبرد',
  'فراش باد صبا را گفته تا فرش زمردین بگسترد',
  'و دایه ابر بهاری را فرموده تا بنات نبات در مهد زمین بپرورد',
  'ابر و باد و مه و خورشید و فلک در کارند',
  'تا تو نانی به کف آری و به غفلت نخوری',
  'همه از بهر تو سرگشته و فرمانبردار',
  'شرط انصاف نباشد که تو فرمان نبری',
  'بنی آدم اعضای یکدیگرند که در آفرینش ز یک گوهرند',
  'چو عضوی به درد آورد روزگار دگر عضوها را نماند قرار',
  'تو کز محنت دیگران بی غمی نشاید که نامت نهند آدمی',
  'یکی را از حکما شنیدم که می گفت',
  'هرگز کسی به جهل خویش اقرار نکرده است',
  'مگر آن کس که چون دیگری در سخن باشد',
  'همچنان ناتمام گفته سخن آغاز کند',
  'سخن را سر است ای خردمند و بن',
  'میاور سخن در میان سخن',
  'خداوند تدبیر و فرهنگ و هوش نگوید سخن تا نبیند خموش',
  'دو چیز طیره عقل است دم فرو بستن به وقت گفتن و گفتن به وقت خاموشی',
  'هر که با بدان نشیند نیکی نبیند',
  'صبر تلخ است ولیکن بر شیرین دارد',
  'دوست آن باشد که گیرد دست دوست در پریشان حالی و درماندگی',
];

export interface SandboxSegment {
  start: string;
  end: string;
  text: string;
}

export interface SandboxFileResult {
  media_url: string;
  duration: string;
  segments: SandboxSegment[];
  stats: { words: number; known_words: number };
}

/** The Harf API reference's own example, answered exactly for its URL. */
export const DOCUMENTED_EXAMPLE_URL = 'https://i.ganjoor.net/a2/41417.mp3';
const DOCUMENTED_EXAMPLE: SandboxFileResult = {
  media_url: DOCUMENTED_EXAMPLE_URL,
  duration: '0:00:44',
  segments: [
    { start: '0:00:00', end: '0:00:02', text: '[حکایت]' },
    { start: '0:00:02', end: '0:00:06', text: 'یکی را از حکما شنیدم که می گفت' },
    { start: '0:00:06', end: '0:00:11', text: 'هرگز کسی به جهل خویش اقرار نکرده است' },
    { start: '0:00:11', end: '0:00:16', text: 'مگر آن کس که چون دیگری در سخن باشد' },
    { start: '0:00:16', end: '0:00:21', text: 'همچنان ناتمام گفته سخن آغاز کند' },
    { start: '0:00:21', end: '0:00:26', text: 'سخن را سر از [ای] خردمند و بن' },
    { start: '0:00:26', end: '0:00:30', text: 'میا بر سخن در میان سخن' },
    { start: '0:00:30', end: '0:00:37', text: 'خداوند تدبیر و فرهنگ و [روش] نگوید سخن' },
    { start: '0:00:37', end: '0:00:39', text: 'تا نبیند خموش' },
  ],
  stats: { words: 57, known_words: 54 },
};

const MAX_DURATION_SECONDS = 24 * 3600;

/**
 * How long the sandbox pretends the media at a URL is: the `duration` query parameter when it is a
 * number of seconds, else 20–90 s chosen from the URL's hash.
 */
export function durationForUrl(mediaUrl: string): number {
  try {
    const raw = new URL(mediaUrl).searchParams.get('duration');
    if (raw !== null && raw.trim() !== '') {
      const seconds = Number(raw);
      if (Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_DURATION_SECONDS) return seconds;
    }
  } catch {
    // not a URL: fall back to the hash
  }
  return new SeededRandom(`duration:${mediaUrl}`).int(20, 90);
}

/** Whether the URL asks for a transcript without uncertain words (`?uncertain=0`). */
function uncertainAllowed(mediaUrl: string): boolean {
  try {
    const raw = new URL(mediaUrl).searchParams.get('uncertain');
    return raw === null || !['0', 'false', 'no', 'none'].includes(raw.toLowerCase());
  } catch {
    return true;
  }
}

function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => w.replace(/[[\]]/g, '') !== '').length;
}

function countBracketedWords(text: string): number {
  let count = 0;
  for (const match of text.matchAll(/\[([^\]]*)\]/g)) count += countWords(match[1]);
  return count;
}

/** Puts one word or a two-word phrase of `text` in brackets, as Harf marks what it is unsure of. */
function bracketSome(text: string, random: SeededRandom): string {
  const words = text.split(' ');
  const length = words.length > 2 && random.next() < 0.3 ? 2 : 1;
  const at = random.int(0, words.length - length);
  words.splice(at, length, `[${words.slice(at, at + length).join(' ')}]`);
  return words.join(' ');
}

/** Deterministic sample lines: consecutive lines of the text from a place chosen by the seed. */
export class GolestanReader {
  private index: number;

  constructor(private readonly random: SeededRandom) {
    this.index = random.int(0, GOLESTAN_LINES.length - 1);
  }

  nextLine(): string {
    const line = GOLESTAN_LINES[this.index % GOLESTAN_LINES.length];
    this.index += 1;
    return line;
  }

  /** A line, sometimes with an uncertain word or phrase in brackets. */
  nextSegmentText(allowUncertain = true, forceUncertain = false): string {
    const line = this.nextLine();
    if (allowUncertain && (forceUncertain || this.random.next() < 0.3)) return bracketSome(line, this.random);
    return line;
  }
}

/** Segment texts and stats for a piece of audio. Segments of 3–7 s cover the whole duration. */
export function sampleSegments(
  seed: string,
  durationSeconds: number,
  options: { allowUncertain?: boolean } = {},
): { segments: SandboxSegment[]; stats: { words: number; known_words: number } } {
  const random = new SeededRandom(`segments:${seed}`);
  const reader = new GolestanReader(random);
  const allowUncertain = options.allowUncertain ?? true;
  const bounds: Array<[number, number]> = [];
  let start = 0;
  while (start < durationSeconds) {
    let end = start + random.int(3, 7);
    // A short tail joins the last segment rather than standing alone.
    if (durationSeconds - end < 2) end = durationSeconds;
    bounds.push([start, end]);
    start = end;
  }
  let uncertainSoFar = false;
  const segments = bounds.map(([from, to], index) => {
    // Files of two or more segments always have something to review, so review paths are exercised.
    const force = !uncertainSoFar && index === bounds.length - 1 && bounds.length >= 2;
    const text = reader.nextSegmentText(allowUncertain, force);
    if (text.includes('[')) uncertainSoFar = true;
    return { start: formatTime(from), end: formatTime(to), text };
  });
  let words = 0;
  let uncertain = 0;
  for (const segment of segments) {
    words += countWords(segment.text);
    uncertain += countBracketedWords(segment.text);
  }
  return { segments, stats: { words, known_words: words - uncertain } };
}

/** The file result the sandbox answers for a media URL (exactly the API reference's example for its URL). */
export function fileResultFor(mediaUrl: string, durationSeconds?: number): SandboxFileResult {
  if (mediaUrl === DOCUMENTED_EXAMPLE_URL && durationSeconds === undefined) return structuredClone(DOCUMENTED_EXAMPLE);
  const duration = durationSeconds ?? durationForUrl(mediaUrl);
  const { segments, stats } = sampleSegments(mediaUrl, duration, { allowUncertain: uncertainAllowed(mediaUrl) });
  return { media_url: mediaUrl, duration: formatTime(duration), segments, stats };
}

/** Word-level alignment: each word gets a share of the duration in proportion to its length. */
export function alignWords(text: string, durationSeconds: number): SandboxSegment[] {
  const words = text.split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return [];
  const weights = words.map((w) => w.length + 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const span = durationSeconds > 0 ? durationSeconds : words.length * 0.4;
  const centis = (seconds: number) => Math.round(seconds * 100) / 100;
  let at = 0;
  return words.map((word, i) => {
    const start = centis((at / total) * span);
    at += weights[i];
    const end = centis((at / total) * span);
    return { start: formatTime(start, { micro: true }), end: formatTime(end, { micro: true }), text: word };
  });
}
