import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { drainBody, mimeOf, readBody, sendJson, type SandboxLogEntry } from './http';
import { SeededRandom } from './random';
import type { SandboxState } from './state';

const BODY_LIMIT = 64 * 1024 * 1024;
const MAX_SECONDS = 15;
export const ASSEMBLYAI_AUTH_ERROR = 'Authentication error, API token missing/invalid';

/** English sample sentences, the sandbox's "recognised" speech for AssemblyAI. */
const SENTENCES: readonly string[] = [
  'set the temperature in the office to nine degrees',
  'please call stella and ask her to bring these things with her from the store',
  'the quick brown fox jumps over the lazy dog',
  'a journey of a thousand miles begins with a single step',
  'remind me to water the plants on friday morning',
  'the meeting has been moved to half past three',
];

export function assemblyAiAuthorized(req: IncomingMessage, key: string): boolean {
  const given = req.headers.authorization;
  if (!given) return false;
  const a = Buffer.from(given.trim());
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

function createdStamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

export interface AssemblyAiWord {
  text: string;
  confidence: number;
  start: number;
  end: number;
}

/**
 * Words spread over the audio's length, chosen from the audio's hash (the same audio gives the same
 * answer). Every fourth word is one the "model" is unsure of (confidence below 0.5).
 */
export function sampleWords(audio: Buffer, durationMs: number): AssemblyAiWord[] {
  return sampleWordsOf(createHash('sha256').update(audio).digest(), durationMs);
}

/** The same from the audio's SHA-256, for audio that was hashed as it arrived. */
export function sampleWordsOf(audioSha256: Buffer, durationMs: number): AssemblyAiWord[] {
  const random = new SeededRandom(audioSha256);
  const count = Math.max(1, Math.round((durationMs / 1000) * 2.5));
  let sentence = random.int(0, SENTENCES.length - 1);
  let words = SENTENCES[sentence].split(' ');
  let at = 0;
  const picked: string[] = [];
  while (picked.length < count) {
    if (at >= words.length) {
      sentence = (sentence + 1) % SENTENCES.length;
      words = SENTENCES[sentence].split(' ');
      at = 0;
    }
    picked.push(words[at]);
    at += 1;
  }
  const slot = durationMs / count;
  return picked.map((text, i) => {
    const unsure = i % 4 === 2;
    const confidence = unsure ? 0.3 + random.int(0, 18) / 100 : 0.85 + random.int(0, 14) / 100;
    return {
      text,
      confidence: Math.round(confidence * 100) / 100,
      start: Math.round(i * slot),
      end: Math.round((i + 0.9) * slot),
    };
  });
}

/** POST /v2/stream — AssemblyAI's synchronous endpoint for short raw PCM audio. */
export async function handleAssemblyAiStream(
  state: SandboxState,
  req: IncomingMessage,
  res: ServerResponse,
  entry: SandboxLogEntry,
): Promise<void> {
  // The key is checked before the body is read, as the service does.
  if (!assemblyAiAuthorized(req, state.assemblyAiKey)) {
    sendJson(res, 401, { error: ASSEMBLYAI_AUTH_ERROR });
    await drainBody(req, entry);
    return;
  }
  const body = await readBody(req, entry, BODY_LIMIT);
  if (body === 'too-large') {
    sendJson(res, 413, { error: 'Request body is too large for the synchronous endpoint.' });
    return;
  }
  const mime = mimeOf(req.headers['content-type']);
  if (mime !== 'application/json' && mime !== '') {
    sendJson(res, 400, { error: `Expected a JSON body (Content-Type application/json); found "${mime}".` });
    return;
  }
  let data: unknown;
  try {
    data = JSON.parse(body.toString('utf8'));
  } catch (error) {
    sendJson(res, 400, { error: `Invalid JSON body: ${(error as Error).message}` });
    return;
  }
  const audioData = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).audio_data : undefined;
  if (typeof audioData !== 'string' || audioData === '') {
    sendJson(res, 400, { error: 'audio_data is required: base64 of raw 16-bit mono PCM audio.' });
    return;
  }
  const compact = audioData.replace(/\s+/g, '');
  if (!isBase64(compact)) {
    sendJson(res, 400, { error: 'audio_data is not valid base64.' });
    return;
  }
  const audio = Buffer.from(compact, 'base64');
  if (audio.length >= 4 && audio.toString('latin1', 0, 4) === 'RIFF') {
    sendJson(res, 400, { error: 'audio_data starts with a WAV header (RIFF); strip the header and send raw 16-bit PCM.' });
    return;
  }
  if (audio.length === 0 || audio.length % 2 !== 0) {
    sendJson(res, 400, { error: `audio_data has ${audio.length} bytes; 16-bit PCM needs a whole, non-zero number of 2-byte samples.` });
    return;
  }
  const rate = state.settings.assemblyAiSampleRate;
  const seconds = audio.length / 2 / rate;
  if (seconds > MAX_SECONDS) {
    sendJson(res, 400, {
      error:
        `Audio duration is too long: ${seconds.toFixed(2)} seconds at ${rate} Hz; ` +
        `this endpoint takes audio up to ${MAX_SECONDS} seconds.`,
    });
    return;
  }
  await state.sleep(Math.min(state.settings.processingDelayMs, 750));
  const words = sampleWords(audio, seconds * 1000);
  const confidence = Math.round((words.reduce((sum, w) => sum + w.confidence, 0) / words.length) * 100) / 100;
  sendJson(res, 200, {
    id: randomUUID(),
    status: 'completed',
    confidence,
    text: words.map((w) => w.text).join(' '),
    created: createdStamp(new Date()),
    words,
  });
}

/** GET /v2/transcript — the listing AssemblyAI answers; used to check a key without sending audio. */
export function handleAssemblyAiTranscriptList(state: SandboxState, req: IncomingMessage, res: ServerResponse): void {
  if (!assemblyAiAuthorized(req, state.assemblyAiKey)) {
    sendJson(res, 401, { error: ASSEMBLYAI_AUTH_ERROR });
    return;
  }
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const limit = Math.max(1, Math.min(200, Number(url.searchParams.get('limit')) || 10));
  sendJson(res, 200, {
    page_details: { limit, result_count: 0, current_url: `${state.url}/v2/transcript?limit=${limit}`, prev_url: null, next_url: null },
    transcripts: [],
  });
}
