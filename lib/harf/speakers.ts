import { BadInputError, describeValue, type TranscriptionErrorDetails } from '../errors';
import type { ShapeChecker } from '../http/shape';
import { checkSetting, isUnset, type NumberSetting } from '../settings';
import { checkedMediaUrl } from './input';
import { harfChecker } from './validate';

type HarfDetails = TranscriptionErrorDetails & { service: 'harf' };

/** Harf's own verdict on similarity; a user may apply their own with `threshold`. */
export const HARF_SIMILARITY_VERDICT = 0.65;

/** A user's similarity threshold: −1 to 1, Harf's own verdict as its default. */
export const SIMILARITY_THRESHOLD = { default: HARF_SIMILARITY_VERDICT, min: -1, max: 1 } as const satisfies NumberSetting;

/** One stretch of one speaker in a diarization. Times are seconds as numbers. */
export interface SpeakerSegment {
  start: number;
  end: number;
  /** Anonymous label: `speaker_0`, `speaker_1`, … */
  speaker: string;
  text: string;
  [field: string]: unknown;
}

export interface DiarizationResult {
  media_url: string;
  segments: SpeakerSegment[];
  [field: string]: unknown;
}

export interface IdentificationResult {
  /** `Identified` or `Unknown`, in any case. */
  result: string;
  most_similar_speaker: string;
  /** −1 to 1. */
  similarity: number;
  [field: string]: unknown;
}

export interface VerificationResult {
  /** `Verified` or `Rejected`, in any case. */
  result: string;
  similarity: number;
  [field: string]: unknown;
}

/** One single-speaker stretch of an indexing, matched against the named speakers. */
export interface IndexedSegment {
  start: number;
  end: number;
  result: string;
  most_similar_speaker: string;
  similarity: number;
  text: string;
  [field: string]: unknown;
}

/** Named speakers and their sample voice URLs: `{"Maryam": ["https://…/maryam-1.mp3"], …}`. */
export type SpeakerSamples = Record<string, string[]>;

export interface VerdictOptions {
  /** Similarity from which a match counts (−1 to 1). Without it, Harf's own `result` decides. */
  threshold?: number;
}

/** Checks named speakers with one or more sample URLs each, naming the first bad entry. */
export function checkSpeakerSamples(value: unknown, field = 'target_urls'): SpeakerSamples {
  const expected = 'named speakers, each with one or more http(s) URLs of their voice';
  if (!value || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) {
    throw new BadInputError(field, describeValue(value), expected);
  }
  const out: SpeakerSamples = {};
  for (const [rawName, urls] of Object.entries(value as Record<string, unknown>)) {
    const name = rawName.trim();
    if (name === '') throw new BadInputError(field, 'a speaker without a name', expected);
    if (Object.prototype.hasOwnProperty.call(out, name))
      throw new BadInputError(`${field}.${name}`, 'the name given twice', 'each speaker named once');
    out[name] = checkSampleUrls(urls, `${field}.${name}`);
  }
  return out;
}

/** One or more http(s) sample URLs. */
export function checkSampleUrls(value: unknown, field = 'target_urls'): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new BadInputError(field, describeValue(value), 'one or more http(s) URLs of samples of the voice', 'invalid-url');
  }
  return value.map((url, index) => checkedMediaUrl(url, `${field}[${index}]`));
}

/** Checks a threshold the user gave (−1 to 1). */
export function checkThreshold(value: unknown, field = 'threshold'): number | undefined {
  if (isUnset(value)) return undefined;
  return checkSetting(SIMILARITY_THRESHOLD, value, field);
}

function seconds(checker: ShapeChecker, value: unknown, field: string): number {
  const n = checker.number(value, field);
  if (n < 0) checker.fail(field, 'seconds as a number, 0 or more', value);
  return n;
}

function similarityOf(checker: ShapeChecker, value: unknown, field: string): number {
  const n = checker.number(value, field);
  if (n < -1 || n > 1) checker.fail(field, 'a similarity from -1 to 1', value);
  return n;
}

/** `result` compared without case: Harf writes `Identified`, `unknown`, … */
function verdictWord(checker: ShapeChecker, value: unknown, field: string, words: readonly string[]): string {
  const text = checker.string(value, field);
  if (!words.includes(text.trim().toLowerCase())) checker.fail(field, `one of ${words.map((w) => `"${w}"`).join(', ')} (any case)`, value);
  return text;
}

function oneResult(checker: ShapeChecker, value: unknown): Record<string, unknown> {
  const list = checker.array(value, '(body)');
  if (list.length !== 1) checker.fail('(body)', 'an array of 1 result', `${list.length} results`);
  return checker.object(list[0], '[0]');
}

