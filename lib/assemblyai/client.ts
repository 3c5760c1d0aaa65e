import { decodeToPcm16, detectAudio, readWavInfo, toPcm16Mono } from '../audio';
import { BadInputError, describeSecret, describeValue, registerSecret, type TranscriptionErrorDetails } from '../errors';
import { createNodeTransport } from '../http/nodeTransport';
import { parseJsonBody, requestIdOf, throwForStatus } from '../http/response';
import { withRetries, type RequestKind } from '../http/retry';
import { ShapeChecker } from '../http/shape';
import type { HttpTransport, RetryOptions, TransportRequest, TransportResponse } from '../http/types';
import { checkBaseUrl } from '../http/url';
import { formatTime } from '../transcript/time';
import type { FileTranscriptResult, TimedSegment } from '../transcript/types';
import { checkWords } from './words';
import { SYNC_BASE_URL, SYNC_LIMITS, prepareSyncAudio, transcribeSync, type SyncAnswer, type SyncRequestOptions } from './sync';

export const ASSEMBLYAI_BASE_URL = 'https://api.assemblyai.com';
/** The Sync API (SPEC §2.2) is the default; `legacy` is POST /v2/stream (§2.1). */
export type ShortAudioEndpoint = 'sync' | 'legacy';
export const SHORT_AUDIO_ENDPOINTS: readonly ShortAudioEndpoint[] = ['sync', 'legacy'];
/** The legacy endpoint takes audio under 15 seconds. */
export const MAX_SECONDS = 15;
/** The rate AssemblyAI's own clients of that endpoint sent; its documentation's format list is cut off. */
export const DEFAULT_SAMPLE_RATE = 8000;
/**
 * 120 seconds (the Sync API's limit) of the richest WAV (48 kHz, 8 channels, 32-bit) is about 185 MB:
 * a file far larger cannot be short audio, and is refused before it is read into memory.
 */
export const MAX_WAV_BYTES = 200 * 1024 * 1024;

/** Refuses, before reading it, a file too large to be short audio; `field` names where it came from. */
export function checkShortAudioSize(bytes: number | undefined, field: string): void {
  if (bytes === undefined || bytes <= MAX_WAV_BYTES) return;
  throw new BadInputError(
    field,
    `a file of ${(bytes / 1024 / 1024).toFixed(0)} MB`,
    `audio of at most ${SYNC_LIMITS.maxSeconds} seconds (the legacy endpoint: under ${MAX_SECONDS}); send longer audio with Harf's Upload File`,
  );
}

/** The rates the audio may be converted to before sending (Hz). */
export const SAMPLE_RATES = { min: 8000, max: 48000 } as const;
export const DEFAULT_UNCERTAIN_BELOW = 0.5;

// A new segment starts after a pause this long, or once a segment is this long, like Harf's ~5 s pieces.
const SEGMENT_PAUSE_MS = 700;
const SEGMENT_MAX_MS = 5000;

export interface AssemblyAiWord {
  text: string;
  confidence: number;
  start: number;
  end: number;
  [field: string]: unknown;
}

/** The answer of POST /v2/stream, as sent. */
export interface AssemblyAiAnswer {
  id: string;
  status: string;
  confidence: number;
  text: string;
  created: string;
  words: AssemblyAiWord[];
  [field: string]: unknown;
}

/** The answer's own fields plus a file transcript's, so every service flows through one output shape. */
export type AssemblyAiFileResult = (AssemblyAiAnswer | SyncAnswer) & FileTranscriptResult;

export interface AssemblyAiClientOptions {
  apiKey: string;
  /** Base URL of the legacy endpoint. Default https://api.assemblyai.com. */
  baseUrl?: string;
  /** Base URL of the Sync API. Default https://sync.assemblyai.com (US and EU hosts in SYNC_BASE_URLS). */
  syncBaseUrl?: string;
  retry?: RetryOptions;
  requestTimeoutMs?: number;
  transport?: HttpTransport;
}

export interface ShortAudioOptions extends Omit<SyncRequestOptions, 'signal'> {
  /** Which endpoint: the Sync API (default) or the legacy /v2/stream. */
  endpoint?: ShortAudioEndpoint;
  /** Legacy endpoint only: rate the audio is converted to before sending. Default 8000. */
  sampleRate?: number;
  /** A word whose confidence is below this is uncertain (bracketed, sent for review). Default 0.5. */
  uncertainBelow?: number;
  /** Names the result (its `media_url`), e.g. the uploaded file's name. Default `audio.wav`. */
  filename?: string;
  signal?: AbortSignal;
}

