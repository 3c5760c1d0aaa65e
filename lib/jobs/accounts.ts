/**
 * Checking an account before it is used (a credential's Test button): one request that costs
 * nothing, and a verdict in the words the clients' own errors use. Never a token in a message.
 */
import { AssemblyAiClient } from '../assemblyai/client';
import { ASSEMBLYAI_BASE_URL } from '../assemblyai/settings';
import { BadInputError, ConnectionError, RequestRejectedError, SERVICE_NAMES, WaitTimeoutError, redact, type Service } from '../errors';
import { DEFAULT_BASE_URL, HarfClient } from '../harf/client';
import { baseUrlOrDefault, shownUrl } from '../http/url';

/** One attempt, no retries: a verdict within seconds, and a wrong setting is reported as it is. */
export const ACCOUNT_CHECK_TIMEOUT_MS = 15_000;
/** The task the Harf check asks about: no task has this id, so the answer only tells whether the token is accepted. */
export const ACCOUNT_CHECK_TASK_ID = 'credential-check';

export type AccountCheck = { status: 'OK'; message: 'Connection successful' } | { status: 'Error'; message: string };

export interface AccountCheckOptions {
  /**
   * The names the user sees for lib's fields (`token`, `apiKey`, `baseUrl`), so that a message
   * about a wrong value names the field to fix. Default: lib's names, and "Base URL".
   */
  fields?: Record<string, string>;
  /** Default 15 s. */
  timeoutMs?: number;
}

export interface HarfAccount {
  token: unknown;
  /** Empty means Harf's own service. */
  baseUrl?: unknown;
}

export interface AssemblyAiAccount {
  apiKey: unknown;
  /** Empty means AssemblyAI's own API. */
  baseUrl?: unknown;
}

const NO_RETRY = { retries: 0 };

/**
 * Checks a Harf token against a Base URL by asking about a task that does not exist
 * (POST /api/transcribe_files/ with `tasks_ids`, `wait: false`): nothing is transcribed or billed.
 */
export async function checkHarfAccount(account: HarfAccount, options: AccountCheckOptions = {}): Promise<AccountCheck> {
  return await checkAccount('harf', baseUrlOrDefault(account.baseUrl, DEFAULT_BASE_URL), options, async (baseUrl, timeoutMs) => {
    const client = new HarfClient({ token: account.token as string, baseUrl, retry: NO_RETRY, requestTimeoutMs: timeoutMs });
    try {
      await client.checkTask(ACCOUNT_CHECK_TASK_ID);
    } finally {
      client.close();
    }
  });
}

/** Checks an AssemblyAI API key against a Base URL by listing at most one transcript: no audio is sent. */
export async function checkAssemblyAiAccount(account: AssemblyAiAccount, options: AccountCheckOptions = {}): Promise<AccountCheck> {
  return await checkAccount('assemblyai', baseUrlOrDefault(account.baseUrl, ASSEMBLYAI_BASE_URL), options, async (baseUrl, timeoutMs) => {
    const client = new AssemblyAiClient({ apiKey: account.apiKey as string, baseUrl, retry: NO_RETRY, requestTimeoutMs: timeoutMs });
    try {
      await client.checkApiKey();
    } finally {
      client.close();
    }
  });
}

/**
 * An account's client, made so that a wrong setting names the field as the user sees it: `fields`
 * maps lib's names (`token`, `apiKey`, `baseUrl`) to the user's ("API key (in the assemblyai-config
 * node "main")"). The client's own checks decide what is wrong.
 */
export function clientNamingFields<T>(make: () => T, fields: Record<string, string>): T {
  try {
    return make();
  } catch (error) {
    throw error instanceof BadInputError ? renamed(error, fields) : error;
  }
}

function renamed(error: BadInputError, fields: Record<string, string>): BadInputError {
  return Object.prototype.hasOwnProperty.call(fields, error.field) ? error.renamed(fields[error.field]) : error;
}

async function checkAccount(
  service: Service,
  baseUrl: string,
  options: AccountCheckOptions,
  check: (baseUrl: string, timeoutMs: number) => Promise<void>,
): Promise<AccountCheck> {
  try {
    await check(baseUrl, options.timeoutMs ?? ACCOUNT_CHECK_TIMEOUT_MS);
    return { status: 'OK', message: 'Connection successful' };
  } catch (error) {
    return { status: 'Error', message: redact(failure(error, service, baseUrl, options.fields ?? {})) };
  }
}

/** What went wrong, in the clients' words; a wrong Base URL (nothing there, or not the service) says so with the URL. */
function failure(error: unknown, service: Service, baseUrl: string, fields: Record<string, string>): string {
  const name = SERVICE_NAMES[service];
  const baseUrlField = fields.baseUrl ?? 'Base URL';
  if (error instanceof BadInputError) {
    return renamed(error, fields).message;
  }
  if (error instanceof RequestRejectedError && error.status === 404) {
    return `No ${name} service answers at ${shownUrl(baseUrl)} (HTTP 404). Check the ${baseUrlField}.`;
  }
  if (error instanceof ConnectionError || error instanceof WaitTimeoutError) {
    return `${error.message}. No ${name} service could be reached at ${shownUrl(baseUrl)}: check the ${baseUrlField} and that this machine can reach it.`;
  }
  return error instanceof Error ? error.message : String(error);
}
