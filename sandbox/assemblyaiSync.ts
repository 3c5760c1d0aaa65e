import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { assemblyAiAuthorized, sampleWords } from './assemblyai';
import { mimeOf, readBody, sendJson, sendText, type SandboxLogEntry } from './http';
import { MultipartError, MultipartParser, boundaryFrom, type PartInfo } from './multipart';
import type { SandboxState } from './state';
import { readWavHeader } from './wav';

/** AssemblyAI's Sync API, as its reference describes it (SPEC §2.2). */
export const SYNC_PATHS: readonly string[] = ['/v1/transcribe', '/transcribe'];
export const SYNC_MODELS: readonly string[] = ['universal-3-5-pro', 'universal-3-pro', 'universal-2'];
const MAX_AUDIO_BYTES = 40 * 1024 * 1024;
const MIN_MS = 80;
const MAX_MS = 120_000;
const RATES = [8000, 16000, 22050, 24000, 32000, 44100, 48000];
/** Requests kept for tests to look at (the parts as received). */
const KEEP_REQUESTS = 20;

/** One request the Sync API received, part by part. */
export interface SyncRequestRecord {
  model?: string;
  audio?: { contentType?: string; filename?: string; bytes: Buffer };
  config?: Record<string, unknown>;
  /** The names of every part, in order. */
  parts: string[];
  status: number;
}

// The Sync API answers in four body forms; each error below uses the one AssemblyAI's reference shows for it.
function errorCode(res: ServerResponse, status: number, code: string, message: string): number {
  sendJson(res, status, { error_code: code, message });
  return status;
}

function problem(res: ServerResponse, status: number, title: string, detail: string, headers: Record<string, string> = {}): number {
  sendText(res, status, JSON.stringify({ type: 'about:blank', status, title, detail }), 'application/problem+json', headers);
  return status;
}

/** Reads a multipart body already in memory into its parts. */
function partsOf(body: Buffer, boundary: string): { info: PartInfo; bytes: Buffer }[] {
  const parts: { info: PartInfo; bytes: Buffer; chunks: Buffer[] }[] = [];
  const parser = new MultipartParser(boundary, {
    onPart: (info) => parts.push({ info, bytes: Buffer.alloc(0), chunks: [] }),
    onData: (data) => parts[parts.length - 1].chunks.push(Buffer.from(data)),
    onPartEnd: () => {
      const part = parts[parts.length - 1];
      part.bytes = Buffer.concat(part.chunks);
    },
  });
  parser.write(body);
  parser.end();
  return parts.map(({ info, bytes }) => ({ info, bytes }));
}

function stringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** POST /v1/transcribe (and /transcribe): multipart audio + config, words with times in ms. */
export async function handleAssemblyAiSync(state: SandboxState, req: IncomingMessage, res: ServerResponse, entry: SandboxLogEntry): Promise<void> {
  const record: SyncRequestRecord = { parts: [], status: 0 };
  state.syncRequests.push(record);
  if (state.syncRequests.length > KEEP_REQUESTS) state.syncRequests.splice(0, state.syncRequests.length - KEEP_REQUESTS);
  record.status = await answer(state, req, res, entry, record);
}

