import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, randomUUID, randomBytes, timingSafeEqual, type Hash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { drainBody, mimeOf, readBody, sendJson, streamBody, type SandboxLogEntry } from './http';
import { boundaryFrom, MultipartError, MultipartParser } from './multipart';
import { LOG_LIMIT, type Handler, type SandboxState, type TaskOutcomeState } from './state';
import { alignWords, durationForUrl, fileResultFor, type SandboxFileResult } from './transcripts';
import { readWavHeader, wavDurationSeconds, type WavHeader } from './wav';

const JSON_LIMIT = 10 * 1024 * 1024;
/** Bytes of a file part kept to read its WAV header. */
const HEAD_BYTES = 64 * 1024;

export type FieldErrors = Record<string, unknown>;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Django REST Framework's TokenAuthentication: `Authorization: Token <key>`.
 * Returns the 401 body to send, or undefined when the token is right.
 */
export function harfAuthError(req: IncomingMessage, tokens: string | string[]): { detail: string } | undefined {
  const header = req.headers.authorization;
  const parts = (header ?? '').trim().split(/\s+/);
  if (!header || parts[0].toLowerCase() !== 'token') return { detail: 'Authentication credentials were not provided.' };
  if (parts.length === 1) return { detail: 'Invalid token header. No credentials provided.' };
  if (parts.length > 2) return { detail: 'Invalid token header. Token string should not contain spaces.' };
  return harfAccount(req, tokens) >= 0 ? undefined : { detail: 'Invalid token.' };
}

/** The index of the token a request carries among `tokens` (its account), or -1. */
export function harfAccount(req: IncomingMessage, tokens: string | string[]): number {
  const parts = (req.headers.authorization ?? '').trim().split(/\s+/);
  if (parts.length !== 2 || parts[0].toLowerCase() !== 'token') return -1;
  return (Array.isArray(tokens) ? tokens : [tokens]).findIndex((token) => sameSecret(parts[1], token));
}

export function sendUnauthorized(res: ServerResponse, body: { detail: string }): void {
  sendJson(res, 401, body, { 'WWW-Authenticate': 'Token' });
}

/** DRF BooleanField's accepted spellings. */
function parseBoolean(value: unknown): boolean | undefined {
  if (value === true || value === 1 || value === false || value === 0) return Boolean(value);
  if (typeof value === 'string') {
    if (['true', 'yes', 'y', 'on', '1'].includes(value.toLowerCase())) return true;
    if (['false', 'no', 'n', 'off', '0'].includes(value.toLowerCase())) return false;
  }
  return undefined;
}

export function typeName(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  switch (typeof value) {
    case 'string':
      return 'str';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'boolean':
      return 'bool';
    default:
      return 'dict';
  }
}

