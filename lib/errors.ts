/**
 * One error class per failure kind, shared by the Harf and AssemblyAI clients.
 * Every error carries what a user or a support ticket needs (status, a short body excerpt,
 * the request id) and never the token: messages and excerpts pass through `redact`.
 */

export type Service = 'harf' | 'assemblyai';

/** Each service's name as a user reads it in a message. */
export const SERVICE_NAMES: Record<Service, string> = { harf: 'Harf', assemblyai: 'AssemblyAI' };

/** What each service calls the secret a user gives it, as a message names it. */
export const SECRET_NAMES: Record<Service, string> = { harf: 'token', assemblyai: 'API key' };

export interface TranscriptionErrorDetails {
  service?: Service;
  status?: number;
  body?: string;
  requestId?: string;
  /** The service's own machine-readable code for the error (AssemblyAI's `error_code`, a problem's `title`). */
  errorCode?: string;
  cause?: unknown;
}

const EXCERPT_LENGTH = 300;
const secrets = new Set<string>();

/** Registers a secret so that no error message or excerpt ever shows it. */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 4) secrets.add(secret);
}

/** Replaces every registered secret, and any `Token <key>` / `Bearer <key>` header value, with a mask. */
export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  // Header form only (capitalised scheme, a key-like value with a digit), so prose such as
  // "refused the token (HTTP 401)" or "Token expired" survives.
  return out.replace(/\b(Token|Bearer) (?=[A-Za-z0-9._~+/=-]*\d)[A-Za-z0-9._~+/=-]{8,}/g, '$1 ***');
}

/** A short, single-spaced excerpt of a response body, with HTML tags removed. */
export function bodyExcerpt(body: string | Buffer | undefined): string | undefined {
  if (body === undefined) return undefined;
  let text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  if (/^\s*</.test(text)) text = text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ');
  text = text.replace(/\s+/g, ' ').trim();
  if (text.length > EXCERPT_LENGTH) text = `${text.slice(0, EXCERPT_LENGTH)}…`;
  return redact(text);
}

/**
 * What went wrong, as a stable word a runtime maps to its own short text (a Node-RED status, a
 * locale key): every error class has one, and a BadInputError says whether a URL or a credential
 * was the wrong input.
 */
