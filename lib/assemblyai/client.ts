import { decodeToPcm16, detectAudio, readWavInfo, toPcm16Mono } from '../audio';
import { BadInputError, checkSecret, describeValue, type TranscriptionErrorDetails } from '../errors';
import { createNodeTransport } from '../http/nodeTransport';
import { Requester } from '../http/requester';
import { ShapeChecker } from '../http/shape';
import type { HttpTransport, RetryOptions } from '../http/types';
import { checkBaseUrl } from '../http/url';
import { checkSetting } from '../settings';
import { formatTime } from '../transcript/time';
import type { FileTranscriptResult, TimedSegment } from '../transcript/types';
import { checkWords } from './words';
import { liveAudioUpload, transcribeSync, wholeAudioUpload, type SyncAnswer, type SyncRequestOptions, type SyncUpload } from './sync';
import {
  ASSEMBLYAI_BASE_URL,
  DEFAULT_SYNC_MODEL,
  MAX_SECONDS,
  MAX_WAV_BYTES,
  SAMPLE_RATE,
  SHORT_AUDIO_ENDPOINTS,
  SYNC_BASE_URL,
  SYNC_LIMITS,
  SYNC_WARM_PATH,
  UNCERTAIN_BELOW,
  type ShortAudioEndpoint,
} from './settings';

/** Refuses, before reading it, a file too large to be short audio; `field` names where it came from. */
export function checkShortAudioSize(bytes: number | undefined, field: string): void {
  if (bytes === undefined || bytes <= MAX_WAV_BYTES) return;
  throw new BadInputError(
    field,
    `a file of ${(bytes / 1024 / 1024).toFixed(0)} MB`,
    `audio of at most ${SYNC_LIMITS.maxSeconds} seconds (the legacy endpoint: under ${MAX_SECONDS}); send longer audio with Harf's Upload File`,
  );
}

