import { SERVICE_NAMES, TranscriptionError, UnexpectedResponseError, type Service, type TranscriptionErrorDetails } from '../errors';
import { createNodeTransport } from './nodeTransport';
import { errorForStatus, requestIdOf } from './response';
import { withRetries, type RequestKind, type SafeResends } from './retry';
import type { AnswerLimits, HttpTransport, RequestBody, RetryOptions, TransportResponse } from './types';

/** What an endpoint is, which decides how its requests are worded, resent and read. */
export interface Endpoint extends AnswerLimits {
  /** What the request does, as an error says it: "while <what>". */
  what: string;
  /** Whether a request starts a (billed) job or only asks: the resend rule follows from it. */
  kind: RequestKind;
  /** Server errors this endpoint calls safe to send again beyond the shared rule. */
  safeResends?: SafeResends;
  /** Limit for the whole answer (ms); default the requester's. */
  timeoutMs?: number;
}

/** One request, as the caller describes it; the requester adds the base URL, credentials and accept header. */
export interface OutgoingRequest {
  method: 'GET' | 'POST';
  path: string;
  /** A JSON body (sent as application/json). */
  json?: unknown;
  /** Any other body, built anew for each attempt (a stream can be read only once). */
  body?: () => { body: RequestBody; headers: Record<string, string> };
  headers?: Record<string, string>;
  /** False once the body can no longer be sent again (a one-shot stream that was read). */
  canResend?: () => boolean;
  signal?: AbortSignal;
}

/** An answer with a 2xx status, and what an error about it needs. */
export interface Answer<S extends Service = Service> extends TransportResponse {
  requestId?: string;
  details: TranscriptionErrorDetails & { service: S };
}

export interface RequesterOptions<S extends Service> {
  service: S;
  baseUrl: string;
  /** The headers that authenticate every request (their values never appear in an error). */
  auth: Record<string, string>;
  transport?: HttpTransport;
  retry?: RetryOptions;
  /** Limit for a whole answer, counted from the request being sent (ms). */
  timeoutMs: number;
  idleTimeoutMs?: number;
}

/** Opens one websocket (or any other upgraded connection); rejects with lib's errors, an answer's status as `upgradeAnswer`. */
export type UpgradeOpener<T> = (url: string, headers: Record<string, string>) => Promise<T | UpgradeRefusal>;

/** A connection upgrade the server answered with an ordinary HTTP answer instead. */
export interface UpgradeRefusal {
  refused: TransportResponse;
}

/**
 * The one way requests reach a service: credentials and accept header added, statuses mapped to
 * error classes (lib/http/response), resent as the shared rule and the endpoint allow
 * (lib/http/retry), answers read within size and time limits (lib/http/answer). The live
 * websocket's upgrade goes through `connect`, with the same statuses and the same resend rule.
 */
export class Requester<S extends Service = Service> {
  readonly service: S;
  readonly baseUrl: string;
  private transport?: HttpTransport;
  private closeTransport?: () => void;

  constructor(private readonly options: RequesterOptions<S>) {
    this.service = options.service;
    this.baseUrl = options.baseUrl;
    this.transport = options.transport;
  }

  /** Closes idle keep-alive connections of its own transport. The requester stays usable. */
  close(): void {
    this.closeTransport?.();
  }

  /** Sends a request, resending as allowed; resolves with a 2xx answer, else rejects with the error that fits. */
  async send(request: OutgoingRequest, endpoint: Endpoint): Promise<Answer<S>> {
    return await withRetries(
      async () => {
        const { body, headers } = this.bodyOf(request);
        const response = await this.ownTransport()({
          method: request.method,
          url: `${this.baseUrl}${request.path}`,
          headers: { accept: 'application/json', ...headers, ...request.headers, ...this.options.auth },
          body,
          signal: request.signal,
          timeoutMs: endpoint.timeoutMs ?? this.options.timeoutMs,
          maxAnswerBytes: endpoint.maxAnswerBytes,
          idleTimeoutMs: endpoint.idleTimeoutMs ?? this.options.idleTimeoutMs,
          service: this.service,
        });
        const error = errorForStatus(response, this.service, endpoint.what);
        if (error) throw error;
        return this.answerOf(response);
      },
      this.options.retry,
      { signal: request.signal, kind: endpoint.kind, canRetry: request.canResend, safeResends: endpoint.safeResends },
    );
  }

  /** Sends a request and parses its JSON answer; a body that is not JSON is an UnexpectedResponseError. */
  async sendJson(request: OutgoingRequest, endpoint: Endpoint & { answerName: string }): Promise<{ json: unknown; answer: Answer<S> }> {
    const answer = await this.send(request, endpoint);
    const text = answer.body.toString('utf8');
    try {
      return { json: JSON.parse(text), answer };
    } catch {
      throw new UnexpectedResponseError(
        `${SERVICE_NAMES[this.service]} answered ${endpoint.answerName} with HTTP ${answer.status} but the body is not JSON`,
        {
          ...answer.details,
          field: '(body)',
        },
      );
    }
  }

  /**
   * Opens an upgraded connection (the live websocket) at `path`, with the credentials. An answer
   * instead of an upgrade is mapped as any request's, and the upgrade is opened again as the resend
   * rule allows (nothing has been streamed yet).
   */
  async connect<T>(path: string, endpoint: Endpoint, open: UpgradeOpener<T>, signal?: AbortSignal): Promise<T> {
    const url = `${this.baseUrl.replace(/^http/i, 'ws')}${path}`;
    return await withRetries(
      async () => {
        const opened = await open(url, { ...this.options.auth });
        if (isRefusal(opened)) {
          throw (
            errorForStatus(opened.refused, this.service, endpoint.what) ?? unexpectedUpgrade(opened.refused, this.service, endpoint.what)
          );
        }
        return opened;
      },
      this.options.retry,
      { signal, kind: endpoint.kind, safeResends: endpoint.safeResends },
    );
  }

  private bodyOf(request: OutgoingRequest): { body?: RequestBody; headers: Record<string, string> } {
    if (request.json !== undefined) return { body: JSON.stringify(request.json), headers: { 'content-type': 'application/json' } };
    return request.body ? request.body() : { headers: {} };
  }

  private answerOf(response: TransportResponse): Answer<S> {
    const requestId = requestIdOf(response);
    return {
      ...response,
      requestId,
      details: { service: this.service, status: response.status, body: response.body.toString('utf8'), requestId },
    };
  }

  private ownTransport(): HttpTransport {
    if (!this.transport) {
      const own = createNodeTransport();
      this.transport = own.transport;
      this.closeTransport = own.close;
    }
    return this.transport;
  }
}

function isRefusal<T>(value: T | UpgradeRefusal): value is UpgradeRefusal {
  return typeof value === 'object' && value !== null && 'refused' in value && (value as UpgradeRefusal).refused?.status !== undefined;
}

function unexpectedUpgrade(response: TransportResponse, service: Service, what: string): TranscriptionError {
  return new UnexpectedResponseError(
    `${SERVICE_NAMES[service]} answered HTTP ${response.status} instead of opening the connection while ${what}`,
    {
      service,
      status: response.status,
      body: response.body.toString('utf8'),
    },
  );
}
