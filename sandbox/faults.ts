/**
 * Ways the sandbox can be told to misbehave, so that every client error path can be tested.
 * Each kind of fault is one row of `FAULT_KINDS`: where it acts and how its fields are checked;
 * what it answers is one row of `faultAnswers.ts`.
 */
import { ERROR_FORM_NAMES, type ErrorForm } from './errorForms';

interface FaultBase {
  /** Path prefix the fault applies to; default: any API path (everything but `/` and `/__sandbox/`). */
  path?: string;
  /** How many matching requests it affects; default 1. */
  times?: number;
  /**
   * The request reaches the service first (a job starts and is counted), then the fault replaces
   * its answer: a proxy's 504 in front of a long request, or a connection lost after the job began.
   * For `status`, `html` and `drop`.
   */
  passThrough?: boolean;
}

export type Fault = FaultBase &
  (
    | {
        type: 'status';
        status: number;
        body?: unknown;
        contentType?: string;
        retryAfter?: number;
        /** An AssemblyAI error body form, built from `code` and `message` (instead of `body`). */
        form?: ErrorForm;
        code?: string;
        message?: string;
      }
    | { type: 'html'; status?: number }
    | { type: 'malformed'; body?: string; contentType?: string }
    | { type: 'drop'; early?: boolean }
    | { type: 'stall' }
    | { type: 'delay'; ms: number }
    | { type: 'ws-close'; afterFrames?: number }
    | { type: 'ws-stall'; afterFrames?: number }
    | { type: 'ws-reject'; status?: number }
    /** A 200 JSON answer of `bytes` bytes (`{"state":"PENDING","padding":"aaa…"}`), generated as it is sent. */
    | { type: 'oversized'; bytes: number }
    /** A 200 chunked JSON answer that never ends, a chunk every `intervalMs` (default: as fast as it is read). */
    | { type: 'endless'; intervalMs?: number }
  );

export type FaultType = Fault['type'];

/** `http`: a plain request; `upgrade`: a websocket handshake; `session`: an open websocket. */
export type Exchange = 'http' | 'upgrade' | 'session';

type Raw = Record<string, unknown>;

interface FaultKind {
  exchanges: readonly Exchange[];
  /** Whether `passThrough` may be set. */
  passThrough?: boolean;
  /** Checks the fields of this kind, throwing a FaultShapeError naming the first wrong one. */
  check?(raw: Raw): void;
}

/** A fault given in the wrong shape: names the field, what was found and what was expected. */
export class FaultShapeError extends Error {
  constructor(
    readonly field: string,
    found: unknown,
    expected: string,
  ) {
    super(`fault.${field}: found ${JSON.stringify(found) ?? String(found)}, expected ${expected}`);
    this.name = 'FaultShapeError';
  }
}

function checkInteger(raw: Raw, field: string, min: number, max: number, optional = true): void {
  const value = raw[field];
  if (value === undefined && optional) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new FaultShapeError(field, value, `an integer from ${min} to ${max}`);
  }
}

function checkString(raw: Raw, field: string, what: string): void {
  if (raw[field] !== undefined && typeof raw[field] !== 'string') throw new FaultShapeError(field, raw[field], what);
}

function checkStatusFault(raw: Raw): void {
  checkInteger(raw, 'status', 100, 599, false);
  checkInteger(raw, 'retryAfter', 0, 86_400);
  if (raw.form !== undefined && !ERROR_FORM_NAMES.includes(raw.form as ErrorForm)) {
    throw new FaultShapeError('form', raw.form, `one of ${ERROR_FORM_NAMES.join(', ')}`);
  }
  if (raw.form !== undefined && raw.body !== undefined) throw new FaultShapeError('body', raw.body, 'nothing beside form');
  checkString(raw, 'code', 'an error code, a string');
  checkString(raw, 'message', 'the error message, a string');
}

const ERROR_STATUS = (raw: Raw) => checkInteger(raw, 'status', 400, 599);
const AFTER_FRAMES = (raw: Raw) => checkInteger(raw, 'afterFrames', 0, 1_000_000);

