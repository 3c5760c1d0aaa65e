import { AudioStreamConverter, detectAudio, readWavInfo } from '../audio';
import { BadInputError, describeValue, type TranscriptionErrorDetails } from '../errors';
import { multipartBody } from '../http/multipart';
import type { Requester } from '../http/requester';
import { ShapeChecker } from '../http/shape';
import { DEFAULT_SYNC_MODEL, SYNC_CAPS, SYNC_LIMITS, SYNC_PATH } from './settings';
import { checkWords } from './words';

/** The rate audio is converted to when it does not fit as it is. */
const SYNC_CONVERT_RATE = 16000;
/** Bytes of converted audio (16 kHz mono 16-bit) a second. */
const CONVERTED_BYTES_PER_SECOND = SYNC_CONVERT_RATE * 2;
/** The streaming WAV header the converter starts its output with; raw PCM goes without it. */
const CONVERTED_HEADER_BYTES = 44;

export interface SyncWord {
  text: string;
  confidence: number;
  start: number;
  end: number;
  [field: string]: unknown;
}

/** The answer of the Sync API, as sent. */
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
  /** Words and names the model should expect (keyterms_prompt): at most 100 terms, 8,000 characters. */
  keyTerms?: string[];
  /** Free text that tells the model about the audio: at most 6,000 characters. */
  prompt?: string;
  /** Earlier turns of the conversation, oldest first; trimmed oldest first past 500 turns or 16,000 characters. */
  conversationContext?: string[] | string;
  signal?: AbortSignal;
}

export interface CheckedSyncOptions {
  model: string;
  languages: string[];
  keyTerms: string[];
  prompt?: string;
  conversationContext: string[];
}

/** How the audio goes up: a WAV that fits as it is, or converted audio as raw PCM, streamed as it is produced. */
export interface SyncUpload {
  contentType: 'audio/wav' | 'audio/pcm';
  filename: string;
  /** Raw PCM only: what config must say of it. */
  sampleRate?: number;
  channels?: number;
  /** The audio's bytes, anew for each attempt (a one-shot source only once). */
  open(): Buffer | AsyncIterable<Buffer>;
  replayable: boolean;
  /** Seconds of audio: a WAV's header tells before sending; converted audio's is counted as it goes. */
  durationSeconds?: number;
}

function tooLong(seconds: number | undefined): BadInputError {
  const found = seconds === undefined ? `more than ${SYNC_LIMITS.maxSeconds} seconds of audio` : `${seconds.toFixed(1)} seconds of audio`;
  return new BadInputError(
    'audio',
    found,
    `audio of at most ${SYNC_LIMITS.maxSeconds} seconds for AssemblyAI's Sync API; send longer audio with Harf's Upload File instead`,
  );
}

function tooShort(seconds: number): BadInputError {
  return new BadInputError(
    'audio',
    `${Math.round(seconds * 1000)} ms of audio`,
    `at least ${SYNC_LIMITS.minSeconds * 1000} ms of audio for AssemblyAI's Sync API`,
  );
}

/** The file name the audio part carries. */
function partName(filename: string | undefined, extension: 'wav' | 'pcm'): string {
  const base = (filename || 'audio').replace(/\.[^./\\]*$/, '');
  return `${base || 'audio'}.${extension}`;
}

/** Whether a WAV can go to the Sync API byte for byte. */
function fitsAsIs(audio: Buffer): boolean {
  const info = readWavInfo(audio);
  return (
    info.audioFormat === 'pcm' &&
    info.bitsPerSample === 16 &&
    (SYNC_LIMITS.channels as readonly number[]).includes(info.channels) &&
    (SYNC_LIMITS.sampleRates as readonly number[]).includes(info.sampleRate) &&
    audio.length <= SYNC_LIMITS.maxBytes
  );
}

