/** Ways the sandbox can be told to misbehave, so that every client error path can be tested. */
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
    | { type: 'status'; status: number; body?: unknown; contentType?: string; retryAfter?: number }
    | { type: 'html'; status?: number }
    | { type: 'malformed'; body?: string; contentType?: string }
    | { type: 'drop'; early?: boolean }
    | { type: 'stall' }
    | { type: 'delay'; ms: number }
    | { type: 'ws-close'; afterFrames?: number }
    | { type: 'ws-stall'; afterFrames?: number }
    | { type: 'ws-reject'; status?: number }
  );

export type FaultType = Fault['type'];

/** Faults that act on a websocket session once it is open; the others act on a request or an upgrade. */
const WEBSOCKET_ONLY: readonly FaultType[] = ['ws-close', 'ws-stall', 'ws-reject'];
const FAULT_TYPES: readonly FaultType[] = ['status', 'html', 'malformed', 'drop', 'stall', 'delay', 'ws-close', 'ws-stall', 'ws-reject'];

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

function checkInteger(raw: Record<string, unknown>, field: string, min: number, max: number, optional = true): void {
  const value = raw[field];
  if (value === undefined && optional) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new FaultShapeError(field, value, `an integer from ${min} to ${max}`);
  }
}

/** Checks a fault given as JSON (or by a test) and returns it typed. */
export function validateFault(raw: unknown): Fault {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new FaultShapeError('', raw, 'an object such as {"type":"status","status":503}');
  }
  const fault = raw as Record<string, unknown>;
  if (!FAULT_TYPES.includes(fault.type as FaultType)) {
    throw new FaultShapeError('type', fault.type, `one of ${FAULT_TYPES.join(', ')}`);
  }
  if (fault.path !== undefined && (typeof fault.path !== 'string' || !fault.path.startsWith('/'))) {
    throw new FaultShapeError('path', fault.path, 'a path prefix starting with "/"');
  }
  checkInteger(fault, 'times', 1, 1_000_000);
  if (fault.passThrough !== undefined) {
    if (typeof fault.passThrough !== 'boolean') throw new FaultShapeError('passThrough', fault.passThrough, 'true or false');
    if (fault.passThrough && !['status', 'html', 'drop'].includes(fault.type as string)) {
      throw new FaultShapeError('passThrough', fault.passThrough, `nothing for a ${String(fault.type)} fault (only status, html and drop pass through)`);
    }
  }
  switch (fault.type) {
    case 'status':
      checkInteger(fault, 'status', 100, 599, false);
      checkInteger(fault, 'retryAfter', 0, 86_400);
      break;
    case 'html':
    case 'ws-reject':
      checkInteger(fault, 'status', 400, 599);
      break;
    case 'malformed':
      if (fault.body !== undefined && typeof fault.body !== 'string') {
        throw new FaultShapeError('body', fault.body, 'the response text, a string');
      }
      break;
    case 'drop':
      if (fault.early !== undefined && typeof fault.early !== 'boolean') throw new FaultShapeError('early', fault.early, 'true or false');
      if (fault.early && fault.passThrough) throw new FaultShapeError('early', fault.early, 'not together with passThrough');
      break;
    case 'delay':
      checkInteger(fault, 'ms', 0, 600_000, false);
      break;
    case 'ws-close':
    case 'ws-stall':
      checkInteger(fault, 'afterFrames', 0, 1_000_000);
      break;
    default:
      break;
  }
  if (fault.contentType !== undefined && typeof fault.contentType !== 'string') {
    throw new FaultShapeError('contentType', fault.contentType, 'a string');
  }
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

  /**
   * Takes the first queued fault that applies to `path` for this kind of exchange, counting one use.
   * `http`: a plain request; `upgrade`: a websocket handshake; `session`: an open websocket.
   */
  take(path: string, exchange: 'http' | 'upgrade' | 'session'): Fault | undefined {
    const index = this.queue.findIndex(({ fault }) => {
      if (fault.path !== undefined ? !path.startsWith(fault.path) : !isApiPath(path)) return false;
      if (exchange === 'session') return fault.type === 'ws-close' || fault.type === 'ws-stall';
      if (exchange === 'upgrade') return fault.type !== 'ws-close' && fault.type !== 'ws-stall' && fault.type !== 'malformed';
      return !WEBSOCKET_ONLY.includes(fault.type);
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
