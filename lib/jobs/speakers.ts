/**
 * Harf's speaker tasks as a user runs them, for every runtime: the speakers the user names read
 * from what a field or a message holds, and each answer turned into entries shaped like every
 * other transcript (per file, per segment, text) or, for identification and verification, one entry.
 */
import { BadInputError, describeValue } from '../errors';
import type { HarfClient } from '../harf/client';
import { readMediaUrls } from '../harf/input';
import {
  checkSpeakerNames,
  checkSpeakerSamples,
  checkThreshold,
  diarizationTranscript,
  identificationVerdict,
  indexingTranscript,
  verificationVerdict,
  type SpeakerSamples,
} from '../harf/speakers';
import type { RequestOptions } from '../harf/types';
import { transcriptOutputs, type OutputOptions, type TranscriptOutputs } from './transcripts';

export const SPEAKER_JOBS = ['diarize', 'identify', 'verify', 'index'] as const;
export type SpeakerJob = (typeof SPEAKER_JOBS)[number];

/** The speaker jobs that give transcripts (with a review split); the others give verdicts. */
export const TRANSCRIPT_SPEAKER_JOBS: readonly SpeakerJob[] = ['diarize', 'index'];

export function givesTranscripts(job: SpeakerJob): boolean {
  return TRANSCRIPT_SPEAKER_JOBS.includes(job);
}

export function checkSpeakerJob(value: unknown, field = 'task'): SpeakerJob {
  if (!SPEAKER_JOBS.includes(value as SpeakerJob))
    throw new BadInputError(field, describeValue(value), `one of ${SPEAKER_JOBS.join(', ')}`);
  return value as SpeakerJob;
}

/**
 * Named speakers with sample URLs from what a user gives: `{"Maryam": ["url", …]}`, or a list of
 * `{name, sample_urls}` (n8n's fixed collection gives `sampleUrls`), the URLs as a list or as text
 * separated by commas or new lines; or text, one `name = URLs` a line.
 */
export function readSpeakerSamples(value: unknown, field = 'speakers'): SpeakerSamples {
  if (typeof value === 'string') {
    // A dialog's text: one speaker a line, `Maryam = https://…/maryam-1.mp3, https://…/maryam-2.mp3`.
    const lines = value
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const list = lines.map((line, index) => {
      const at = line.indexOf('=');
      if (at <= 0)
        throw new BadInputError(`${field} line ${index + 1}`, `"${line}"`, 'a line like Maryam = https://example.com/maryam-1.mp3');
      return { name: line.slice(0, at).trim(), sample_urls: line.slice(at + 1) };
    });
    return readSpeakerSamples(list, field);
  }
  if (Array.isArray(value)) {
    const named: Record<string, unknown> = {};
    value.forEach((entry, index) => {
      const record = (entry ?? {}) as Record<string, unknown>;
      const name = typeof record.name === 'string' ? record.name.trim() : '';
      if (name === '') throw new BadInputError(`${field}[${index}].name`, describeValue(record.name), 'the name of the speaker');
      if (name in named) throw new BadInputError(`${field}[${index}].name`, `"${name}" given twice`, 'each speaker named once');
      const urls = record.sample_urls ?? record.sampleUrls ?? record.urls;
      named[name] = readMediaUrls(urls, `${field}[${index}].sample_urls`);
    });
    return checkSpeakerSamples(named, field);
  }
  if (value && typeof value === 'object') {
    const named: Record<string, unknown> = {};
    for (const [name, urls] of Object.entries(value as Record<string, unknown>)) named[name] = readMediaUrls(urls, `${field}.${name}`);
    return checkSpeakerSamples(named, field);
  }
  throw new BadInputError(field, describeValue(value), 'named speakers, each with one or more sample URLs of their voice');
}

/** What one speaker job needs; which fields apply depends on the job. */
export interface SpeakerJobInput {
  /** diarize: one or more media URLs; the others take one. */
  mediaUrls: string[];
  /** identify, index: named speakers with samples. */
  speakers?: SpeakerSamples;
  /** verify: samples of one person. */
  sampleUrls?: string[];
  /** diarize: names to show for labels (`speaker_0` → Maryam), or text lines `speaker_0 = Maryam`. */
  speakerNames?: Record<string, string> | string;
  /** identify, verify, index: the similarity from which a match counts, instead of Harf's verdict. */
  threshold?: number;
}

/**
 * Where a speaker job's input comes from: what a message carries (a media URL, a list of them, or an
 * object with Harf's own keys), then the node's settings for whatever it leaves out.
 */
