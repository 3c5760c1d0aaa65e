import { randomBytes } from 'node:crypto';
import { decodeToPcm16, detectAudio, readWavInfo, toHarfWav, wavHeader } from '../audio';
import { BadInputError, ServerError, describeValue, type TranscriptionErrorDetails } from '../errors';
import { parseJsonBody, requestIdOf, throwForStatus } from '../http/response';
import { abortableSleep, withRetries } from '../http/retry';
import { ShapeChecker } from '../http/shape';
import type { HttpTransport, RetryOptions } from '../http/types';
import { checkWords } from './words';

/** AssemblyAI's Sync API hosts: the default, and the US and EU data-residency ones. */
export const SYNC_BASE_URL = 'https://sync.assemblyai.com';
export const SYNC_BASE_URLS = {
  default: SYNC_BASE_URL,
  us: 'https://sync.us.assemblyai.com',
  eu: 'https://sync.eu.assemblyai.com',
} as const;
export const SYNC_PATH = '/v1/transcribe';
export const DEFAULT_SYNC_MODEL = 'universal-3-5-pro';
/** What the Sync API takes: 80 ms to 120 s, at most 40 MB, 16-bit, mono or stereo, these rates. */
export const SYNC_LIMITS = {
  minSeconds: 0.08,
  maxSeconds: 120,
  maxBytes: 40 * 1024 * 1024,
  channels: [1, 2],
  sampleRates: [8000, 16000, 22050, 24000, 32000, 44100, 48000],
} as const;
/** The rate audio is converted to when it does not fit as it is. */
const SYNC_CONVERT_RATE = 16000;

export interface SyncWord {
  text: string;
  confidence: number;
  start: number;
  end: number;
  [field: string]: unknown;
}

/** The answer of POST /v1/transcribe, as sent. */
export interface SyncAnswer {
  text: string;
  words: SyncWord[];
  confidence?: number;
  audio_duration_ms?: number;
  session_id?: string;
  request_time_ms?: number;
  [field: string]: unknown;
}

export interface SyncRequestOptions {
  /** X-AAI-Model. Default universal-3-5-pro. */
  model?: string;
  /** Language codes, e.g. ["en"]; empty lets the model tell. */
  languages?: string[];
  /** Words and names the model should expect (keyterms_prompt). */
  keyTerms?: string[];
  /** Free text that tells the model about the audio. */
  prompt?: string;
  signal?: AbortSignal;
}

/** The audio as it will be sent, with its length. */
export interface SyncAudio {
  wav: Buffer;
  sampleRate: number;
  channels: number;
  durationSeconds: number;
  /** True when the input was sent byte for byte. */
  asIs: boolean;
}

function tooLong(seconds: number): BadInputError {
  return new BadInputError(
    'audio',
    `${seconds.toFixed(1)} seconds of audio`,
    `audio of at most ${SYNC_LIMITS.maxSeconds} seconds for AssemblyAI's Sync API; send longer audio with Harf's Upload File instead`,
  );
}

function tooShort(seconds: number): BadInputError {
  return new BadInputError('audio', `${Math.round(seconds * 1000)} ms of audio`, `at least ${SYNC_LIMITS.minSeconds * 1000} ms of audio for AssemblyAI's Sync API`);
}

/**
 * The audio the Sync API is sent: a WAV that already fits goes as it is; any other WAV, and
 * OGG/Opus, MP3, FLAC or OGG/Vorbis, becomes a 16 kHz mono 16-bit WAV. Over 120 s is refused
 * before any conversion of a WAV (its header tells) and before sending for the rest.
 */
export async function prepareSyncAudio(audio: Buffer): Promise<SyncAudio> {
  if (!Buffer.isBuffer(audio)) throw new BadInputError('audio', describeValue(audio), 'a Buffer holding an audio file');
  const detection = detectAudio(audio);
  if (detection.kind === 'wav') {
    const info = readWavInfo(audio);
    if (info.durationSeconds > SYNC_LIMITS.maxSeconds) throw tooLong(info.durationSeconds);
    if (info.durationSeconds < SYNC_LIMITS.minSeconds) throw tooShort(info.durationSeconds);
    const fits =
      info.audioFormat === 'pcm' &&
      info.bitsPerSample === 16 &&
      (SYNC_LIMITS.channels as readonly number[]).includes(info.channels) &&
      (SYNC_LIMITS.sampleRates as readonly number[]).includes(info.sampleRate) &&
      audio.length <= SYNC_LIMITS.maxBytes;
    if (fits) return { wav: audio, sampleRate: info.sampleRate, channels: info.channels, durationSeconds: info.durationSeconds, asIs: true };
    const wav = toHarfWav(audio);
    return { wav, sampleRate: SYNC_CONVERT_RATE, channels: 1, durationSeconds: info.durationSeconds, asIs: false };
  }
  const decoded = await decodeToPcm16(audio, SYNC_CONVERT_RATE, { maxSeconds: SYNC_LIMITS.maxSeconds });
  if (decoded.durationSeconds > SYNC_LIMITS.maxSeconds) throw tooLong(decoded.durationSeconds);
  if (decoded.durationSeconds < SYNC_LIMITS.minSeconds) throw tooShort(decoded.durationSeconds);
  const wav = Buffer.concat([wavHeader(SYNC_CONVERT_RATE, 1, decoded.pcm.length), decoded.pcm]);
  return { wav, sampleRate: SYNC_CONVERT_RATE, channels: 1, durationSeconds: decoded.durationSeconds, asIs: false };
}

