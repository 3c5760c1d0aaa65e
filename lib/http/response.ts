import {
  AuthenticationError,
  RateLimitError,
  RequestRejectedError,
  ServerError,
  UnexpectedResponseError,
  SERVICE_NAMES,
  SECRET_NAMES,
  bodyExcerpt,
  redact,
  type Service,
  type TranscriptionError,
} from '../errors';
import { parseRetryAfter } from './retry';
import { shownUrl } from './url';
import type { TransportResponse } from './types';

export function header(response: TransportResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function requestIdOf(response: TransportResponse): string | undefined {
  return header(response, 'x-request-id') ?? header(response, 'x-amzn-requestid') ?? header(response, 'cf-ray');
}

/** What a service said about an error: its words, and its machine-readable code when it sent one. */
export interface ServiceWords {
  message?: string;
  code?: string;
}

/** FastAPI-style field errors: `[{"loc": ["body", "prompt"], "msg": "too long"}]`. */
function fieldErrors(list: unknown[]): string {
  return list
    .map((entry) => {
      if (!entry || typeof entry !== 'object') return String(entry);
      const { loc, msg } = entry as { loc?: unknown; msg?: unknown };
      const where = Array.isArray(loc) ? loc.filter((part) => part !== 'body').join('.') : undefined;
      const text = typeof msg === 'string' ? msg : JSON.stringify(entry);
      return where ? `${where}: ${text}` : text;
    })
    .join('; ');
}

/** The words of a JSON error object, in the order AssemblyAI's own SDK reads them. */
function wordsOfObject(record: Record<string, unknown>): ServiceWords {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
  const problemTitle = typeof record.status === 'number' ? text(record.title) : undefined;
  const code = text(record.error_code) ?? (problemTitle ? problemTitle.toLowerCase().replace(/ /g, '_') : undefined);
  let message = text(record.detail) ?? text(record.message) ?? text(record.error);
  if (message === undefined && Array.isArray(record.detail)) message = fieldErrors(record.detail);
  if (problemTitle && message && message !== problemTitle) message = `${problemTitle}: ${message}`;
  else if (problemTitle && !message) message = problemTitle;
  if (message === undefined && code === undefined) {
    // DRF field errors: {"media_urls": ["This field is required."]}
    message = Object.entries(record)
      .map(([field, value]) => `${field}: ${flattenMessages(value).join(' ')}`)
      .join('; ');
  }
  return { message: message ?? code, code };
}

/**
 * The service's own words for an error, from every body form the services send: AssemblyAI's
 * `{error_code, message}` and `{error, error_code}`, RFC 9457's `{status, title, detail}`, `{detail}`
 * as text or a list of field errors, `{error}`, `{message}`, DRF's field errors, or plain text.
 */
export function serviceWords(body: Buffer): ServiceWords {
  const text = body.toString('utf8').trim();
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const words = wordsOfObject(parsed as Record<string, unknown>);
      return { message: words.message === undefined ? undefined : bodyExcerpt(words.message), code: words.code };
    }
  } catch {
    // Not JSON: an HTML page from a proxy, or plain text.
  }
  return { message: bodyExcerpt(text) };
}

/** The service's own words for an error, as text. */
export function errorDetail(body: Buffer): string | undefined {
  return serviceWords(body).message;
}

function flattenMessages(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(flattenMessages);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => flattenMessages(inner).map((m) => `[${key}] ${m}`));
  }
  return [String(value)];
}

/** The error class that fits a non-2xx answer (undefined for a 2xx), with the service's words and code. */
export function errorForStatus(response: TransportResponse, service: Service, what: string): TranscriptionError | undefined {
  const { status, body } = response;
  if (status >= 200 && status < 300) return undefined;
  const name = SERVICE_NAMES[service];
  const words = serviceWords(body);
  const details = { service, status, body: body.toString('utf8'), requestId: requestIdOf(response), errorCode: words.code };
  const suffix = words.message ? `: ${words.message}` : '';
  const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
  if (status === 401 || status === 403) {
    const credential = SECRET_NAMES[service];
    // The service's words often end a sentence themselves ("Invalid token."): one full stop, not two.
    return new AuthenticationError(
      `${name} refused the ${credential} (HTTP ${status})${suffix.replace(/[.!?]\s*$/, '')}. Check the credential.`,
      details,
    );
  }
  if (status === 429) return new RateLimitError(`${name} is rate limiting requests (HTTP 429)${suffix}`, { ...details, retryAfterMs });
  if (status >= 500)
    return new ServerError(`${name} had a server error while ${what} (HTTP ${status})${suffix}`, { ...details, retryAfterMs });
  if (status >= 300 && status < 400) {
    // Redirects are not followed (a streamed upload cannot be sent twice, and a POST must stay a POST):
    // the service has moved, and the Base URL is what to change.
    const location = response.headers.location;
    const to = typeof location === 'string' && location ? ` to ${redact(shownUrl(location))}` : ' without saying where';
    return new RequestRejectedError(
      `${name} redirected the request while ${what} (HTTP ${status})${to}. The service has moved: set the Base URL to where it answers now.`,
      details,
    );
  }
  return new RequestRejectedError(`${name} rejected the request while ${what} (HTTP ${status})${suffix}`, details);
}

/** Throws the error class that fits a non-2xx answer. */
export function throwForStatus(response: TransportResponse, service: Service, what: string): void {
  const error = errorForStatus(response, service, what);
  if (error) throw error;
}

/** Parses a 2xx JSON body; anything else is an UnexpectedResponseError that says what came instead. */
export function parseJsonBody(response: TransportResponse, service: Service, what: string): unknown {
  const text = response.body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new UnexpectedResponseError(`${SERVICE_NAMES[service]} answered ${what} with HTTP ${response.status} but the body is not JSON`, {
      service,
      status: response.status,
      body: text,
      requestId: requestIdOf(response),
      field: '(body)',
    });
  }
}
