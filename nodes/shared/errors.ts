import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
  AbortedError,
  AuthenticationError,
  BadInputError,
  ConnectionError,
  RateLimitError,
  RequestRejectedError,
  ServerError,
  TaskFailedError,
  TaskTimedOutError,
  TranscriptionError,
  UnexpectedResponseError,
  WaitTimeoutError,
  redact,
  SERVICE_NAMES,
  segmentsReceived,
  type Service,
  SECRET_NAMES,
} from '../../lib/errors';
import { JOB_MAY_HAVE_STARTED } from '../../lib/http/retry';

// The lib error each n8n error was made from (n8n does not keep an Error as the cause), so an
// error item can still tell its type and field.
const madeFrom = new WeakMap<NodeApiError | NodeOperationError, TranscriptionError>();

/**
 * Turns any failure of one item into the n8n error a user can act on:
 * the service's answers become NodeApiError (with the HTTP code), the item's own
 * input or job failures become NodeOperationError (with the item index and a description).
 */
export function toNodeError(node: INode, error: unknown, itemIndex: number, service: Service = 'harf'): NodeApiError | NodeOperationError {
  const nodeError = convert(node, error, itemIndex, service);
  if (error instanceof TranscriptionError && !madeFrom.has(nodeError)) madeFrom.set(nodeError, error);
  return nodeError;
}

function convert(node: INode, error: unknown, itemIndex: number, service: Service): NodeApiError | NodeOperationError {
  if (error instanceof NodeApiError || error instanceof NodeOperationError) {
    if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
    return error;
  }
  if (error instanceof TranscriptionError) {
    return fromServiceError(node, error, itemIndex, service) ?? fromJobError(node, error, itemIndex, service);
  }
  const message = redact(error instanceof Error ? error.message : String(error));
  return new NodeOperationError(node, message, { itemIndex });
}

/** The service's name and what its credential calls its secret, for the service the error came from. */
function serviceWords(error: TranscriptionError, service: Service): { name: string; secret: string } {
  const from = error.service ?? service;
  const known = from in SERVICE_NAMES ? from : service;
  return { name: SERVICE_NAMES[known], secret: SECRET_NAMES[known] };
}

/** The service's answers (and failures to reach it) as NodeApiError, with the HTTP code; undefined for the rest. */
function fromServiceError(node: INode, error: TranscriptionError, itemIndex: number, service: Service): NodeApiError | undefined {
  const { name, secret } = serviceWords(error, service);
  const httpCode = error.status === undefined ? undefined : String(error.status);
  const detail = error.body ? `${name} answered: ${error.body}` : undefined;
  const requestId = error.requestId ? ` (request id ${error.requestId})` : '';
  // Said once: errors whose message n8n shows carry lib's sentence already; a server error's message is the node's own.
  const mayHaveStarted = error.jobMayHaveStarted ? ` ${JOB_MAY_HAVE_STARTED}.` : '';

  if (error instanceof AuthenticationError) {
    return new NodeApiError(node, error as unknown as JsonObject, {
      itemIndex,
      httpCode,
      message: `The ${name} ${secret} was refused — check the credential`,
      description: `${name} answered ${error.status ?? 401}: the ${secret} in the credential is wrong, expired, or not allowed to use this endpoint. Open the credential, paste a valid ${secret}, and test it.${requestId}`,
    });
  }
  if (error instanceof RateLimitError) {
    const wait = error.retryAfterMs ? ` ${name} asked to wait ${Math.ceil(error.retryAfterMs / 1000)} s.` : '';
    return new NodeApiError(node, error as unknown as JsonObject, {
      itemIndex,
      httpCode,
      message: `${name} is limiting requests (429) — try again later`,
      description: `${error.message}.${wait} Process fewer items at once, add a Wait node between batches, or raise Max Retry Wait (Seconds).${requestId}`,
    });
  }
  if (error instanceof ServerError) {
    return new NodeApiError(node, error as unknown as JsonObject, {
      itemIndex,
      httpCode,
      message: `${name} had a server error (${error.status ?? '5xx'}) — try again later`,
      description: `${detail ?? 'The service did not say more.'}${mayHaveStarted || " Retries did not help; if it persists, check the service's status."}${requestId}`,
    });
  }
  if (error instanceof RequestRejectedError) {
    return new NodeApiError(node, error as unknown as JsonObject, {
      itemIndex,
      httpCode,
      message: `${name} refused the request (${error.status ?? 'error'}): ${firstLine(error.body) ?? error.message}`,
      description: `${error.message}. Check the node's parameters against what ${name} expects.${requestId}`,
    });
  }
  if (error instanceof UnexpectedResponseError) {
    return new NodeApiError(node, error as unknown as JsonObject, {
      itemIndex,
      httpCode,
      message: `${name} sent an answer this node does not understand`,
      description: `${error.message}${error.field ? ` (field ${error.field})` : ''}. Check that the credential's Base URL points at the ${name} API.${requestId}`,
    });
  }
  if (error instanceof ConnectionError) {
    return new NodeApiError(node, error as unknown as JsonObject, {
      itemIndex,
      message: error.message,
      description: `Check the Base URL in the ${name} credential and that this n8n instance can reach it.`,
    });
  }
  return undefined;
}