/** DRF URLField: an http(s) or ftp(s) URL with a host. */
export function isValidUrl(value: string): boolean {
  if (value.length > 2000 || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return ['http:', 'https:', 'ftp:', 'ftps:'].includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Validates a DRF ListField; returns the list or records the field's errors. */
export function listField(
  data: Record<string, unknown>,
  field: string,
  errors: FieldErrors,
  child: (item: unknown) => string | undefined,
): unknown[] | undefined {
  const value = data[field];
  if (value === undefined) {
    errors[field] = ['This field is required.'];
    return undefined;
  }
  if (value === null) {
    errors[field] = ['This field may not be null.'];
    return undefined;
  }
  if (!Array.isArray(value)) {
    errors[field] = [`Expected a list of items but got type "${typeName(value)}".`];
    return undefined;
  }
  if (value.length === 0) {
    errors[field] = ['This list may not be empty.'];
    return undefined;
  }
  const itemErrors: Record<string, string[]> = {};
  value.forEach((item, index) => {
    const message = child(item);
    if (message) itemErrors[String(index)] = [message];
  });
  if (Object.keys(itemErrors).length > 0) {
    errors[field] = itemErrors;
    return undefined;
  }
  return value;
}

export function urlChild(item: unknown): string | undefined {
  if (item === null) return 'This field may not be null.';
  if (typeof item !== 'string') return 'Not a valid string.';
  if (item.trim() === '') return 'This field may not be blank.';
  return isValidUrl(item.trim()) ? undefined : 'Enter a valid URL.';
}

function idChild(item: unknown): string | undefined {
  if (item === null) return 'This field may not be null.';
  if (typeof item !== 'string' && typeof item !== 'number') return 'Not a valid string.';
  return String(item).trim() === '' ? 'This field may not be blank.' : undefined;
}

/** What a file name in a URL asks of the sandbox: `fail` ends in FAILURE, `timeout` in TIMEOUT. */
export function outcomeForName(name: string): TaskOutcomeState {
  const lower = name.toLowerCase();
  if (lower.includes('fail')) return 'FAILURE';
  if (lower.includes('timeout')) return 'TIMEOUT';
  return 'SUCCESS';
}

export function outcomeForUrl(mediaUrl: string): TaskOutcomeState {
  let name = mediaUrl;
  try {
    const segments = new URL(mediaUrl).pathname.split('/');
    name = decodeURIComponent(segments[segments.length - 1] ?? '');
  } catch {
    // judge the whole text
  }
  return outcomeForName(name);
}

/** The first non-SUCCESS outcome decides the answer of a request covering several files. */
function combinedOutcome(outcomes: TaskOutcomeState[]): TaskOutcomeState {
  if (outcomes.includes('FAILURE')) return 'FAILURE';
  if (outcomes.includes('TIMEOUT')) return 'TIMEOUT';
  return 'SUCCESS';
}

function resultFor(state: SandboxState, mediaUrl: string): SandboxFileResult {
  return fileResultFor(mediaUrl, state.mediaDurations.get(mediaUrl));
}

/**
 * Reads a JSON body the way DRF's JSONParser does. Sends the error itself and returns undefined
 * when the body cannot be used.
 */
export async function readJsonObject(
  req: IncomingMessage,
  res: ServerResponse,
  entry: SandboxLogEntry,
): Promise<Record<string, unknown> | undefined> {
  const mime = mimeOf(req.headers['content-type']);
  const body = await readBody(req, entry, JSON_LIMIT);
  if (body === 'too-large') {
    sendJson(res, 413, { detail: 'Request body is too large.' });
    return undefined;
  }
  let data: unknown;
  if (mime === 'application/json' || mime.endsWith('+json')) {
    try {
      data = JSON.parse(body.toString('utf8'));
    } catch (error) {
      sendJson(res, 400, { detail: `JSON parse error - ${(error as Error).message}` });
      return undefined;
    }
  } else if (mime === '' && body.length === 0) {
    data = {};
  } else {
    sendJson(res, 415, { detail: `Unsupported media type "${req.headers['content-type'] ?? ''}" in request.` });
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    sendJson(res, 400, { non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(data)}.`] });
    return undefined;
  }
  return data as Record<string, unknown>;
}

/** The answer of a finished transcription: the file results, or the state of the files when one did not succeed. */
function sendFileResults(state: SandboxState, res: ServerResponse, mediaUrls: string[], outcome: TaskOutcomeState): void {
  if (outcome !== 'SUCCESS') sendJson(res, 200, { state: outcome });
  else
    sendJson(
      res,
      200,
      mediaUrls.map((u) => resultFor(state, u)),
    );
}

/** POST /api/transcribe_files/ — by URL, task check, or upload. */
export async function handleTranscribeFiles(
  state: SandboxState,
  req: IncomingMessage,
  res: ServerResponse,
  entry: SandboxLogEntry,
): Promise<void> {
  if (mimeOf(req.headers['content-type']) === 'multipart/form-data') {
    await handleUpload(state, req, res, entry);
    return;
  }
  const data = await readJsonObject(req, res, entry);
  if (!data) return;
  const errors: FieldErrors = {};
  let wait = true;
  let waitError: string[] | undefined;
  if (data.wait !== undefined) {
    const parsed = parseBoolean(data.wait);
    if (parsed === undefined) waitError = ['Must be a valid boolean.'];
    else wait = parsed;
  }
  // DRF lists field errors in the serializer's field order: the list first, then `wait`.
  const addWaitError = () => {
    if (waitError) errors.wait = waitError;
  };
  if (data.tasks_ids !== undefined && data.media_urls === undefined) {
    const ids = listField(data, 'tasks_ids', errors, idChild);
    addWaitError();
    if (!ids || Object.keys(errors).length > 0) {
      sendJson(res, 400, errors);
      return;
    }
    sendJson(res, 200, taskStateAnswer(state, ids.map(String), state.accountOf(req)));
    return;
  }
  const urls = listField(data, 'media_urls', errors, urlChild) as string[] | undefined;
  addWaitError();
  if (!urls || Object.keys(errors).length > 0) {
    sendJson(res, 400, errors);
    return;
  }
  const mediaUrls = urls.map((u) => u.trim());
  const account = state.accountOf(req);
  for (const mediaUrl of mediaUrls) state.jobs.count(mediaUrl, account);
  if (!wait) {
    const now = Date.now();
    const ids = mediaUrls.map((mediaUrl) => {
      const id = randomUUID();
      state.tasks.set(id, { id, mediaUrl, account, submittedAt: now, outcome: outcomeForUrl(mediaUrl) });
      return id;
    });
    sendJson(res, 200, { state: 'PENDING', task_ids: ids });
    return;
  }
  await state.sleep(state.settings.processingDelayMs);
  const outcome = combinedOutcome(mediaUrls.map(outcomeForUrl));
  sendFileResults(state, res, mediaUrls, outcome);
}

/**
 * The answer about tasks: a state while any is unfinished or failed, else the results (unknown ids
 * are PENDING, as in Celery; so are another account's tasks, which this account cannot see).
 */
function taskStateAnswer(state: SandboxState, ids: string[], account: number): unknown {
  const now = Date.now();
  const tasks = ids.map((id) => state.tasks.get(id)).map((task) => (task?.account === account ? task : undefined));
  // Judged against the current setting, so changing taskDelayMs also moves tasks already submitted.
  const done = (task: (typeof tasks)[number]) => task !== undefined && now - task.submittedAt >= state.settings.taskDelayMs;
  if (!tasks.every(done)) return { state: 'PENDING' };
  const known = tasks as NonNullable<(typeof tasks)[number]>[];
  const outcome = combinedOutcome(known.map((task) => task.outcome));
  if (outcome !== 'SUCCESS') return { state: outcome };
  return known.map((task) => resultFor(state, task.mediaUrl));
}

/** POST /api/alignment/ */
export const handleAlignment: Handler = async (state, req, res, entry) => {
  const data = await readJsonObject(req, res, entry);
  if (!data) return;
  const errors: FieldErrors = {};
  const stringField = (field: string): string | undefined => {
    const value = data[field];
    if (value === undefined) errors[field] = ['This field is required.'];
    else if (value === null) errors[field] = ['This field may not be null.'];
    else if (typeof value !== 'string') errors[field] = ['Not a valid string.'];
    else if (value.trim() === '') errors[field] = ['This field may not be blank.'];
    else return value;
    return undefined;
  };
  const mediaUrl = stringField('media_url');
  if (mediaUrl !== undefined && !isValidUrl(mediaUrl.trim())) errors.media_url = ['Enter a valid URL.'];
  const text = stringField('text');
  if (Object.keys(errors).length > 0 || mediaUrl === undefined || text === undefined) {
    sendJson(res, 400, errors);
    return;
  }
  const url = mediaUrl.trim();
  state.jobs.count(url, state.accountOf(req));
  await state.sleep(state.settings.processingDelayMs);
  const duration = state.mediaDurations.get(url) ?? durationForUrl(url);
  sendJson(res, 200, { media_url: url, text, segments: alignWords(text, duration) });
};

interface UploadedFile {
  filename: string;
  contentType?: string;
  bytes: number;
  head: Buffer[];
  headBytes: number;
  hash: Hash;
}

const ACCEPTED_FILE_TYPES = ['application/octet-stream', 'application/ogg'];

function acceptedFileType(type: string | undefined): boolean {
  if (!type) return false;
  return type.startsWith('audio/') || type.startsWith('video/') || ACCEPTED_FILE_TYPES.includes(type);
}

/** Seconds of audio in an upload: from its WAV header, else estimated at 128 kbit/s. */
export function uploadDurationSeconds(head: Buffer, totalBytes: number): { seconds: number; wav?: WavHeader } {
  const header = readWavHeader(head);
  if (header.kind === 'wav') return { seconds: wavDurationSeconds(header.header, totalBytes), wav: header.header };
  return { seconds: Math.round((totalBytes * 8 * 1000) / 128_000) / 1000 };
}

interface ReceivedUpload {
  files: UploadedFile[];
  mediaWasNotAFile: boolean;
  parseError?: string;
  /** Milliseconds from the request's headers to its last byte. */
  receivedMs: number;
  /** False when the client went away before the body ended. */
  complete: boolean;
}

/** Reads a multipart upload as it streams in, keeping of each `media` file its size, hash and first bytes. */
async function receiveUpload(req: IncomingMessage, entry: SandboxLogEntry, boundary: string): Promise<ReceivedUpload> {
  const headersAt = performance.now();
  const upload: ReceivedUpload = { files: [], mediaWasNotAFile: false, receivedMs: 0, complete: false };
  let current: UploadedFile | undefined;
  const parser = new MultipartParser(boundary, {
    onPart(part) {
      current = undefined;
      if (part.name !== 'media') return;
      if (part.filename === undefined) {
        upload.mediaWasNotAFile = true;
        return;
      }
      current = { filename: part.filename, contentType: part.contentType, bytes: 0, head: [], headBytes: 0, hash: createHash('sha256') };
      upload.files.push(current);
    },
    onData(data) {
      if (!current) return;
      current.bytes += data.length;
      current.hash.update(data);
      if (current.headBytes < HEAD_BYTES) {
        const piece = Buffer.from(data.subarray(0, HEAD_BYTES - current.headBytes));
        current.head.push(piece);
        current.headBytes += piece.length;
      }
    },
    onPartEnd() {
      current = undefined;
    },
  });
  const parse = (step: () => void) => {
    if (upload.parseError) return;
    try {
      step();
    } catch (error) {
      upload.parseError = (error as MultipartError).message;
    }
  };
  upload.complete = await streamBody(req, entry, (chunk) => parse(() => parser.write(chunk)));
  upload.receivedMs = performance.now() - headersAt;
  if (upload.complete) parse(() => parser.end());
  return upload;
}

/** Harf's refusal of an upload's files, if any. */
function uploadRefusal(upload: ReceivedUpload): Record<string, unknown> | undefined {
  if (upload.parseError) return { detail: `Multipart form parse error - ${upload.parseError}` };
  if (upload.files.length === 0) {
    return {
      media: [
        upload.mediaWasNotAFile ? 'The submitted data was not a file. Check the encoding type on the form.' : 'No file was submitted.',
      ],
    };
  }
  for (const file of upload.files) {
    if (file.bytes === 0) return { media: ['The submitted file is empty.'] };
    if (!acceptedFileType(file.contentType)) {
      const found = file.contentType ? `"${file.contentType}"` : 'no Content-Type';
      return {
        media: [
          `Unsupported file type: found ${found} for "${file.filename}"; ` +
            'expected audio/*, video/*, application/ogg or application/octet-stream.',
        ],
      };
    }
  }
  return undefined;
}

/** Gives each uploaded file its media URL, counting it as a job and keeping it in `state.uploads`. */
function keepUploads(state: SandboxState, req: IncomingMessage, upload: ReceivedUpload): string[] {
  const base = req.headers.host ? `http://${req.headers.host}` : state.url;
  const account = state.accountOf(req);
  return upload.files.map((file) => {
    const mediaUrl = `${base}/media/${randomBytes(8).toString('hex')}/${encodeURIComponent(file.filename || 'media')}`;
    state.mediaDurations.set(mediaUrl, uploadDurationSeconds(Buffer.concat(file.head), file.bytes).seconds);
    state.jobs.count(file.filename || 'media', account);
    state.uploads.push({
      fileName: file.filename,
      ...(file.contentType !== undefined && { contentType: file.contentType }),
      bytes: file.bytes,
      sha256: file.hash.digest('hex'),
      mediaUrl,
      account,
      receivedMs: Math.round(upload.receivedMs * 10) / 10,
    });
    if (state.uploads.length > LOG_LIMIT) state.uploads.splice(0, state.uploads.length - LOG_LIMIT);
    return mediaUrl;
  });
}

/** Multipart upload with one `media` file part, parsed while it streams in. */
async function handleUpload(state: SandboxState, req: IncomingMessage, res: ServerResponse, entry: SandboxLogEntry): Promise<void> {
  const boundary = boundaryFrom(req.headers['content-type']);
  if (!boundary) {
    await drainBody(req, entry);
    sendJson(res, 400, { detail: 'Multipart form parse error - Invalid boundary in multipart: None' });
    return;
  }
  const upload = await receiveUpload(req, entry, boundary);
  if (res.destroyed || !upload.complete) return;
  const refusal = uploadRefusal(upload);
  if (refusal) {
    sendJson(res, 400, refusal);
    return;
  }
  const mediaUrls = keepUploads(state, req, upload);
  await state.sleep(state.settings.processingDelayMs);
  const outcome = combinedOutcome(upload.files.map((file) => outcomeForName(file.filename)));
  sendFileResults(state, res, mediaUrls, outcome);
}