async function answer(state: SandboxState, req: IncomingMessage, res: ServerResponse, entry: SandboxLogEntry, record: SyncRequestRecord): Promise<number> {
  const body = await readBody(req, entry, MAX_AUDIO_BYTES + 64 * 1024);
  if (!assemblyAiAuthorized(req, state.assemblyAiKey)) {
    sendJson(res, 401, { error: 'Invalid API key' });
    return 401;
  }
  const model = req.headers['x-aai-model'];
  record.model = typeof model === 'string' ? model : undefined;
  if (typeof model !== 'string' || model.trim() === '') {
    sendJson(res, 400, { detail: [{ loc: ['header', 'X-AAI-Model'], msg: 'Field required', type: 'missing' }] });
    return 400;
  }
  if (!SYNC_MODELS.includes(model)) return errorCode(res, 400, 'bad_request', `Unknown model "${model}"; use one of ${SYNC_MODELS.join(', ')}`);
  if (body === 'too-large') return errorCode(res, 413, 'audio_too_large', `Audio is larger than ${MAX_AUDIO_BYTES / 1024 / 1024} MB`);
  const contentType = req.headers['content-type'];
  const boundary = boundaryFrom(contentType);
  if (mimeOf(contentType) !== 'multipart/form-data' || !boundary) {
    return problem(res, 415, 'Unsupported Media Type', `Expected multipart/form-data with an "audio" part; found "${mimeOf(contentType) || 'no content type'}"`);
  }
  let parts: { info: PartInfo; bytes: Buffer }[];
  try {
    parts = partsOf(body, boundary);
  } catch (error) {
    if (!(error instanceof MultipartError)) throw error;
    return errorCode(res, 400, 'bad_request', `Malformed multipart body: ${error.message}`);
  }
  record.parts = parts.map((part) => part.info.name ?? '');
  const audioPart = parts.find((part) => part.info.name === 'audio');
  const configPart = parts.find((part) => part.info.name === 'config');
  let config: Record<string, unknown> = {};
  if (configPart) {
    try {
      const parsed: unknown = JSON.parse(configPart.bytes.toString('utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      config = parsed as Record<string, unknown>;
    } catch (error) {
      return errorCode(res, 400, 'bad_request', `The config part is not a JSON object: ${(error as Error).message}`);
    }
    record.config = config;
  }
  if (!audioPart) return errorCode(res, 400, 'bad_request', 'The "audio" part is required');
  record.audio = { contentType: audioPart.info.contentType, filename: audioPart.info.filename, bytes: audioPart.bytes };
  if (audioPart.bytes.length > MAX_AUDIO_BYTES) return errorCode(res, 413, 'audio_too_large', `Audio is larger than ${MAX_AUDIO_BYTES / 1024 / 1024} MB`);
  for (const field of ['language_codes', 'keyterms_prompt'] as const) {
    if (config[field] !== undefined && !stringList(config[field])) return errorCode(res, 400, 'bad_request', `config.${field} must be a list of strings`);
  }
  if (config.prompt !== undefined && typeof config.prompt !== 'string') return errorCode(res, 400, 'bad_request', 'config.prompt must be a string');

  let rate: number;
  let channels: number;
  let dataBytes: number;
  const type = audioPart.info.contentType;
  if (type === 'audio/wav' || type === 'audio/x-wav' || type === 'audio/wave') {
    const header = readWavHeader(audioPart.bytes);
    if (header.kind !== 'wav') return errorCode(res, 400, 'bad_audio', `The audio is not a readable WAV file (${header.kind === 'not-wav' ? header.found : 'its header is cut off'})`);
    const { audioFormat, bitsPerSample } = header.header;
    ({ sampleRate: rate, channels } = header.header);
    if (audioFormat !== 'pcm' || bitsPerSample !== 16) return errorCode(res, 400, 'bad_audio', `Audio must be 16-bit PCM; found ${bitsPerSample}-bit ${audioFormat}`);
    dataBytes = audioPart.bytes.length - header.header.dataOffset;
    const declared = header.header.declaredDataLength;
    if (declared > 0 && declared !== 0xffffffff) dataBytes = Math.min(dataBytes, declared);
  } else if (type === 'audio/pcm' || type === 'audio/l16') {
    rate = Number(config.sample_rate);
    channels = Number(config.channels);
    if (!Number.isInteger(rate) || !Number.isInteger(channels)) return errorCode(res, 400, 'bad_request', 'Raw PCM needs config.sample_rate and config.channels');
    dataBytes = audioPart.bytes.length;
  } else {
    return problem(res, 415, 'Unsupported Media Type', `The audio part must be audio/wav or audio/pcm; found "${type ?? 'no content type'}"`);
  }
  if (!RATES.includes(rate)) return errorCode(res, 400, 'bad_audio', `Sample rate ${rate} Hz is not supported; use one of ${RATES.join(', ')}`);
  if (channels !== 1 && channels !== 2) return errorCode(res, 400, 'bad_audio', `Audio must be mono or stereo; found ${channels} channels`);
  if (config.sample_rate !== undefined && config.sample_rate !== rate) {
    return errorCode(res, 400, 'bad_request', `config.sample_rate (${String(config.sample_rate)}) does not match the audio (${rate} Hz)`);
  }
  const durationMs = (Math.floor(dataBytes / (2 * channels)) / rate) * 1000;
  if (durationMs < MIN_MS) return errorCode(res, 400, 'audio_too_short', `Audio is ${Math.round(durationMs)} ms long; at least ${MIN_MS} ms is needed`);
  if (durationMs > MAX_MS) return errorCode(res, 400, 'bad_audio', `Audio is ${(durationMs / 1000).toFixed(1)} s long; at most ${MAX_MS / 1000} s is accepted`);

  const started = Date.now();
  await state.sleep(Math.min(state.settings.processingDelayMs, 500));
  const words = sampleWords(audioPart.bytes, durationMs).map((word) => (config.timestamps === true ? word : { text: word.text, confidence: word.confidence }));
  // Key terms the caller gave are "heard": the first word becomes the first term, so a test sees them used.
  if (stringList(config.keyterms_prompt) && config.keyterms_prompt.length > 0) words[0] = { ...words[0], text: config.keyterms_prompt[0] };
  const confidence = Math.round((words.reduce((sum, w) => sum + w.confidence, 0) / words.length) * 100) / 100;
  sendJson(res, 200, {
    text: words.map((w) => w.text).join(' '),
    words,
    confidence,
    audio_duration_ms: Math.round(durationMs),
    session_id: randomUUID(),
    request_time_ms: Date.now() - started,
  });
  return 200;
}
