/**
 * AssemblyAI's Sync API as its SDK (`assemblyai` 4.41) speaks it: `POST /v1/transcribe/live` (also
 * `/v1/transcribe/stream`), a multipart body of `config` then `audio`, read as it arrives; the older
 * buffered `POST /v1/transcribe` (and `/transcribe`), where the parts may come in either order; and
 * `GET /v1/warm`. The key and headers are checked before the body is read, and a refusal is sent
 * as soon as it is known, so a client can stop uploading.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { assemblyAiAuthorized, sampleWordsOf } from './assemblyai';
import { ERROR_FORMS, type ErrorBody } from './errorForms';
import { drainBody, mimeOf, sendText, streamBody, type SandboxLogEntry } from './http';
import { MultipartError, MultipartParser, boundaryFrom, type PartInfo } from './multipart';
import type { SyncRequestRecord, SyncWire } from './records';
import type { SandboxState } from './state';
import { readWavHeader } from './wav';

export type { SyncRequestRecord, SyncWire, SyncWirePart } from './records';

export const SYNC_MODELS: readonly string[] = ['universal-3-5-pro', 'universal-3-pro', 'universal-2'];
const MAX_AUDIO_BYTES = 40 * 1024 * 1024;
const MAX_CONFIG_BYTES = 1024 * 1024;
const HEAD_BYTES = 64 * 1024;
const MIN_MS = 80;
const MAX_MS = 120_000;
const RATES = [8000, 16000, 22050, 24000, 32000, 44100, 48000];
const WAV_TYPES = ['audio/wav', 'audio/x-wav', 'audio/wave'];
const PCM_TYPES = ['audio/pcm', 'audio/l16'];
const MAX_PROMPT = 6000;
const MAX_KEYTERMS = 100;
const MAX_KEYTERM_CHARACTERS = 8000;
/** Requests kept for tests to look at (the parts as received). */
const KEEP_REQUESTS = 20;

/** A refusal: its status, body and (when the body has one) its error code. */
interface Refusal {
  status: number;
  body: ErrorBody;
  code?: string;
}

// Each refusal uses the body form AssemblyAI's reference shows for it.
const refuse = (status: number, code: string, message: string): Refusal => ({
  status,
  code,
  body: ERROR_FORMS['code-message'](status, code, message),
});
const unsupported = (detail: string): Refusal => ({
  status: 415,
  code: 'unsupported_media_type',
  body: ERROR_FORMS.problem(415, 'Unsupported Media Type', detail),
});
const tooLarge = (): Refusal => refuse(413, 'audio_too_large', `Audio is larger than ${MAX_AUDIO_BYTES / 1024 / 1024} MB`);

/** The audio's format, from its WAV header or from the config for raw PCM. */
interface AudioFormat {
  rate: number;
  channels: number;
  /** Bytes before the samples (the WAV header). */
  dataOffset: number;
  /** The data chunk's declared length, when it gives one. */
  declared?: number;
}

function stringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The config's fields as the service checks them; undefined when they are fine. */
function configRefusal(config: Record<string, unknown>): Refusal | undefined {
  for (const field of ['language_codes', 'keyterms_prompt'] as const) {
    if (config[field] !== undefined && !stringList(config[field]))
      return refuse(400, 'bad_request', `config.${field} must be a list of strings`);
  }
  if (config.prompt !== undefined && typeof config.prompt !== 'string') return refuse(400, 'bad_request', 'config.prompt must be a string');
  if (typeof config.prompt === 'string' && config.prompt.length > MAX_PROMPT) {
    return refuse(400, 'bad_request', `config.prompt has ${config.prompt.length} characters; at most ${MAX_PROMPT} are accepted`);
  }
  const terms = stringList(config.keyterms_prompt) ? config.keyterms_prompt : [];
  const characters = terms.reduce((sum, term) => sum + term.length, 0);
  if (terms.length > MAX_KEYTERMS || characters > MAX_KEYTERM_CHARACTERS) {
    return refuse(
      400,
      'bad_request',
      `config.keyterms_prompt has ${terms.length} terms and ${characters} characters; ` +
        `at most ${MAX_KEYTERMS} and ${MAX_KEYTERM_CHARACTERS}`,
    );
  }
  return undefined;
}