/** An AssemblyAI API key: text that is not blank, registered so that no error shows it. */
export function checkApiKey(value: unknown, field = 'apiKey'): string {
  return checkSecret(value, field, 'an AssemblyAI API key');
}

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
  /** Limit for an answer once the audio is sent (ms). Default 60 s (legacy), 180 s (Sync API, as AssemblyAI's SDK). */
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
  private readonly legacy: Requester<'assemblyai'>;
  private readonly sync: Requester<'assemblyai'>;
  private closeTransport?: () => void;

  constructor(options: AssemblyAiClientOptions) {
    const apiKey = checkApiKey(options.apiKey);
    this.baseUrl = checkBaseUrl(options.baseUrl ?? ASSEMBLYAI_BASE_URL, 'baseUrl', ASSEMBLYAI_BASE_URL);
    this.syncBaseUrl = checkBaseUrl(options.syncBaseUrl ?? SYNC_BASE_URL, 'syncBaseUrl', SYNC_BASE_URL);
    let transport = options.transport;
    if (!transport) {
      const own = createNodeTransport();
      transport = own.transport;
      this.closeTransport = own.close;
    }
    const shared = { service: 'assemblyai' as const, auth: { authorization: apiKey }, transport, retry: options.retry };
    this.legacy = new Requester({ ...shared, baseUrl: this.baseUrl, timeoutMs: options.requestTimeoutMs ?? 60_000 });
    this.sync = new Requester({ ...shared, baseUrl: this.syncBaseUrl, timeoutMs: options.requestTimeoutMs ?? 180_000 });
  }

  /** Closes idle keep-alive connections. The client stays usable. */
  close(): void {
    this.closeTransport?.();
  }

  /**
   * Transcribes short audio (WAV, OGG/Opus, MP3, FLAC or OGG/Vorbis, recognised from its bytes) and
   * maps the answer onto Harf's shape. The Sync API gets a WAV that fits as it is, anything else
   * converted as it is sent; the legacy endpoint gets 16-bit mono PCM at `sampleRate`.
   */
  async transcribeShortAudio(audio: Buffer, options: ShortAudioOptions = {}): Promise<AssemblyAiFileResult> {
    if (!Buffer.isBuffer(audio)) throw new BadInputError('audio', describeValue(audio), 'a Buffer holding an audio file');
    const endpoint = options.endpoint ?? 'sync';
    if (!SHORT_AUDIO_ENDPOINTS.includes(endpoint)) {
      throw new BadInputError('endpoint', describeValue(endpoint), '"sync" (the Sync API, the default) or "legacy" (/v2/stream)');
    }
    const threshold = checkSetting(UNCERTAIN_BELOW, options.uncertainBelow, 'uncertainBelow');
    if (endpoint === 'legacy') return await this.transcribeWithLegacy(audio, options, threshold);
    return await this.transcribeUpload(await wholeAudioUpload(audio, options.filename), options, threshold);
  }

  /**
   * Transcribes audio still being recorded (chunks of any of the five formats, as they arrive) over
   * one Sync API request: the audio is converted and sent as it comes, so the transcript follows a
   * moment after the last chunk. Over 120 s fails, naming the limit.
   */
  async transcribeLiveAudio(
    chunks: AsyncIterable<Buffer>,
    options: Omit<ShortAudioOptions, 'endpoint' | 'sampleRate'> = {},
  ): Promise<AssemblyAiFileResult> {
    const threshold = checkSetting(UNCERTAIN_BELOW, options.uncertainBelow, 'uncertainBelow');
    return await this.transcribeUpload(await liveAudioUpload(chunks, options.filename), options, threshold);
  }

  /** Opens the connection to the Sync API ahead of a transcription; resolves true once open (any answer means open). */
  async warm(options: { model?: string; signal?: AbortSignal } = {}): Promise<boolean> {
    try {
      await this.sync.send(
        { method: 'GET', path: SYNC_WARM_PATH, headers: { 'X-AAI-Model': options.model || DEFAULT_SYNC_MODEL }, signal: options.signal },
        { what: 'opening the connection', kind: 'asks', timeoutMs: 10_000 },
      );
      return true;
    } catch (error) {
      return typeof (error as { status?: unknown }).status === 'number';
    }
  }

  /**
   * Resolves when AssemblyAI accepts the API key: GET /v2/transcript?limit=1 on the Base URL, which
   * lists at most one transcript and sends no audio (nothing is billed). A refused key is an
   * AuthenticationError, a wrong Base URL a RequestRejectedError (404) or an UnexpectedResponseError.
   */
  async checkApiKey(options: { signal?: AbortSignal } = {}): Promise<void> {
    const { json, answer } = await this.legacy.sendJson(
      { method: 'GET', path: '/v2/transcript?limit=1', signal: options.signal },
      { what: 'checking the API key', kind: 'asks', answerName: 'the transcript listing' },
    );
    const checker = new ShapeChecker('the transcript listing', answer.details);
    const listing = checker.object(json, '(body)');
    checker.array(listing.transcripts, 'transcripts');
  }

  private async transcribeUpload(upload: SyncUpload, options: ShortAudioOptions, threshold: number): Promise<AssemblyAiFileResult> {
    const answer = await transcribeSync(this.sync, upload, options);
    const durationSeconds = upload.durationSeconds ?? (typeof answer.audio_duration_ms === 'number' ? answer.audio_duration_ms / 1000 : 0);
    return toFileResult(answer, { filename: options.filename || 'audio.wav', durationSeconds, threshold });
  }

  private async transcribeWithLegacy(audio: Buffer, options: ShortAudioOptions, threshold: number): Promise<AssemblyAiFileResult> {
    const sampleRate = checkSetting(SAMPLE_RATE, options.sampleRate, 'sampleRate');
    const { pcm, durationSeconds } = await legacyPcm(audio, sampleRate);
    const { json, answer } = await this.legacy.sendJson(
      { method: 'POST', path: '/v2/stream', json: { audio_data: pcm.toString('base64') }, signal: options.signal },
      { what: 'transcribing short audio', kind: 'startsJob', answerName: 'the short-audio transcription' },
    );
    const checked = checkAnswer(json, answer.details);
    return toFileResult(checked, { filename: options.filename || 'audio.wav', durationSeconds, threshold });
  }
}

function legacyTooLong(seconds: number): BadInputError {
  return new BadInputError(
    'audio',
    `${seconds.toFixed(1)} seconds of audio`,
    `audio under ${MAX_SECONDS} seconds for AssemblyAI's legacy /v2/stream endpoint; send longer audio with Harf's Upload File instead`,
  );
}

/** The legacy endpoint's audio: 16-bit mono PCM at `sampleRate`, under 15 s, and not empty, refused before sending. */
async function legacyPcm(audio: Buffer, sampleRate: number): Promise<{ pcm: Buffer; durationSeconds: number }> {
  let converted: { pcm: Buffer; durationSeconds: number };
  if (detectAudio(audio).kind === 'wav') {
    // The header tells the length: long audio is refused before any conversion work.
    const seconds = readWavInfo(audio).durationSeconds;
    if (seconds >= MAX_SECONDS) throw legacyTooLong(seconds);
    converted = toPcm16Mono(audio, sampleRate);
  } else {
    converted = await decodeToPcm16(audio, sampleRate, { maxSeconds: MAX_SECONDS });
    if (converted.durationSeconds >= MAX_SECONDS) throw legacyTooLong(converted.durationSeconds);
  }
  if (converted.pcm.length === 0) {
    throw new BadInputError(
      'audio',
      'a file with no audio samples (0 seconds)',
      `audio of some length, under ${MAX_SECONDS} seconds, for AssemblyAI's legacy /v2/stream endpoint`,
    );
  }
  return converted;
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