/**
 * The upload for audio held whole: a WAV that already fits goes as it is; any other WAV, and
 * OGG/Opus, MP3, FLAC or OGG/Vorbis, is converted to 16 kHz mono 16-bit PCM as it is sent. A WAV's
 * length is checked from its header before anything else; other audio's first 80 ms are converted
 * before sending (a format the package cannot read, or too little audio, is refused without a request).
 */
export async function wholeAudioUpload(audio: Buffer, filename?: string): Promise<SyncUpload> {
  if (!Buffer.isBuffer(audio)) throw new BadInputError('audio', describeValue(audio), 'a Buffer holding an audio file');
  if (detectAudio(audio).kind === 'wav') {
    const { durationSeconds } = readWavInfo(audio);
    if (durationSeconds > SYNC_LIMITS.maxSeconds) throw tooLong(durationSeconds);
    if (durationSeconds < SYNC_LIMITS.minSeconds) throw tooShort(durationSeconds);
    if (fitsAsIs(audio)) {
      return { contentType: 'audio/wav', filename: partName(filename, 'wav'), open: () => audio, replayable: true, durationSeconds };
    }
  }
  const upload = convertedUpload(() => piecesOf(audio), filename, true);
  // Small pieces: the check stops as soon as 80 ms have come out, not after a large piece's decoding.
  await checkConvertedStart(piecesOf(audio, 4096));
  return upload;
}

/**
 * The upload for audio still being produced (a recording, chunks arriving in a flow): converted as
 * it comes and sent as raw PCM, once. Its first 80 ms are awaited before the request opens.
 */
export async function liveAudioUpload(chunks: AsyncIterable<Buffer>, filename?: string): Promise<SyncUpload> {
  const iterator = chunks[Symbol.asyncIterator]();
  const early: Buffer[] = [];
  let ended = false;
  let bytes = 0;
  // Enough input for the converter to have produced 80 ms, or the end: the checks need no request.
  const probe = new AudioStreamConverter({ targetRate: SYNC_CONVERT_RATE });
  try {
    while (!ended && bytes < CONVERTED_HEADER_BYTES + SYNC_LIMITS.minSeconds * CONVERTED_BYTES_PER_SECOND) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        bytes += (await probe.end()).length;
      } else {
        early.push(next.value);
        bytes += (await probe.push(next.value)).length;
      }
    }
  } finally {
    probe.close();
  }
  if (ended) checkConvertedLength(bytes);
  async function* replay(): AsyncGenerator<Buffer> {
    yield* early;
    if (!ended) for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return convertedUpload(replay, filename, false);
}

function checkConvertedLength(outputBytes: number): void {
  const seconds = Math.max(0, outputBytes - CONVERTED_HEADER_BYTES) / CONVERTED_BYTES_PER_SECOND;
  if (seconds < SYNC_LIMITS.minSeconds) throw tooShort(seconds);
}

/** Converts the start of the audio (stopping once 80 ms have come): the format and the shortest length are checked. */
async function checkConvertedStart(source: AsyncIterable<Buffer>): Promise<void> {
  const converter = new AudioStreamConverter({ targetRate: SYNC_CONVERT_RATE });
  let bytes = 0;
  const enough = CONVERTED_HEADER_BYTES + SYNC_LIMITS.minSeconds * CONVERTED_BYTES_PER_SECOND;
  try {
    for await (const chunk of source) {
      bytes += (await converter.push(chunk)).length;
      if (bytes >= enough) return;
    }
    bytes += (await converter.end()).length;
  } finally {
    converter.close();
  }
  checkConvertedLength(bytes);
}

function convertedUpload(source: () => AsyncIterable<Buffer>, filename: string | undefined, replayable: boolean): SyncUpload {
  const upload: SyncUpload = {
    contentType: 'audio/pcm',
    filename: partName(filename, 'pcm'),
    sampleRate: SYNC_CONVERT_RATE,
    channels: 1,
    replayable,
    open: () => convertedPcm(source(), replayable, (seconds) => (upload.durationSeconds = seconds)),
  };
  return upload;
}