export const ERROR_KINDS = [
  'credential-refused',
  'missing-credential',
  'missing-account',
  'rate-limited',
  'server-error',
  'request-refused',
  'unexpected-answer',
  'task-failed',
  'task-timed-out',
  'timed-out',
  'connection-failed',
  'connection-closed',
  'invalid-url',
  'invalid-input',
  'cancelled',
  'failed',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

export class TranscriptionError extends Error {
  /** What went wrong, in one stable word (see ErrorKind). */
  readonly kind: ErrorKind = 'failed';
  readonly service?: Service;
  readonly status?: number;
  readonly body?: string;
  readonly requestId?: string;
  /** The service's own code for the error, when it sent one (`bad_audio`, `audio_too_short`…). */
  readonly errorCode?: string;
  /**
   * A request that starts a job (and is billed) failed in a way that leaves it unknown whether the
   * job started: it is not sent again, and whoever sends it again may pay twice.
   */
  jobMayHaveStarted = false;
  /** For a live session that failed: every segment received before it did (none is lost). */
  segments?: unknown[];

  constructor(message: string, details: TranscriptionErrorDetails = {}) {
    super(redact(message));
    this.name = new.target.name;
    this.service = details.service;
    this.status = details.status;
    this.body = details.body === undefined ? undefined : bodyExcerpt(details.body);
    this.requestId = details.requestId;
    this.errorCode = details.errorCode;
    if (details.cause !== undefined) {
      Object.defineProperty(this, 'cause', { value: details.cause, enumerable: false });
    }
  }

  /** A plain object for logs and outputs (no stack, no cause). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    if (this.service) out.service = this.service;
    if (this.status !== undefined) out.status = this.status;
    if (this.body) out.body = this.body;
    if (this.requestId) out.request_id = this.requestId;
    if (this.errorCode) out.error_code = this.errorCode;
    if (this.jobMayHaveStarted) out.job_may_have_started = true;
    if (this.segments) out.segments = this.segments;
    return out;
  }
}

/** 401 or 403: the token or API key was refused. */
export class AuthenticationError extends TranscriptionError {
  override readonly kind: ErrorKind = 'credential-refused';
}

/** 429: too many requests. `retryAfterMs` is the server's Retry-After, when it sent one. */
export class RateLimitError extends TranscriptionError {
  override readonly kind: ErrorKind = 'rate-limited';
  readonly retryAfterMs?: number;
  constructor(message: string, details: TranscriptionErrorDetails & { retryAfterMs?: number } = {}) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** 5xx from the service. Whether it is sent again is lib/http/retry's `mayResend` to decide. */
export class ServerError extends TranscriptionError {
  override readonly kind: ErrorKind = 'server-error';
  readonly retryAfterMs?: number;
  constructor(message: string, details: TranscriptionErrorDetails & { retryAfterMs?: number } = {}) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** Any other non-2xx answer (400 validation errors, 404, 413…): the request itself was refused. */
export class RequestRejectedError extends TranscriptionError {
  override readonly kind: ErrorKind = 'request-refused';
}

/** A 2xx answer (or websocket message) that is not the documented shape. */
export class UnexpectedResponseError extends TranscriptionError {
  override readonly kind: ErrorKind = 'unexpected-answer';
  /** The field that was missing or wrong, as a path (`[0].segments[2].start`). */
  readonly field?: string;
  constructor(message: string, details: TranscriptionErrorDetails & { field?: string } = {}) {
    super(message, details);
    this.field = details.field;
  }
}

/** The service reported a task as FAILURE. */
export class TaskFailedError extends TranscriptionError {
  override readonly kind: ErrorKind = 'task-failed';
  readonly taskId?: string;
  readonly state = 'FAILURE';
  constructor(taskId: string | undefined, details: TranscriptionErrorDetails = {}) {
    super(`Harf reported ${taskId ? `task ${taskId}` : 'the transcription'} as FAILURE: the file could not be transcribed`, details);
    this.taskId = taskId;
  }
}

/** The service reported a task as TIMEOUT: it ran past the service's own limit and was dropped. */
export class TaskTimedOutError extends TranscriptionError {
  override readonly kind: ErrorKind = 'task-timed-out';
  readonly taskId?: string;
  readonly state = 'TIMEOUT';
  constructor(taskId: string | undefined, details: TranscriptionErrorDetails = {}) {
    super(
      `Harf reported ${taskId ? `task ${taskId}` : 'the transcription'} as TIMEOUT: it ran past the service's processing limit and was dropped`,
      details,
    );
    this.taskId = taskId;
  }
}

/** Our own limit ran out (waiting for tasks, a request, a websocket answer). */
export class WaitTimeoutError extends TranscriptionError {
  override readonly kind: ErrorKind = 'timed-out';
  readonly timeoutMs: number;
  /**
   * For one HTTP request that got no answer in time: whether the whole request had been sent
   * (then the service may be working on it). Undefined for other waits.
   */
  readonly requestSent?: boolean;
  constructor(message: string, timeoutMs: number, details: TranscriptionErrorDetails & { requestSent?: boolean } = {}) {
    super(message, details);
    this.timeoutMs = timeoutMs;
    this.requestSent = details.requestSent;
  }
}

/** The connection failed before a complete answer arrived (DNS, refused, reset, closed websocket). */
export class ConnectionError extends TranscriptionError {
  override readonly kind: ErrorKind = 'connection-failed';
  /** Whether the same request could succeed if sent again (false when reading the upload itself failed). */
  readonly retryable: boolean;
  readonly code?: string;
  /**
   * Whether the whole request had been sent when the connection failed: then the service may have
   * acted on it. True unless the transport knows otherwise.
   */
  readonly requestSent: boolean;
  constructor(message: string, details: TranscriptionErrorDetails & { code?: string; retryable?: boolean; requestSent?: boolean } = {}) {
    super(message, details);
    this.code = details.code;
    this.requestSent = details.requestSent ?? true;
    this.retryable = details.retryable ?? !this.requestSent;
  }
}

/** The segments a live session had received before it failed (an error of any other kind has none). */
export function segmentsReceived(error: unknown): unknown[] | undefined {
  return error instanceof TranscriptionError && Array.isArray(error.segments) ? error.segments : undefined;
}

/** The live websocket closed before the final answer; the segments received until then are kept. */
export class StreamClosedError extends ConnectionError {
  override readonly kind: ErrorKind = 'connection-closed';
  readonly closeCode: number;
  declare segments: unknown[];
  constructor(message: string, closeCode: number, segments: unknown[], details: TranscriptionErrorDetails = {}) {
    super(message, { ...details, code: `WS_${closeCode}` });
    this.closeCode = closeCode;
    this.segments = segments;
  }
}

/** The caller's input is wrong: names the argument, what was found and what was expected. */
export class BadInputError extends TranscriptionError {
  override readonly kind: BadInputKind;
  readonly field: string;
  readonly found: string;
  readonly expected: string;
  /** `kind`: what the wrong input was, when it is a URL or a credential (default `invalid-input`). */
  constructor(field: string, found: string, expected: string, kind: BadInputKind = 'invalid-input') {
    super(`Invalid ${field}: found ${found}, expected ${expected}`);
    this.field = field;
    this.found = found;
    this.expected = expected;
    this.kind = kind;
  }

  /** The same error under the field name the user sees. */
  renamed(field: string): BadInputError {
    return new BadInputError(field, this.found, this.expected, this.kind);
  }
}

export type BadInputKind = Extract<ErrorKind, 'invalid-input' | 'invalid-url' | 'missing-credential' | 'missing-account'>;

/** The operation was cancelled through its AbortSignal. */
export class AbortedError extends TranscriptionError {
  override readonly kind: ErrorKind = 'cancelled';
  constructor(message = 'The operation was cancelled') {
    super(message);
  }
}

/** Describes a value for a BadInputError: its type and a short preview. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (undefined)';
  if (value === null) return 'null';
  if (Buffer.isBuffer(value)) return `a Buffer of ${value.length} bytes`;
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'string') {
    if (value.trim() === '') return 'an empty string';
    const preview = value.length > 60 ? `${value.slice(0, 60)}…` : value;
    return `the text "${redact(preview)}"`;
  }
  if (typeof value === 'object')
    return `an object with keys ${
      Object.keys(value as object)
        .slice(0, 6)
        .join(', ') || '(none)'
    }`;
  return `${typeof value} ${String(value)}`;
}

/** The kind of any error: a lib error's own, a cancellation's, else `failed`. */
export function errorKind(error: unknown): ErrorKind {
  if (error instanceof TranscriptionError) return error.kind;
  if (error instanceof Error && error.name === 'AbortError') return 'cancelled';
  return 'failed';
}

/**
 * Describes a credential value for an error without showing any of it: empty, only spaces, or its
 * type when it is not text.
 */
export function describeSecret(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'an empty value';
  if (typeof value === 'string') return `only whitespace (${value.length} character${value.length === 1 ? '' : 's'})`;
  return typeof value === 'object' ? `${describeValue(value)} instead of text` : `a ${typeof value} instead of text`;
}

/**
 * A credential: text that is not blank, trimmed and registered so that no error shows it; otherwise a
 * BadInputError naming `field` and what was `expected`, without showing the value.
 */
export function checkSecret(value: unknown, field: string, expected: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new BadInputError(field, describeSecret(value), expected, 'missing-credential');
  const secret = value.trim();
  registerSecret(secret);
  return secret;
}