/** AssemblyAI for short audio: the Sync API (up to 120 s) or the legacy /v2/stream (under 15 s). */
export class AssemblyAiClient {
  readonly baseUrl: string;
  readonly syncBaseUrl: string;
  private readonly apiKey: string;
  private readonly transport: HttpTransport;
  private closeTransport?: () => void;

  constructor(private readonly options: AssemblyAiClientOptions) {
    if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new BadInputError(
        'apiKey',
        describeSecret(options.apiKey),
        'an AssemblyAI API key',
        'missing-credential',
      );
    }
    this.apiKey = options.apiKey.trim();
    registerSecret(this.apiKey);
    this.baseUrl = checkBaseUrl(options.baseUrl ?? ASSEMBLYAI_BASE_URL, 'baseUrl', ASSEMBLYAI_BASE_URL);
    this.syncBaseUrl = checkBaseUrl(options.syncBaseUrl ?? SYNC_BASE_URL, 'syncBaseUrl', SYNC_BASE_URL);
    if (options.transport) this.transport = options.transport;
    else {
      const own = createNodeTransport();
      this.transport = own.transport;
      this.closeTransport = own.close;
    }
  }

  /** Closes idle keep-alive connections. The client stays usable. */
  close(): void {
    this.closeTransport?.();
  }

  /**
   * Transcribes short audio (WAV, OGG/Opus, MP3, FLAC or OGG/Vorbis, recognised from its bytes) and
   * maps the answer onto Harf's shape. The Sync API gets a WAV that fits as it is, anything else
   * converted; the legacy endpoint gets 16-bit mono PCM at `sampleRate`.
   */
  async transcribeShortAudio(wav: Buffer, options: ShortAudioOptions = {}): Promise<AssemblyAiFileResult> {
    if (!Buffer.isBuffer(wav)) throw new BadInputError('audio', describeValue(wav), 'a Buffer holding an audio file');
    const endpoint = options.endpoint ?? 'sync';
    if (!SHORT_AUDIO_ENDPOINTS.includes(endpoint)) {
      throw new BadInputError('endpoint', describeValue(endpoint), '"sync" (the Sync API, the default) or "legacy" (/v2/stream)');
    }
    if (endpoint === 'sync') return await this.transcribeWithSync(wav, options);
    const sampleRate = options.sampleRate ?? DEFAULT_SAMPLE_RATE;
    if (!Number.isInteger(sampleRate) || sampleRate < SAMPLE_RATES.min || sampleRate > SAMPLE_RATES.max) {
      throw new BadInputError(
        'sampleRate',
        describeValue(sampleRate),
        `a whole number of Hz from ${SAMPLE_RATES.min} to ${SAMPLE_RATES.max} (${DEFAULT_SAMPLE_RATE} by default)`,
      );
    }
    const threshold = checkThreshold(options.uncertainBelow);
    const tooLong = (seconds: number) =>
      new BadInputError(
        'audio',
        `${seconds.toFixed(1)} seconds of audio`,
        `audio under ${MAX_SECONDS} seconds for AssemblyAI's legacy /v2/stream endpoint; send longer audio with Harf's Upload File instead`,
      );
    let pcm: Buffer;
    let durationSeconds: number;
    if (detectAudio(wav).kind === 'wav') {
      // The header tells the length: long audio is refused before any conversion work.
      const seconds = readWavInfo(wav).durationSeconds;
      if (seconds >= MAX_SECONDS) throw tooLong(seconds);
      ({ pcm, durationSeconds } = toPcm16Mono(wav, sampleRate));
    } else {
      const decoded = await decodeToPcm16(wav, sampleRate, { maxSeconds: MAX_SECONDS });
      if (decoded.durationSeconds >= MAX_SECONDS) throw tooLong(decoded.durationSeconds);
      ({ pcm, durationSeconds } = decoded);
    }
    const response = await this.send(
      {
        method: 'POST',
        url: `${this.baseUrl}/v2/stream`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ audio_data: pcm.toString('base64') }),
        signal: options.signal,
      },
      'transcribing short audio',
      'startsJob',
    );
    const parsed = parseJsonBody(response, 'assemblyai', 'the short-audio transcription');
    const answer = checkAnswer(parsed, detailsOf(response));
    return toFileResult(answer, { filename: options.filename || 'audio.wav', durationSeconds, threshold });
  }

  /**
   * Resolves when AssemblyAI accepts the API key: GET /v2/transcript?limit=1 on the Base URL, which
   * lists at most one transcript and sends no audio (nothing is billed). A refused key is an
   * AuthenticationError, a wrong Base URL a RequestRejectedError (404) or an UnexpectedResponseError.
   */
  async checkApiKey(options: { signal?: AbortSignal } = {}): Promise<void> {
    const response = await this.send(
      { method: 'GET', url: `${this.baseUrl}/v2/transcript?limit=1`, headers: {}, signal: options.signal },
      'checking the API key',
      'asks',
    );
    const checker = new ShapeChecker('the transcript listing', detailsOf(response));
    const listing = checker.object(parseJsonBody(response, 'assemblyai', 'the transcript listing'), '(body)');
    checker.array(listing.transcripts, 'transcripts');
  }

  /** One request with the key and a JSON accept header, retried as its kind allows; non-2xx answers throw. */
  private async send(request: Omit<TransportRequest, 'timeoutMs'>, what: string, kind: RequestKind): Promise<TransportResponse> {
    return await withRetries(
      async () => {
        const answer = await this.transport({
          ...request,
          headers: { ...request.headers, accept: 'application/json', authorization: this.apiKey },
          timeoutMs: this.options.requestTimeoutMs ?? 60_000,
        });
        throwForStatus(answer, 'assemblyai', what);
        return answer;
      },
      this.options.retry,
      { signal: request.signal, kind },
    );
  }

  private async transcribeWithSync(audio: Buffer, options: ShortAudioOptions): Promise<AssemblyAiFileResult> {
    const threshold = checkThreshold(options.uncertainBelow);
    const prepared = await prepareSyncAudio(audio);
    const answer = await transcribeSync(
      { transport: this.transport, apiKey: this.apiKey, syncBaseUrl: this.syncBaseUrl, retry: this.options.retry, requestTimeoutMs: this.options.requestTimeoutMs },
      prepared,
      { ...options, signal: options.signal },
    );
    return toFileResult(answer, { filename: options.filename || 'audio.wav', durationSeconds: prepared.durationSeconds, threshold });
  }
}