/** A list typed as text, one item a line or comma-separated (the way a node's setting holds it). */
export function listFromText(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value as string[];
  if (typeof value !== 'string') return value === undefined || value === null ? undefined : (value as string[]);
  const items = value.split(/[,\n]/).map((item) => item.trim()).filter((item) => item !== '');
  return items.length > 0 ? items : undefined;
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new BadInputError(field, describeValue(value), 'a list of strings');
  }
  return value.map((item: string) => item.trim()).filter((item) => item !== '');
}

/** The request options checked: each names its field when it is wrong. */
export function checkSyncOptions(options: SyncRequestOptions): Required<Omit<SyncRequestOptions, 'signal' | 'prompt'>> & { prompt?: string } {
  const model = options.model === undefined || options.model.trim() === '' ? DEFAULT_SYNC_MODEL : options.model;
  if (typeof model !== 'string' || !/^[\w.-]{1,100}$/.test(model)) {
    throw new BadInputError('model', describeValue(options.model), `a model name such as "${DEFAULT_SYNC_MODEL}"`);
  }
  const languages = stringList(options.languages, 'languages');
  const bad = languages.find((code) => !/^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$/.test(code));
  if (bad !== undefined) throw new BadInputError('languages', `"${bad}"`, 'language codes such as "en", "fa" or "en_us"');
  const keyTerms = stringList(options.keyTerms, 'keyTerms');
  if (options.prompt !== undefined && typeof options.prompt !== 'string') throw new BadInputError('prompt', describeValue(options.prompt), 'text');
  const prompt = options.prompt?.trim() || undefined;
  return { model, languages, keyTerms, prompt };
}

/** A multipart/form-data body, built whole: the audio is at most 40 MB and each retry sends it again. */
function multipart(parts: { name: string; filename?: string; contentType: string; body: Buffer }[]): { body: Buffer; contentType: string } {
  const boundary = `----harf-${randomBytes(12).toString('hex')}`;
  const pieces: Buffer[] = [];
  for (const part of parts) {
    const filename = part.filename ? `; filename="${part.filename.replace(/["\r\n\\]/g, '_')}"` : '';
    pieces.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\nContent-Type: ${part.contentType}\r\n\r\n`, 'utf8'),
      part.body,
      Buffer.from('\r\n'),
    );
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(pieces), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface SyncContext {
  transport: HttpTransport;
  apiKey: string;
  syncBaseUrl: string;
  retry?: RetryOptions;
  requestTimeoutMs?: number;
}

/**
 * One transcription with the Sync API. 429 and 503 are sent again after Retry-After (the shared
 * rule); 500 and 504 once more, which AssemblyAI calls safe for this endpoint.
 */
export async function transcribeSync(context: SyncContext, audio: SyncAudio, options: SyncRequestOptions & { filename?: string }): Promise<SyncAnswer> {
  const checked = checkSyncOptions(options);
  const config: Record<string, unknown> = { sample_rate: audio.sampleRate, channels: audio.channels, timestamps: true };
  if (checked.languages.length > 0) config.language_codes = checked.languages;
  if (checked.keyTerms.length > 0) config.keyterms_prompt = checked.keyTerms;
  if (checked.prompt) config.prompt = checked.prompt;
  const form = multipart([
    { name: 'audio', filename: wavName(options.filename), contentType: 'audio/wav', body: audio.wav },
    { name: 'config', contentType: 'application/json', body: Buffer.from(JSON.stringify(config)) },
  ]);
  const sendOnce = async () => {
    const answer = await context.transport({
      method: 'POST',
      url: `${context.syncBaseUrl}${SYNC_PATH}`,
      headers: { 'content-type': form.contentType, accept: 'application/json', authorization: context.apiKey, 'X-AAI-Model': checked.model },
      body: form.body,
      signal: options.signal,
      timeoutMs: context.requestTimeoutMs ?? 120_000,
    });
    throwForStatus(answer, 'assemblyai', 'transcribing with the Sync API');
    return answer;
  };
  let safeRetryUsed = false;
  const response = await withRetries(
    async () => {
      try {
        return await sendOnce();
      } catch (error) {
        if (!safeRetryUsed && error instanceof ServerError && (error.status === 500 || error.status === 504)) {
          safeRetryUsed = true;
          await abortableSleep(250, options.signal);
          return await sendOnce();
        }
        throw error;
      }
    },
    context.retry,
    { signal: options.signal, kind: 'startsJob' },
  );
  const details = { service: 'assemblyai' as const, status: response.status, body: response.body.toString('utf8'), requestId: requestIdOf(response) };
  return checkSyncAnswer(parseJsonBody(response, 'assemblyai', 'the Sync API transcription'), details);
}

function wavName(filename: string | undefined): string {
  const base = (filename || 'audio').replace(/\.[^./\\]*$/, '');
  return `${base || 'audio'}.wav`;
}

function checkSyncAnswer(value: unknown, details: TranscriptionErrorDetails & { service: 'assemblyai' }): SyncAnswer {
  const checker = new ShapeChecker('the Sync API transcription', details);
  const answer = checker.object(value, '(body)');
  checker.string(answer.text, 'text');
  checkWords(checker, answer.words);
  return answer as SyncAnswer;
}