/**
 * Raw PCM converted from the source as it is read. Past 120 s the upload fails (the request is never
 * completed, so no job starts); with the whole audio at hand its full length is measured for the error.
 */
async function* convertedPcm(source: AsyncIterable<Buffer>, measureAll: boolean, onEnd: (seconds: number) => void): AsyncGenerator<Buffer> {
  const converter = new AudioStreamConverter({ targetRate: SYNC_CONVERT_RATE });
  const maxBytes = CONVERTED_HEADER_BYTES + SYNC_LIMITS.maxSeconds * CONVERTED_BYTES_PER_SECOND;
  let produced = 0;
  const take = function* (out: Buffer): Generator<Buffer> {
    const skip = Math.max(0, CONVERTED_HEADER_BYTES - produced);
    produced += out.length;
    if (produced > maxBytes) return;
    if (out.length > skip) yield out.subarray(skip);
  };
  try {
    const iterator = source[Symbol.asyncIterator]();
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield* take(await converter.push(next.value));
      if (produced > maxBytes) {
        if (!measureAll) throw tooLong(undefined);
        for (next = await iterator.next(); !next.done; next = await iterator.next()) produced += (await converter.push(next.value)).length;
        produced += (await converter.end()).length;
        throw tooLong((produced - CONVERTED_HEADER_BYTES) / CONVERTED_BYTES_PER_SECOND);
      }
    }
    yield* take(await converter.end());
    const seconds = Math.max(0, produced - CONVERTED_HEADER_BYTES) / CONVERTED_BYTES_PER_SECOND;
    if (produced > maxBytes) throw tooLong(seconds);
    onEnd(seconds);
  } finally {
    converter.close();
  }
}

async function* piecesOf(buffer: Buffer, size = 64 * 1024): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < buffer.length; offset += size) yield buffer.subarray(offset, offset + size);
}

/** A list typed as text, one item a line or comma-separated (the way a node's setting holds it). */
export function listFromText(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value as string[];
  if (typeof value !== 'string') return value === undefined || value === null ? undefined : (value as string[]);
  const items = value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items.length > 0 ? items : undefined;
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new BadInputError(field, describeValue(value), 'a list of strings');
  }
  return value.map((item: string) => item.trim()).filter((item) => item !== '');
}

function checkKeyTerms(value: unknown): string[] {
  const terms = stringList(value, 'keyTerms');
  if (terms.length > SYNC_CAPS.keyTerms) {
    throw new BadInputError('keyTerms', `${terms.length} key terms`, `at most ${SYNC_CAPS.keyTerms} key terms for AssemblyAI's Sync API`);
  }
  const characters = terms.reduce((sum, term) => sum + term.length, 0);
  if (characters > SYNC_CAPS.keyTermChars) {
    throw new BadInputError(
      'keyTerms',
      `key terms of ${characters} characters in all`,
      `at most ${SYNC_CAPS.keyTermChars} characters of key terms in all`,
    );
  }
  return terms;
}

function checkPrompt(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new BadInputError('prompt', describeValue(value), 'text');
  const prompt = value.trim();
  if (prompt.length > SYNC_CAPS.promptChars) {
    throw new BadInputError('prompt', `a prompt of ${prompt.length} characters`, `a prompt of at most ${SYNC_CAPS.promptChars} characters`);
  }
  return prompt || undefined;
}

/** Earlier turns, oldest first, trimmed oldest first to the caps (never refused for its length). */
function checkContext(value: unknown): string[] {
  let turns = stringList(typeof value === 'string' ? [value] : value, 'conversationContext');
  let total = turns.reduce((sum, turn) => sum + turn.length, 0);
  while (turns.length > 0 && (turns.length > SYNC_CAPS.contextTurns || total > SYNC_CAPS.contextChars)) {
    total -= turns[0].length;
    turns = turns.slice(1);
  }
  return turns;
}

