/**
 * The body forms AssemblyAI's Sync API answers errors in, as its SDK's error reader takes them
 * (`src/utils/live.ts` `errorFromResponse` of the `assemblyai` package): one function per form.
 */
export type ErrorForm = 'code-message' | 'error-code' | 'problem' | 'detail' | 'detail-list' | 'error' | 'text';

export interface ErrorBody {
  text: string;
  contentType: string;
}

const json = (body: unknown, contentType = 'application/json'): ErrorBody => ({ text: JSON.stringify(body), contentType });

export const ERROR_FORMS: Record<ErrorForm, (status: number, code: string, message: string) => ErrorBody> = {
  'code-message': (_status, code, message) => json({ error_code: code, message }),
  'error-code': (_status, code, message) => json({ error: message, error_code: code }),
  problem: (status, code, message) => json({ type: 'about:blank', status, title: code, detail: message }, 'application/problem+json'),
  detail: (_status, _code, message) => json({ detail: message }),
  'detail-list': (_status, code, message) => json({ detail: [{ loc: ['body', 'config'], msg: message, type: code }] }),
  error: (_status, _code, message) => json({ error: message }),
  text: (_status, _code, message) => ({ text: message, contentType: 'text/plain; charset=utf-8' }),
};

export const ERROR_FORM_NAMES = Object.keys(ERROR_FORMS) as ErrorForm[];

/** The code AssemblyAI gives a status when nothing more specific applies. */
export function defaultErrorCode(status: number): string {
  const codes: Record<number, string> = {
    400: 'bad_request',
    401: 'unauthorized',
    404: 'not_found',
    413: 'audio_too_large',
    415: 'unsupported_media_type',
    429: 'rate_limited',
    500: 'internal_error',
    503: 'capacity_exceeded',
    504: 'inference_timeout',
  };
  return codes[status] ?? `http_${status}`;
}