function checkThreshold(value: unknown): number {
  const threshold = value ?? DEFAULT_UNCERTAIN_BELOW;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) {
    throw new BadInputError('uncertainBelow', describeValue(threshold), 'a confidence from 0 to 1 (0.5 by default)');
  }
  return threshold;
}

function detailsOf(response: TransportResponse) {
  return { service: 'assemblyai' as const, status: response.status, body: response.body.toString('utf8'), requestId: requestIdOf(response) };
}

/** AssemblyAI's answer checked against its documented shape; errors name AssemblyAI and the field. */
function checkAnswer(value: unknown, details: TranscriptionErrorDetails & { service: 'assemblyai' }): AssemblyAiAnswer {
  const checker = new ShapeChecker('the short-audio transcription', details);
  const answer = checker.object(value, '(body)');
  checker.string(answer.text, 'text');
  checkWords(checker, answer.words);
  if (answer.status !== undefined && answer.status !== 'completed') checker.fail('status', '"completed"', answer.status);
  return answer as AssemblyAiAnswer;
}

/** Groups words into segments at pauses; words below the threshold are bracketed, the transcript's mark of doubt. */
export function toFileResult<A extends AssemblyAiAnswer | SyncAnswer>(
  answer: A,
  context: { filename: string; durationSeconds: number; threshold: number },
): A & FileTranscriptResult {
  const segments: TimedSegment[] = [];
  let current: AssemblyAiWord[] = [];
  const flush = () => {
    if (current.length === 0) return;
    segments.push({
      start: formatTime(current[0].start / 1000),
      end: formatTime(current[current.length - 1].end / 1000),
      text: current.map((word) => (word.confidence < context.threshold ? `[${word.text}]` : word.text)).join(' '),
    });
    current = [];
  };
  for (const word of answer.words) {
    const previous = current[current.length - 1];
    if (previous && (word.start - previous.end >= SEGMENT_PAUSE_MS || word.end - current[0].start > SEGMENT_MAX_MS)) flush();
    current.push(word);
  }
  flush();
  const uncertain = answer.words.filter((word) => word.confidence < context.threshold).length;
  const file: FileTranscriptResult = {
    media_url: context.filename,
    duration: formatTime(context.durationSeconds),
    segments,
    stats: { words: answer.words.length, known_words: answer.words.length - uncertain },
  };
  return { ...answer, ...file };
}
