import {
  AuthenticationError,
  RateLimitError,
  RequestRejectedError,
  ServerError,
  UnexpectedResponseError,
  SERVICE_NAMES,
  bodyExcerpt,
  redact,
  type Service,
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

/**
 * The service's own words for an error: AssemblyAI's `{error_code, message}`, RFC 9457's
 * `{status, title, detail}`, DRF's `detail`, AssemblyAI's `error`, field errors, or the text.
 */
export function errorDetail(body: Buffer): string | undefined {
  const text = body.toString('utf8').trim();
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const record = parsed as Record<string, unknown>;
      if (typeof record.error_code === 'string') {
        return typeof record.message === 'string' ? `${record.message} (${record.error_code})` : record.error_code;
      }
      if (typeof record.title === 'string' && typeof record.status === 'number') {
        return typeof record.detail === 'string' && record.detail !== record.title ? `${record.title}: ${record.detail}` : record.title;
      }
      if (typeof record.detail === 'string') return record.detail;
      if (typeof record.error === 'string') return record.error;
      // DRF field errors: {"media_urls": ["This field is required."]}
      return Object.entries(record)
        .map(([field, value]) => `${field}: ${flattenMessages(value).join(' ')}`)
        .join('; ');
    }
  } catch {
    // Not JSON: an HTML page from a proxy, or plain text.
  }
  return bodyExcerpt(text);
}

function flattenMessages(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(flattenMessages);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => flattenMessages(inner).map((m) => `[${key}] ${m}`));
  }
  return [String(value)];
}

/** Throws the error class that fits a non-2xx answer. */
export function throwForStatus(response: TransportResponse, service: Service, what: string): void {
  const { status, body } = response;
  if (status >= 200 && status < 300) return;
  const name = SERVICE_NAMES[service];
  const detail = errorDetail(body);
  const details = { service, status, body: body.toString('utf8'), requestId: requestIdOf(response) };
  const suffix = detail ? `: ${detail}` : '';
  if (status === 401 || status === 403) {
    const credential = service === 'harf' ? 'token' : 'API key';
    // The service's detail often ends a sentence itself ("Invalid token."): one full stop, not two.
    throw new AuthenticationError(`${name} refused the ${credential} (HTTP ${status})${suffix.replace(/[.!?]\s*$/, '')}. Check the credential.`, details);
  }
  if (status === 429) {
    throw new RateLimitError(`${name} is rate limiting requests (HTTP 429)${suffix}`, {
      ...details,
      retryAfterMs: parseRetryAfter(response.headers['retry-after']),
    });
  }
  if (status >= 500) {
    throw new ServerError(`${name} had a server error while ${what} (HTTP ${status})${suffix}`, {
      ...details,
      retryAfterMs: parseRetryAfter(response.headers['retry-after']),
    });
  }
  if (status >= 300 && status < 400) {
    // Redirects are not followed (a streamed upload cannot be sent twice, and a POST must stay a POST):
    // the service has moved, and the Base URL is what to change.
    const location = response.headers.location;
    const to = typeof location === 'string' && location ? ` to ${redact(shownUrl(location))}` : ' without saying where';
    throw new RequestRejectedError(
      `${name} redirected the request while ${what} (HTTP ${status})${to}. The service has moved: set the Base URL to where it answers now.`,
      details,
    );
  }
  throw new RequestRejectedError(`${name} rejected the request while ${what} (HTTP ${status})${suffix}`, details);
}

/** Parses a 2xx JSON body; anything else is an UnexpectedResponseError that says what came instead. */
export function parseJsonBody(response: TransportResponse, service: Service, what: string): unknown {
  const text = response.body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new UnexpectedResponseError(
      `${SERVICE_NAMES[service]} answered ${what} with HTTP ${response.status} but the body is not JSON`,
      { service, status: response.status, body: text, requestId: requestIdOf(response), field: '(body)' },
    );
  }
}