export const FAULT_KINDS: Record<FaultType, FaultKind> = {
  status: { exchanges: ['http', 'upgrade'], passThrough: true, check: checkStatusFault },
  html: { exchanges: ['http', 'upgrade'], passThrough: true, check: ERROR_STATUS },
  malformed: { exchanges: ['http'], check: (raw) => checkString(raw, 'body', 'the response text, a string') },
  drop: {
    exchanges: ['http', 'upgrade'],
    passThrough: true,
    check(raw) {
      if (raw.early !== undefined && typeof raw.early !== 'boolean') throw new FaultShapeError('early', raw.early, 'true or false');
      if (raw.early && raw.passThrough) throw new FaultShapeError('early', raw.early, 'not together with passThrough');
    },
  },
  stall: { exchanges: ['http', 'upgrade'] },
  delay: { exchanges: ['http', 'upgrade'], check: (raw) => checkInteger(raw, 'ms', 0, 600_000, false) },
  'ws-close': { exchanges: ['session'], check: AFTER_FRAMES },
  'ws-stall': { exchanges: ['session'], check: AFTER_FRAMES },
  'ws-reject': { exchanges: ['upgrade'], check: ERROR_STATUS },
  oversized: { exchanges: ['http'], check: (raw) => checkInteger(raw, 'bytes', 64, 2 ** 31, false) },
  endless: { exchanges: ['http'], check: (raw) => checkInteger(raw, 'intervalMs', 0, 60_000) },
};

const FAULT_TYPES = Object.keys(FAULT_KINDS) as FaultType[];

/** Checks a fault given as JSON (or by a test) and returns it typed. */
export function validateFault(raw: unknown): Fault {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new FaultShapeError('', raw, 'an object such as {"type":"status","status":503}');
  }
  const fault = raw as Raw;
  if (!FAULT_TYPES.includes(fault.type as FaultType)) {
    throw new FaultShapeError('type', fault.type, `one of ${FAULT_TYPES.join(', ')}`);
  }
  const kind = FAULT_KINDS[fault.type as FaultType];
  if (fault.path !== undefined && (typeof fault.path !== 'string' || !fault.path.startsWith('/'))) {
    throw new FaultShapeError('path', fault.path, 'a path prefix starting with "/"');
  }
  checkInteger(fault, 'times', 1, 1_000_000);
  if (fault.passThrough !== undefined) {
    if (typeof fault.passThrough !== 'boolean') throw new FaultShapeError('passThrough', fault.passThrough, 'true or false');
    if (fault.passThrough && !kind.passThrough) {
      throw new FaultShapeError(
        'passThrough',
        fault.passThrough,
        `nothing for a ${String(fault.type)} fault (only status, html and drop pass through)`,
      );
    }
  }
  kind.check?.(fault);
  checkString(fault, 'contentType', 'a string');
  return structuredClone(fault) as unknown as Fault;
}

interface QueuedFault {
  fault: Fault;
  remaining: number;
}

/** The queue of faults still to happen. */
export class FaultControl {
  private queue: QueuedFault[] = [];

  /** Queues one fault or several, in order; each is checked first. */
  add(faults: Fault | Fault[]): void {
    const list = (Array.isArray(faults) ? faults : [faults]).map(validateFault);
    for (const fault of list) this.queue.push({ fault, remaining: fault.times ?? 1 });
  }

  clear(): void {
    this.queue = [];
  }

  /** Faults still queued, with how many times each will still happen. */
  pending(): Array<Fault & { remaining: number }> {
    return this.queue.map(({ fault, remaining }) => ({ ...fault, remaining }));
  }

  /** Takes the first queued fault that applies to `path` for this kind of exchange, counting one use. */
  take(path: string, exchange: Exchange): Fault | undefined {
    const index = this.queue.findIndex(({ fault }) => {
      if (fault.path !== undefined ? !path.startsWith(fault.path) : !isApiPath(path)) return false;
      return FAULT_KINDS[fault.type].exchanges.includes(exchange);
    });
    if (index < 0) return undefined;
    const entry = this.queue[index];
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.queue.splice(index, 1);
    return entry.fault;
  }
}

/** Paths a default fault applies to: the services' endpoints, not the sandbox's own pages. */
export function isApiPath(path: string): boolean {
  return path !== '/' && !path.startsWith('/__sandbox');
}