/** The request options checked: each names its field when it is wrong; caps are enforced here, before sending. */
export function checkSyncOptions(options: SyncRequestOptions): CheckedSyncOptions {
  const model = options.model === undefined || options.model.trim() === '' ? DEFAULT_SYNC_MODEL : options.model;
  if (typeof model !== 'string' || !/^[\w.-]{1,100}$/.test(model)) {
    throw new BadInputError('model', describeValue(options.model), `a model name such as "${DEFAULT_SYNC_MODEL}"`);
  }
  const languages = stringList(options.languages, 'languages');
  const bad = languages.find((code) => !/^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$/.test(code));
  if (bad !== undefined) throw new BadInputError('languages', `"${bad}"`, 'language codes such as "en", "fa" or "en_us"');
  return {
    model,
    languages,
    keyTerms: checkKeyTerms(options.keyTerms),
    prompt: checkPrompt(options.prompt),
    conversationContext: checkContext(options.conversationContext),
  };
}

/** The config part: each key only when set; `timestamps` always, since segments need word times. */
export function syncConfig(
  options: CheckedSyncOptions,
  upload: Pick<SyncUpload, 'contentType' | 'sampleRate' | 'channels'>,
): Record<string, unknown> {
  const config: Record<string, unknown> = { timestamps: true };
  if (options.languages.length > 0) config.language_codes = options.languages;
  if (options.keyTerms.length > 0) config.keyterms_prompt = options.keyTerms;
  if (options.prompt) config.prompt = options.prompt;
  if (options.conversationContext.length > 0) config.conversation_context = options.conversationContext;
  if (upload.contentType === 'audio/pcm') {
    config.sample_rate = upload.sampleRate;
    config.channels = upload.channels;
  }
  return config;
}

/**
 * One transcription with the Sync API, as AssemblyAI's SDK 4.41 sends it: `POST /v1/transcribe/live`,
 * chunked multipart, `config` first, then `audio` streamed as it is produced. 429 and 503 are sent
 * again after Retry-After (the shared rule), 500 and 504 once more (AssemblyAI calls that safe), each
 * only while the audio can be produced again.
 */
export async function transcribeSync(
  requester: Requester<'assemblyai'>,
  upload: SyncUpload,
  options: SyncRequestOptions,
): Promise<SyncAnswer> {
  const checked = checkSyncOptions(options);
  const config = JSON.stringify(syncConfig(checked, upload));
  let opened = false;
  const { json, answer } = await requester.sendJson(
    {
      method: 'POST',
      path: SYNC_PATH,
      headers: { 'X-AAI-Model': checked.model },
      body: () => {
        opened = true;
        const form = multipartBody([
          { name: 'config', contentType: 'application/json', content: config },
          { name: 'audio', filename: upload.filename, contentType: upload.contentType, content: upload.open() },
        ]);
        // No length: the body goes chunked, as the live route expects.
        return { body: form.body, headers: { 'content-type': form.contentType } };
      },
      canResend: () => upload.replayable || !opened,
      signal: options.signal,
    },
    {
      what: 'transcribing with the Sync API',
      kind: 'startsJob',
      answerName: 'the Sync API transcription',
      safeResends: { statuses: [500, 504], times: 1 },
    },
  );
  return checkSyncAnswer(json, answer.details);
}

function checkSyncAnswer(value: unknown, details: TranscriptionErrorDetails & { service: 'assemblyai' }): SyncAnswer {
  const checker = new ShapeChecker('the Sync API transcription', details);
  const answer = checker.object(value, '(body)');
  checker.string(answer.text, 'text');
  checkWords(checker, answer.words);
  if (answer.audio_duration_ms !== undefined)
    checker.within(answer.audio_duration_ms, 'audio_duration_ms', 0, Number.MAX_SAFE_INTEGER, 'milliseconds, 0 or more');
  if (answer.confidence !== undefined && answer.confidence !== null)
    checker.within(answer.confidence, 'confidence', 0, 1, 'a confidence from 0 to 1');
  return answer as SyncAnswer;
}