export function checkDiarization(value: unknown, details: HarfDetails, urls: string[]): DiarizationResult[] {
  const checker = harfChecker('the diarization', details);
  const list = checker.array(value, '(body)');
  if (list.length !== urls.length) {
    checker.fail('(body)', `an array of ${urls.length} result${urls.length === 1 ? '' : 's'}, one per URL`, `${list.length} results`);
  }
  return list.map((item, index) => {
    const file = checker.object(item, `[${index}]`);
    checker.string(file.media_url, `[${index}].media_url`);
    checker.array(file.segments, `[${index}].segments`).forEach((raw, at) => {
      const field = `[${index}].segments[${at}]`;
      const segment = checker.object(raw, field);
      seconds(checker, segment.start, `${field}.start`);
      seconds(checker, segment.end, `${field}.end`);
      checker.string(segment.speaker, `${field}.speaker`);
      checker.string(segment.text, `${field}.text`);
    });
    return file as DiarizationResult;
  });
}

export function checkIdentification(value: unknown, details: HarfDetails): IdentificationResult {
  const checker = harfChecker('the identification', details);
  const answer = oneResult(checker, value);
  verdictWord(checker, answer.result, '[0].result', ['identified', 'unknown']);
  checker.string(answer.most_similar_speaker, '[0].most_similar_speaker');
  similarityOf(checker, answer.similarity, '[0].similarity');
  return answer as IdentificationResult;
}

export function checkVerification(value: unknown, details: HarfDetails): VerificationResult {
  const checker = harfChecker('the verification', details);
  const answer = oneResult(checker, value);
  verdictWord(checker, answer.result, '[0].result', ['verified', 'rejected']);
  similarityOf(checker, answer.similarity, '[0].similarity');
  return answer as VerificationResult;
}

export function checkIndexing(value: unknown, details: HarfDetails): IndexedSegment[] {
  const checker = harfChecker('the indexing', details);
  return checker.array(value, '(body)').map((raw, index) => {
    const field = `[${index}]`;
    const segment = checker.object(raw, field);
    seconds(checker, segment.start, `${field}.start`);
    seconds(checker, segment.end, `${field}.end`);
    verdictWord(checker, segment.result, `${field}.result`, ['identified', 'unknown']);
    checker.string(segment.most_similar_speaker, `${field}.most_similar_speaker`);
    similarityOf(checker, segment.similarity, `${field}.similarity`);
    checker.string(segment.text, `${field}.text`);
    return segment as IndexedSegment;
  });
}

function matches(result: { result: string; similarity: number }, word: string, options: VerdictOptions): boolean {
  const threshold = checkThreshold(options.threshold);
  if (threshold !== undefined) return result.similarity >= threshold;
  return result.result.trim().toLowerCase() === word;
}

/** The identification as sent, with `identified` beside it (Harf's verdict, or the user's threshold). */
export function identificationVerdict(
  result: IdentificationResult,
  options: VerdictOptions = {},
): IdentificationResult & { identified: boolean; speaker: string | null } {
  const identified = matches(result, 'identified', options);
  return { ...result, identified, speaker: identified ? result.most_similar_speaker : null };
}

/** The verification as sent, with `verified` beside it. */
export function verificationVerdict(result: VerificationResult, options: VerdictOptions = {}): VerificationResult & { verified: boolean } {
  return { ...result, verified: matches(result, 'verified', options) };
}

/** What a speaker is called in text and subtitles where no name is known. */
export const UNKNOWN_SPEAKER = 'unknown';

/**
 * A diarization as a transcript source: the segments as sent, each with `speaker_name` beside
 * `speaker` when `names` maps its label (`{"speaker_0": "Maryam"}`).
 */
export function diarizationTranscript(result: DiarizationResult, names: Record<string, string> = {}): DiarizationResult {
  return {
    ...result,
    segments: result.segments.map((segment) => {
      const name = Object.prototype.hasOwnProperty.call(names, segment.speaker) ? names[segment.speaker] : undefined;
      return name && !('speaker_name' in segment) ? { ...segment, speaker_name: name } : { ...segment };
    }),
  };
}

/**
 * An indexing as a transcript source for its media: each stretch as sent, with `identified` and
 * `speaker` (the matched name, or `unknown`) beside it.
 */
export function indexingTranscript(
  mediaUrl: string,
  segments: IndexedSegment[],
  options: VerdictOptions = {},
): { media_url: string; segments: Array<IndexedSegment & { identified: boolean; speaker: string }> } {
  return {
    media_url: mediaUrl,
    segments: segments.map((segment) => {
      const identified = matches(segment, 'identified', options);
      return { ...segment, identified, speaker: identified ? segment.most_similar_speaker : UNKNOWN_SPEAKER };
    }),
  };
}

/** Reads `speaker_0=Maryam` lines (or an object) into label → name. */
export function checkSpeakerNames(value: unknown, field = 'speakerNames'): Record<string, string> {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, string> = {};
    for (const [label, name] of Object.entries(value as Record<string, unknown>)) {
      if (typeof name !== 'string' || name.trim() === '')
        throw new BadInputError(`${field}.${label}`, describeValue(name), 'the name to show for that speaker');
      out[label.trim()] = name.trim();
    }
    return out;
  }
  if (typeof value !== 'string') throw new BadInputError(field, describeValue(value), 'lines like speaker_0=Maryam');
  const out: Record<string, string> = {};
  for (const line of value
    .split(/[\n,]+/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const at = line.indexOf('=');
    if (at <= 0 || line.slice(at + 1).trim() === '') throw new BadInputError(field, `"${line}"`, 'lines like speaker_0=Maryam');
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}