export interface SpeakerJobSources {
  /** A media URL or list, or `{media_url(s), speakers or target_urls, sample_urls, speaker_names, threshold}`. */
  given: unknown;
  /** How errors name what was given, e.g. `msg.payload`. */
  givenField: string;
  /**
   * The node's settings, as text or values: `mediaUrls`, `speakers`, `sampleUrls`, `speakerNames`,
   * `threshold`; errors name them as the settings panel shows them.
   */
  settings: Record<string, unknown>;
}

function settingText(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** Reads one key of what was given (naming it in errors), or else the setting (naming that). */
function givenOrSetting<T>(
  given: Record<string, unknown>,
  keys: string[],
  prefix: string,
  setting: unknown,
  settingField: string,
  read: (value: unknown, field: string) => T,
): T {
  const key = keys.find((name) => given[name] !== undefined);
  return key !== undefined ? read(given[key], `${prefix}.${key}`) : read(setting, settingField);
}

/** A speaker job's input from a message and the node's settings (see SpeakerJobSources). */
export function speakerJobInput(job: SpeakerJob, sources: SpeakerJobSources): SpeakerJobInput {
  const { given, givenField: field, settings } = sources;
  const isObject = given !== null && typeof given === 'object' && !Array.isArray(given) && !Buffer.isBuffer(given);
  const keyed = isObject ? (given as Record<string, unknown>) : {};
  // A plain text or list is the media URL(s).
  const plain = typeof given === 'string' || Array.isArray(given) ? given : undefined;
  const mediaKey = ['media_urls', 'media_url'].find((key) => keyed[key] !== undefined && keyed[key] !== '');
  const mediaUrls = mediaKey
    ? readMediaUrls(keyed[mediaKey], `${field}.${mediaKey}`)
    : plain !== undefined && plain !== ''
      ? readMediaUrls(plain, field)
      : readMediaUrls(settingText(settings.mediaUrls), 'media URLs');
  const input: SpeakerJobInput = { mediaUrls };
  const { speakers, sampleUrls, speakerNames, threshold } = settings;
  if (job === 'identify' || job === 'index') {
    input.speakers = givenOrSetting(keyed, ['speakers', 'target_urls'], field, settingText(speakers), 'known speakers', readSpeakerSamples);
  }
  if (job === 'verify') {
    input.sampleUrls = givenOrSetting(keyed, ['sample_urls', 'target_urls'], field, settingText(sampleUrls), 'sample URLs', readMediaUrls);
  }
  if (job === 'diarize') input.speakerNames = (keyed.speaker_names as Record<string, string> | undefined) ?? settingText(speakerNames);
  else input.threshold = givenOrSetting(keyed, ['threshold'], field, settingText(threshold) || undefined, 'threshold', checkThreshold);
  return input;
}

export interface SpeakerJobOutputs extends TranscriptOutputs {
  /** identify and verify: their one entry per media URL (no segments). */
  verdicts: Record<string, unknown>[];
}

/** Runs a speaker job and shapes its answer (see SpeakerJobOutputs). */
export async function runSpeakerJob(
  client: HarfClient,
  job: SpeakerJob,
  input: SpeakerJobInput,
  output: OutputOptions,
  request: RequestOptions = {},
): Promise<SpeakerJobOutputs> {
  const threshold = checkThreshold(input.threshold);
  const [mediaUrl] = input.mediaUrls;
  if (job !== 'diarize' && input.mediaUrls.length !== 1) {
    throw new BadInputError('media_url', `${input.mediaUrls.length} URLs`, 'one media URL (only diarization takes several)');
  }
  const none = { transcript: [], review: [], files: [] };
  if (job === 'identify') {
    const found = await client.identifySpeaker(mediaUrl, input.speakers ?? {}, request);
    return { ...none, verdicts: [{ media_url: mediaUrl, ...identificationVerdict(found, { threshold }) }] };
  }
  if (job === 'verify') {
    const answer = await client.verifySpeaker(mediaUrl, input.sampleUrls ?? [], request);
    return { ...none, verdicts: [{ media_url: mediaUrl, ...verificationVerdict(answer, { threshold }) }] };
  }
  if (job === 'index') {
    const segments = await client.indexSpeakers(mediaUrl, input.speakers ?? {}, request);
    return { ...transcriptOutputs([{ result: indexingTranscript(mediaUrl, segments, { threshold }) }], output), verdicts: [] };
  }
  const names = checkSpeakerNames(input.speakerNames);
  const results = await client.diarizeSpeakers(input.mediaUrls, request);
  return {
    ...transcriptOutputs(
      results.map((result) => ({ result: diarizationTranscript(result, names) })),
      output,
    ),
    verdicts: [],
  };
}