/** What is known of the audio's format so far: a refusal, the format, or undefined while its header is still to come. */
function formatOf(
  type: string | undefined,
  config: Record<string, unknown>,
  head: Buffer,
  final: boolean,
): Refusal | AudioFormat | undefined {
  if (type !== undefined && PCM_TYPES.includes(type)) {
    const rate = Number(config.sample_rate);
    const channels = Number(config.channels);
    if (!Number.isInteger(rate) || !Number.isInteger(channels))
      return refuse(400, 'bad_request', 'Raw PCM needs config.sample_rate and config.channels');
    return { rate, channels, dataOffset: 0 };
  }
  if (type === undefined || !WAV_TYPES.includes(type)) {
    return unsupported(`The audio part must be audio/wav or audio/pcm; found "${type ?? 'no content type'}"`);
  }
  const header = readWavHeader(head);
  // Until a RIFF header could be told apart, wait for more bytes.
  if (!final && head.length < HEAD_BYTES && (header.kind === 'incomplete' || head.length < 12)) return undefined;
  if (header.kind !== 'wav') {
    return refuse(
      400,
      'bad_audio',
      `The audio is not a readable WAV file (${header.kind === 'not-wav' ? header.found : 'its header is cut off'})`,
    );
  }
  const { audioFormat, bitsPerSample, sampleRate, channels, dataOffset, declaredDataLength } = header.header;
  if (audioFormat !== 'pcm' || bitsPerSample !== 16)
    return refuse(400, 'bad_audio', `Audio must be 16-bit PCM; found ${bitsPerSample}-bit ${audioFormat}`);
  const declared = declaredDataLength > 0 && declaredDataLength !== 0xffffffff ? declaredDataLength : undefined;
  return { rate: sampleRate, channels, dataOffset, declared };
}

function formatRefusal(format: AudioFormat, config: Record<string, unknown>): Refusal | undefined {
  if (!RATES.includes(format.rate))
    return refuse(400, 'bad_audio', `Sample rate ${format.rate} Hz is not supported; use one of ${RATES.join(', ')}`);
  if (format.channels !== 1 && format.channels !== 2)
    return refuse(400, 'bad_audio', `Audio must be mono or stereo; found ${format.channels} channels`);
  if (config.sample_rate !== undefined && config.sample_rate !== format.rate) {
    return refuse(400, 'bad_request', `config.sample_rate (${String(config.sample_rate)}) does not match the audio (${format.rate} Hz)`);
  }
  return undefined;
}

function durationMsOf(format: AudioFormat, bytes: number): number {
  const data = Math.min(Math.max(0, bytes - format.dataOffset), format.declared ?? Infinity);
  return (Math.floor(data / (2 * format.channels)) / format.rate) * 1000;
}

/** `final`: the whole audio has arrived; before that, only what has come so far can be judged. */
function durationRefusal(durationMs: number, final: boolean): Refusal | undefined {
  const seconds = (durationMs / 1000).toFixed(1);
  if (durationMs > MAX_MS) {
    const length = final ? `Audio is ${seconds} s long` : `Audio is longer than ${MAX_MS / 1000} s (${seconds} s so far)`;
    return refuse(400, 'bad_audio', `${length}; at most ${MAX_MS / 1000} s is accepted`);
  }
  if (final && durationMs < MIN_MS)
    return refuse(400, 'audio_too_short', `Audio is ${Math.round(durationMs)} ms long; at least ${MIN_MS} ms is needed`);
  return undefined;
}

/** A Sync request's body as it arrives, part by part; `refusal` is set as soon as the request is refused. */
class SyncUpload {
  refusal?: Refusal;
  config?: Record<string, unknown>;
  audio?: PartInfo;
  audioBytes = 0;
  format?: AudioFormat;
  private readonly audioChunks: Buffer[] = [];
  private readonly configChunks: Buffer[] = [];
  private readonly audioHash: Hash = createHash('sha256');
  private head = Buffer.alloc(0);
  private current?: 'config' | 'audio';

  constructor(
    private readonly wire: SyncWire,
    /** The live routes refuse audio that comes before its config. */
    private readonly configFirst: boolean,
  ) {}

  startPart(info: PartInfo): void {
    this.wire.parts.push({
      name: info.name ?? '',
      ...(info.contentType && { contentType: info.contentType }),
      ...(info.filename && { filename: info.filename }),
    });
    this.current = info.name === 'config' || info.name === 'audio' ? info.name : undefined;
    if (this.current !== 'audio' || this.audio) return;
    this.audio = info;
    if (this.configFirst && !this.config) {
      this.refusal = refuse(400, 'bad_request', 'The "config" part must come before the "audio" part');
    } else if (this.config) this.checkFormat(false);
  }

