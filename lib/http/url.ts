import { BadInputError, describeValue } from '../errors';

/**
 * Checks that a base URL is an http:// or https:// URL and returns it without trailing slashes.
 * Anything else is refused naming `field`, with `example` as the URL expected.
 */
export function checkBaseUrl(value: unknown, field: string, example: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new BadInputError(field, describeValue(value), `an http:// or https:// URL such as ${example}`, 'invalid-url');
  }
  // The API's paths are appended to it: a query or fragment would swallow them.
  if (url.search || url.hash || /[?#]/.test(text)) {
    throw new BadInputError(field, describeValue(value), `a URL without ? or # such as ${example}`, 'invalid-url');
  }
  return text.replace(/\/+$/, '');
}

/** A base URL setting as saved (trimmed, no trailing slashes), or `fallback` when left empty; not checked here. */
export function baseUrlOrDefault(value: unknown, fallback: string): string {
  const text = typeof value === 'string' ? value.trim().replace(/\/+$/, '') : '';
  return text === '' ? fallback : text;
}

/** A URL as a message may show it: without any user name or password it carries. */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/+$/, '');
  } catch {
    return url;
  }
}
