import type { IncomingMessage, ServerResponse } from 'node:http';
import { listField, readJsonObject, typeName, urlChild, type FieldErrors } from './harf';
import { sendJson, type SandboxLogEntry } from './http';
import { SeededRandom } from './random';
import type { SandboxState } from './state';
import { durationForUrl, GolestanReader } from './transcripts';

export const SPEAKER_TASKS_PATH = '/api/speaker_tasks/';
export const HEALTHCHECK_PATH = '/api/healthcheck/';
export const SPEAKER_TASKS = ['diarization', 'identification', 'verification', 'indexing'] as const;
export type SpeakerTask = (typeof SPEAKER_TASKS)[number];

/** Harf's own verdict threshold on similarity. */
const VERDICT = 0.65;

export interface SandboxSpeakerSegment {
  start: number;
  end: number;
  speaker: string;
  text: string;
}

/** Query parameter of a URL, or undefined. */
function param(url: string, name: string): string | undefined {
  try {
    const value = new URL(url).searchParams.get(name);
    return value === null || value.trim() === '' ? undefined : value.trim();
  } catch {
    return undefined;
  }
}

/** The URL's file name without its extension (and without a trailing `-2`, `_03` sample number), lower case. */
function stemOf(url: string): string {
  let name = url;
  try {
    const parts = new URL(url).pathname.split('/');
    name = decodeURIComponent(parts[parts.length - 1] ?? '');
  } catch {
    // judge the whole text
  }
  return name
    .replace(/\.[^.]*$/, '')
    .replace(/[-_ ]?\d+$/, '')
    .toLowerCase();
}

/**
 * Who speaks in the media, in order of first appearance: `?voices=maryam,reza`, or `?voice=reza`
 * for one. Without either, `?speakers=N` anonymous voices (default 2).
 */
export function voicesInMedia(url: string): string[] {
  const listed = param(url, 'voices') ?? param(url, 'voice');
  if (listed)
    return listed
      .split(',')
      .map((v) => v.trim().toLowerCase())
      .filter(Boolean);
  const count = Number(param(url, 'speakers') ?? 2);
  const n = Number.isInteger(count) && count >= 1 && count <= 10 ? count : 2;
  return Array.from({ length: n }, (_, i) => `voice_${i}`);
}