/** The item's own input or job failures as NodeOperationError, with a description of what to do. */
function fromJobError(node: INode, error: TranscriptionError, itemIndex: number, service: Service): NodeOperationError {
  const { name } = serviceWords(error, service);
  const detail = error.body ? `${name} answered: ${error.body}` : undefined;
  if (error instanceof TaskFailedError) {
    return new NodeOperationError(node, error, {
      itemIndex,
      description: `Task ${error.taskId} ended in FAILURE. The media may be unreadable or not speech; check that the URL serves an audio or video file.`,
    });
  }
  if (error instanceof TaskTimedOutError) {
    return new NodeOperationError(node, error, {
      itemIndex,
      description: `Task ${error.taskId} ended in TIMEOUT. Split long media into shorter parts and submit them again.`,
    });
  }
  if (error instanceof WaitTimeoutError) {
    return new NodeOperationError(node, error, {
      itemIndex,
      description: `The transcription may still finish. Raise the timeout in the node options, or use Submit Only and check later with Check Status.`,
    });
  }
  if (error instanceof BadInputError) {
    return new NodeOperationError(node, error, {
      itemIndex,
      description: `Expected ${error.expected}; found ${error.found}.`,
    });
  }
  if (error instanceof AbortedError) {
    return new NodeOperationError(node, error, { itemIndex, message: 'The execution was cancelled' });
  }
  return new NodeOperationError(node, error, { itemIndex, description: detail });
}

/** What an error item was about, kept in its n8n error too: n8n shows no more of an error output item's JSON than its message. */
const ABOUT = ['media_url', 'file_name', 'task_id', 'http_code'];
/** How the message of an Error output item names what it was about, as the panel words it. */
const ABOUT_WORDS: Record<string, string> = { media_url: 'media URL', file_name: 'file', task_id: 'task', http_code: 'HTTP' };

/** A few of many values, so that a message stays readable: "a, b, c and 7 more". */
function listed(values: unknown[]): string {
  const shown = values.slice(0, 3).map(String).join(', ');
  return values.length > 3 ? `${shown} and ${values.length - 3} more` : shown;
}

/** The message with the input it was about and the status, unless it names them already: "… (media URL https://…; HTTP 401)". */
function messageAbout(message: string, json: IDataObject): string {
  const named = Object.keys(ABOUT_WORDS)
    .filter((key) => json[key] !== undefined && json[key] !== '')
    .map((key) => [key, Array.isArray(json[key]) ? listed(json[key] as unknown[]) : String(json[key])] as const)
    .filter(([, value]) => !message.includes(value))
    .map(([key, value]) => `${ABOUT_WORDS[key]} ${value}`);
  return named.length > 0 ? `${message} (${named.join('; ')})` : message;
}

/**
 * The item of a failure when the node continues on fail. With On Error set to "Continue (using error
 * output)" it carries the n8n error, which is what sends it down the Error output (n8n then keeps
 * only the message as its JSON, the rest in the error); with "Continue" it stays in the main output
 * with everything in its JSON.
 */
export function failedItem(
  context: IExecuteFunctions,
  nodeError: NodeApiError | NodeOperationError,
  json: IDataObject,
  itemIndex: number,
): INodeExecutionData {
  if (context.getNode().onError !== 'continueErrorOutput') return { json, pairedItem: { item: itemIndex } };
  for (const key of ABOUT) if (json[key] !== undefined) nodeError.context[key] = json[key];
  // n8n replaces an Error output item's JSON by its message: the message keeps which input failed.
  nodeError.message = messageAbout(nodeError.message, json);
  return { json, error: nodeError, pairedItem: { item: itemIndex } };
}

/** The JSON of an error item when the node continues on fail: the message and what explains it. */
export function errorItemJson(error: NodeApiError | NodeOperationError, cause?: unknown): IDataObject {
  const json: IDataObject = { error: error.message };
  if (error.description) json.description = error.description;
  const httpCode = error instanceof NodeApiError ? Number(error.httpCode) : NaN;
  if (Number.isInteger(httpCode)) json.http_code = httpCode;
  const original = cause instanceof TranscriptionError ? cause : madeFrom.get(error);
  if (original) {
    json.error_type = original.name;
    if (original.requestId) json.request_id = original.requestId;
    if (original instanceof TaskFailedError || original instanceof TaskTimedOutError) {
      json.task_id = original.taskId;
      json.state = original.state;
    }
    if (original instanceof BadInputError) json.field = original.field;
    if (original instanceof RateLimitError && original.retryAfterMs !== undefined) json.retry_after_ms = original.retryAfterMs;
    if (original.jobMayHaveStarted) json.job_may_have_started = true;
    // A live session that failed keeps what it had already recognised.
    const segments = segmentsReceived(original);
    if (segments) json.segments = segments as IDataObject[];
  }
  return json;
}

function firstLine(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const line = text.split('\n')[0].trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line || undefined;
}

/**
 * Runs lib code whose input checks name lib's own fields (`baseUrl`, `file`, …), renaming those
 * fields to the ones the user sees in n8n: lib does the checking, the message points at the field
 * to fix. Any failure comes out as the n8n error of the item, as runForEachItem would make it.
 */
export async function withFieldNames<T>(
  context: IExecuteFunctions,
  itemIndex: number,
  service: Service,
  fields: Record<string, string>,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const renamed =
      error instanceof BadInputError && Object.prototype.hasOwnProperty.call(fields, error.field)
        ? error.renamed(fields[error.field])
        : error;
    throw toNodeError(context.getNode(), renamed, itemIndex, service);
  }
}