  data(data: Buffer): void {
    if (this.current === 'config') {
      this.configChunks.push(Buffer.from(data));
      if (this.configChunks.reduce((sum, chunk) => sum + chunk.length, 0) > MAX_CONFIG_BYTES)
        this.refusal = refuse(400, 'bad_request', 'The config part is too large');
      return;
    }
    if (this.current !== 'audio') return;
    this.audioBytes += data.length;
    this.audioHash.update(data);
    if (this.audioBytes > MAX_AUDIO_BYTES) {
      this.refusal = tooLarge();
      return;
    }
    this.audioChunks.push(Buffer.from(data));
    if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, data.subarray(0, HEAD_BYTES - this.head.length)]);
    if (this.config) this.checkFormat(false);
  }

  endPart(): void {
    if (this.current === 'config' && !this.config) this.readConfig();
    this.current = undefined;
  }

  private readConfig(): void {
    try {
      const parsed: unknown = JSON.parse(Buffer.concat(this.configChunks).toString('utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      this.config = parsed as Record<string, unknown>;
      this.wire.configKeys = Object.keys(this.config);
      this.refusal = configRefusal(this.config);
    } catch (error) {
      this.refusal = refuse(400, 'bad_request', `The config part is not a JSON object: ${(error as Error).message}`);
    }
  }

  /** Checks what is known of the audio so far (`final`: all of it has arrived). */
  checkFormat(final: boolean): void {
    if (this.refusal || !this.audio) return;
    const config = this.config ?? {};
    if (!this.format) {
      const format = formatOf(this.audio.contentType, config, this.head, final);
      if (format === undefined) return;
      if ('body' in format) {
        this.refusal = format;
        return;
      }
      this.format = format;
      this.refusal = formatRefusal(format, config);
      if (this.refusal) return;
    }
    this.refusal = durationRefusal(durationMsOf(this.format, this.audioBytes), final);
  }

  /** The refusal once the whole body has arrived, if any. */
  finish(): Refusal | undefined {
    if (this.refusal) return this.refusal;
    if (!this.audio) return refuse(400, 'bad_request', 'The "audio" part is required');
    this.checkFormat(true);
    return this.refusal;
  }

  durationMs(): number {
    return this.format ? durationMsOf(this.format, this.audioBytes) : 0;
  }

  audioSha256(): Buffer {
    return this.audioHash.copy().digest();
  }

  audioRecord(): SyncRequestRecord['audio'] {
    if (!this.audio) return undefined;
    return { contentType: this.audio.contentType, filename: this.audio.filename, bytes: Buffer.concat(this.audioChunks) };
  }
}

function wireOf(state: SandboxState, req: IncomingMessage, path: string): SyncWire {
  const model = req.headers['x-aai-model'];
  const length = Number(req.headers['content-length']);
  return {
    method: req.method ?? 'POST',
    path,
    authorization: !req.headers.authorization ? 'missing' : assemblyAiAuthorized(req, state.assemblyAiKey) ? 'right' : 'wrong',
    ...(typeof model === 'string' && { model }),
    contentType: mimeOf(req.headers['content-type']),
    ...(req.headers['transfer-encoding'] !== undefined && { transferEncoding: req.headers['transfer-encoding'] }),
    ...(Number.isFinite(length) && req.headers['content-length'] !== undefined && { contentLength: length }),
    parts: [],
  };
}

/** What the headers alone refuse: the key, the model, the content type, a declared length over the limit. */
function headerRefusal(wire: SyncWire, req: IncomingMessage): Refusal | undefined {
  if (wire.authorization !== 'right') return { status: 401, body: ERROR_FORMS.error(401, 'unauthorized', 'Invalid API key') };
  if (wire.model === undefined || wire.model.trim() === '') {
    const detail = [{ loc: ['header', 'X-AAI-Model'], msg: 'Field required', type: 'missing' }];
    return { status: 400, body: { text: JSON.stringify({ detail }), contentType: 'application/json' } };
  }
  if (!SYNC_MODELS.includes(wire.model))
    return refuse(400, 'bad_request', `Unknown model "${wire.model}"; use one of ${SYNC_MODELS.join(', ')}`);
  if (wire.contentType !== 'multipart/form-data' || !boundaryFrom(req.headers['content-type'])) {
    return unsupported(`Expected multipart/form-data with "config" and "audio" parts; found "${wire.contentType || 'no content type'}"`);
  }
  if ((wire.contentLength ?? 0) > MAX_AUDIO_BYTES + 64 * 1024) return tooLarge();
  return undefined;
}

function newRecord(state: SandboxState, wire: SyncWire): SyncRequestRecord {
  const record: SyncRequestRecord = { parts: [], status: 0, wire, ...(wire.model !== undefined && { model: wire.model }) };
  state.syncRequests.push(record);
  if (state.syncRequests.length > KEEP_REQUESTS) state.syncRequests.splice(0, state.syncRequests.length - KEEP_REQUESTS);
  return record;
}

function answerRefusal(res: ServerResponse, record: SyncRequestRecord, refusal: Refusal): void {
  record.status = refusal.status;
  if (refusal.code) record.errorCode = refusal.code;
  // An answer sent before the body ended: the connection stays open while the rest is read, so the
  // client can read the answer and stop sending (Node would otherwise close it under the upload).
  if (!res.req.complete) res.shouldKeepAlive = true;
  sendText(res, refusal.status, refusal.body.text, refusal.body.contentType);
}

/** Reads the body through `upload`, answering a refusal the moment it is known and reading on to the end. */
async function readUpload(
  req: IncomingMessage,
  res: ServerResponse,
  entry: SandboxLogEntry,
  record: SyncRequestRecord,
  upload: SyncUpload,
): Promise<boolean> {
  const parser = new MultipartParser(boundaryFrom(req.headers['content-type']) ?? '', {
    onPart: (info) => upload.startPart(info),
    onData: (data) => upload.data(data),
    onPartEnd: () => upload.endPart(),
  });
  const complete = await streamBody(req, entry, (chunk) => {
    if (record.status !== 0) return;
    try {
      parser.write(chunk);
    } catch (error) {
      if (!(error instanceof MultipartError)) throw error;
      upload.refusal = refuse(400, 'bad_request', `Malformed multipart body: ${error.message}`);
    }
    if (upload.refusal) answerRefusal(res, record, upload.refusal);
  });
  if (!complete || record.status !== 0) return false;
  try {
    parser.end();
  } catch (error) {
    upload.refusal ??= refuse(400, 'bad_request', `Malformed multipart body: ${(error as Error).message}`);
  }
  return true;
}

function keepParts(record: SyncRequestRecord, upload: SyncUpload, wire: SyncWire): void {
  record.parts = wire.parts.map((part) => part.name);
  if (upload.config) record.config = upload.config;
  record.audio = upload.audioRecord();
}

async function transcribe(
  state: SandboxState,
  req: IncomingMessage,
  res: ServerResponse,
  entry: SandboxLogEntry,
  configFirst: boolean,
): Promise<void> {
  const wire = wireOf(state, req, entry.path);
  entry.sync = wire;
  const record = newRecord(state, wire);
  const early = headerRefusal(wire, req);
  if (early) {
    answerRefusal(res, record, early);
    await drainBody(req, entry);
    return;
  }
  const upload = new SyncUpload(wire, configFirst);
  const complete = await readUpload(req, res, entry, record, upload);
  keepParts(record, upload, wire);
  if (!complete) return;
  const refusal = upload.finish();
  if (refusal) {
    answerRefusal(res, record, refusal);
    return;
  }
  const started = Date.now();
  await state.sleep(Math.min(state.settings.processingDelayMs, 500));
  record.status = 200;
  sendText(res, 200, JSON.stringify(transcriptOf(upload, Date.now() - started)), 'application/json');
}

function transcriptOf(upload: SyncUpload, requestTimeMs: number): Record<string, unknown> {
  const config = upload.config ?? {};
  const durationMs = upload.durationMs();
  const words = sampleWordsOf(upload.audioSha256(), durationMs).map((word) =>
    config.timestamps === true ? word : { text: word.text, confidence: word.confidence },
  );
  // Key terms the caller gave are "heard": the first word becomes the first term, so a test sees them used.
  if (stringList(config.keyterms_prompt) && config.keyterms_prompt.length > 0) words[0] = { ...words[0], text: config.keyterms_prompt[0] };
  const confidence = Math.round((words.reduce((sum, w) => sum + w.confidence, 0) / words.length) * 100) / 100;
  return {
    text: words.map((w) => w.text).join(' '),
    words,
    confidence,
    audio_duration_ms: Math.round(durationMs),
    session_id: randomUUID(),
    request_time_ms: requestTimeMs,
  };
}

/** POST /v1/transcribe/live and /v1/transcribe/stream: `config` must come before `audio`. */
export function handleSyncLive(state: SandboxState, req: IncomingMessage, res: ServerResponse, entry: SandboxLogEntry): Promise<void> {
  return transcribe(state, req, res, entry, true);
}

/** POST /v1/transcribe and /transcribe (SDK 4.36.3–4.40 and older clients): the parts in either order. */
export function handleSyncBuffered(state: SandboxState, req: IncomingMessage, res: ServerResponse, entry: SandboxLogEntry): Promise<void> {
  return transcribe(state, req, res, entry, false);
}

/** GET /v1/warm (and /warm): any answer means the connection is open. */
export async function handleSyncWarm(
  _state: SandboxState,
  req: IncomingMessage,
  res: ServerResponse,
  entry: SandboxLogEntry,
): Promise<void> {
  await drainBody(req, entry);
  if (!res.headersSent) res.writeHead(204).end();
}