/** Whose voice a sample is: `?voice=NAME`, else its file name (`reza-2.mp3` is Reza's). */
export function voiceOfSample(url: string): string {
  return (param(url, 'voice') ?? stemOf(url)).toLowerCase();
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * How alike a voice in the media and a set of samples are: 0.7–0.95 when a sample is that voice,
 * else −0.2–0.55 (seeded, so the same request always gets the same number).
 */
function similarity(voice: string, samples: string[], seed: string): number {
  const random = new SeededRandom(`similarity:${seed}:${voice}:${samples.join('|')}`);
  const same = samples.some((s) => voiceOfSample(s) === voice);
  return same ? round2(0.7 + random.next() * 0.25) : round2(-0.2 + random.next() * 0.75);
}

/** Stretches of speech covering the media, each of one voice; labels `speaker_0…` by first appearance. */
export function diarize(mediaUrl: string, duration: number): Array<SandboxSpeakerSegment & { voice: string }> {
  const voices = voicesInMedia(mediaUrl);
  const random = new SeededRandom(`diarization:${mediaUrl}`);
  const reader = new GolestanReader(random);
  const allowUncertain = !['0', 'false', 'no', 'none'].includes((param(mediaUrl, 'uncertain') ?? '').toLowerCase());
  const labels = new Map<string, string>();
  const segments: Array<SandboxSpeakerSegment & { voice: string }> = [];
  let at = round2(random.next() * 0.8);
  let current = 0;
  while (at < duration - 0.5) {
    const end = round2(Math.min(duration, at + 1.5 + random.next() * 5));
    const voice = voices[current];
    if (!labels.has(voice)) labels.set(voice, `speaker_${labels.size}`);
    segments.push({ start: at, end, speaker: labels.get(voice) as string, text: reader.nextSegmentText(allowUncertain), voice });
    at = round2(end + random.next() * 0.4);
    // Turns change more often than not, so both hosts of a two-voice file are heard.
    if (voices.length > 1 && random.next() < 0.6) current = (current + 1 + random.int(0, voices.length - 2)) % voices.length;
  }
  return segments;
}

function mediaDuration(state: SandboxState, url: string): number {
  return state.mediaDurations.get(url) ?? durationForUrl(url);
}

/** DRF URLField, required. */
function urlField(data: Record<string, unknown>, field: string, errors: FieldErrors): string | undefined {
  const value = data[field];
  const message = value === undefined ? 'This field is required.' : urlChild(value);
  if (message) {
    errors[field] = [message];
    return undefined;
  }
  return (value as string).trim();
}

/** DRF DictField(child=ListField(child=URLField())): `{"name": ["url", …], …}`. */
function targetsField(data: Record<string, unknown>, errors: FieldErrors): Record<string, string[]> | undefined {
  const value = data.target_urls;
  if (value === undefined) errors.target_urls = ['This field is required.'];
  else if (value === null) errors.target_urls = ['This field may not be null.'];
  else if (typeof value !== 'object' || Array.isArray(value))
    errors.target_urls = [`Expected a dictionary of items but got type "${typeName(value)}".`];
  else if (Object.keys(value).length === 0) errors.target_urls = ['This dictionary may not be empty.'];
  else {
    const inner: FieldErrors = {};
    const out: Record<string, string[]> = {};
    for (const [name, urls] of Object.entries(value as Record<string, unknown>)) {
      const list = listField({ [name]: urls }, name, inner, urlChild);
      if (list) out[name] = (list as string[]).map((u) => u.trim());
    }
    if (Object.keys(inner).length > 0) errors.target_urls = inner;
    else return out;
  }
  return undefined;
}

function best(voice: string, targets: Record<string, string[]>, seed: string): { name: string; similarity: number } {
  let found = { name: '', similarity: -Infinity };
  for (const [name, samples] of Object.entries(targets)) {
    const s = similarity(voice, samples, seed);
    if (s > found.similarity) found = { name, similarity: s };
  }
  return found;
}

/** POST /api/speaker_tasks/<task>/ — synchronous: the answer is the result. */
export async function handleSpeakerTask(
  task: SpeakerTask,
  state: SandboxState,
  req: IncomingMessage,
  res: ServerResponse,
  entry: SandboxLogEntry,
): Promise<void> {
  const data = await readJsonObject(req, res, entry);
  if (!data) return;
  const errors: FieldErrors = {};
  if (task === 'diarization') {
    const urls = listField(data, 'media_urls', errors, urlChild) as string[] | undefined;
    if (!urls) {
      sendJson(res, 400, errors);
      return;
    }
    const mediaUrls = urls.map((u) => u.trim());
    for (const url of mediaUrls) state.jobs.count(url, state.accountOf(req));
    await state.sleep(state.settings.processingDelayMs);
    sendJson(
      res,
      200,
      mediaUrls.map((url) => ({
        media_url: url,
        segments: diarize(url, mediaDuration(state, url)).map(({ voice: _voice, ...segment }) => segment),
      })),
    );
    return;
  }
  const mediaUrl = urlField(data, 'media_url', errors);
  const targets =
    task === 'verification'
      ? (listField(data, 'target_urls', errors, urlChild) as string[] | undefined)?.map((u) => u.trim())
      : targetsField(data, errors);
  if (!mediaUrl || !targets || Object.keys(errors).length > 0) {
    sendJson(res, 400, errors);
    return;
  }
  state.jobs.count(mediaUrl, state.accountOf(req));
  await state.sleep(state.settings.processingDelayMs);
  const voice = voicesInMedia(mediaUrl)[0];
  if (task === 'verification') {
    const s = similarity(voice, targets as string[], mediaUrl);
    sendJson(res, 200, [{ result: s >= VERDICT ? 'Verified' : 'Rejected', similarity: s }]);
    return;
  }
  const named = targets as Record<string, string[]>;
  if (task === 'identification') {
    const found = best(voice, named, mediaUrl);
    // Harf's own example writes "unknown" in lower case beside "Identified".
    sendJson(res, 200, [
      { result: found.similarity >= VERDICT ? 'Identified' : 'unknown', most_similar_speaker: found.name, similarity: found.similarity },
    ]);
    return;
  }
  // Indexing: one entry per single-speaker stretch, each matched against the named samples.
  const stretches: Array<SandboxSpeakerSegment & { voice: string }> = [];
  for (const segment of diarize(mediaUrl, mediaDuration(state, mediaUrl))) {
    const last = stretches[stretches.length - 1];
    if (last && last.voice === segment.voice) {
      last.end = segment.end;
      last.text = `${last.text} ${segment.text}`;
    } else stretches.push({ ...segment });
  }
  sendJson(
    res,
    200,
    stretches.map((stretch, index) => {
      const found = best(stretch.voice, named, `${mediaUrl}#${index}`);
      return {
        start: stretch.start,
        end: stretch.end,
        result: found.similarity >= VERDICT ? 'Identified' : 'Unknown',
        most_similar_speaker: found.name,
        similarity: found.similarity,
        text: stretch.text,
      };
    }),
  );
}

/** The task named by a speaker-task path, or undefined. */
export function speakerTaskOf(path: string): SpeakerTask | undefined {
  if (!path.startsWith(SPEAKER_TASKS_PATH)) return undefined;
  const name = path.slice(SPEAKER_TASKS_PATH.length).replace(/\/$/, '');
  return path.endsWith('/') ? SPEAKER_TASKS.find((task) => task === name) : undefined;
}

export function handleHealthcheck(res: ServerResponse): void {
  sendJson(res, 200, { status: 'ok', message: 'Server is up and ready' });
}
