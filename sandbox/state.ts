import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultControl } from './faults';
import type { SandboxLogEntry } from './http';
import type { LiveSessionRecord, SyncRequestRecord } from './records';

export type LiveFinalForm = 'segment' | 'array' | 'object' | 'state';
export const LIVE_FINAL_FORMS: readonly LiveFinalForm[] = ['segment', 'array', 'object', 'state'];

/** Settings that can change while the sandbox runs (`sandbox.configure`, POST /__sandbox/config). */
export interface SandboxSettings {
  /** How long a task submitted with wait=false stays PENDING (ms). */
  taskDelayMs: number;
  /** How long a wait=true request or an upload takes to answer (ms). */
  processingDelayMs: number;
  /** The form of the live endpoint's answer to `finalize`. */
  liveFinalForm: LiveFinalForm;
  /** Sample rate the AssemblyAI endpoint assumes for the raw PCM it receives. */
  assemblyAiSampleRate: number;
}

export type TaskOutcomeState = 'SUCCESS' | 'FAILURE' | 'TIMEOUT';

export interface SandboxTask {
  id: string;
  mediaUrl: string;
  /** The account that submitted it: another account's check does not see it. */
  account: number;
  /** When it was submitted; it is done `taskDelayMs` later (the setting at the time of asking). */
  submittedAt: number;
  outcome: TaskOutcomeState;
}

/** Everything the handlers share. */
export interface SandboxState {
  token: string;
  /** Every Harf token accepted: `token` first, then the options' `tokens`; each is an account (its index). */
  tokens: string[];
  /** The account whose token a request carries (0 when it carries none that is known). */
  accountOf(req: IncomingMessage): number;
  assemblyAiKey: string;
  settings: SandboxSettings;
  faults: FaultControl;
  log: SandboxLogEntry[];
  liveSessions: LiveSessionRecord[];
  /** The last requests to AssemblyAI's Sync API, part by part. */
  syncRequests: SyncRequestRecord[];
  tasks: Map<string, SandboxTask>;
  /** Durations of uploaded media, by the media URL the sandbox gave them. */
  mediaDurations: Map<string, number>;
  /** Jobs started (each a billed transcription or alignment on the real service). */
  jobs: JobCounter;
  /** Every file uploaded, with its size and SHA-256, oldest first. */
  uploads: SandboxUpload[];
  /** The sandbox's own base URL. */
  url: string;
  closed: boolean;
  /** A pause that ends early (never resolving) when the sandbox closes. */
  sleep(ms: number): Promise<void>;
}

/** Answers one request; the body is still to be read (or drained). */
export type Handler = (state: SandboxState, req: IncomingMessage, res: ServerResponse, entry: SandboxLogEntry) => Promise<void> | void;

/** The jobs the sandbox started, as `GET /__sandbox/jobs` shows them. */
export interface SandboxJobs {
  /** Jobs started: each media URL transcribed or submitted, each upload, each alignment. */
  started: number;
  /** The same, by media URL (or an upload's file name). */
  byMediaUrl: Record<string, number>;
  /** Only when the sandbox accepts more than one token: the same counts by account (token index). */
  byAccount?: Record<string, Record<string, number>>;
}

/** A file the sandbox received as an upload, as `GET /__sandbox/uploads` shows it. */
export interface SandboxUpload {
  fileName: string;
  contentType?: string;
  bytes: number;
  /** SHA-256 of the file's bytes, hex. */
  sha256: string;
  /** The media URL the sandbox gave it. */
  mediaUrl: string;
  /** The account (token index) that uploaded it. */
  account: number;
  /** Milliseconds from the request's headers to its last byte: the upload's time as the server saw it. */
  receivedMs: number;
}

/**
 * Counts every job the service would start (and bill), so a test can prove that a retry never
 * started one twice.
 */
export class JobCounter {
  private started = 0;
  private byMediaUrl = new Map<string, number>();
  private byAccount = new Map<number, Map<string, number>>();

  /** `accounts`: how many tokens the sandbox accepts; counts by account are shown only for more than one. */
  constructor(private readonly accounts = 1) {}

  /** One job started for this media URL or upload file name, by this account. */
  count(mediaUrl: string, account = 0): void {
    this.started += 1;
    this.byMediaUrl.set(mediaUrl, (this.byMediaUrl.get(mediaUrl) ?? 0) + 1);
    const ofAccount = this.byAccount.get(account) ?? new Map<string, number>();
    ofAccount.set(mediaUrl, (ofAccount.get(mediaUrl) ?? 0) + 1);
    this.byAccount.set(account, ofAccount);
  }

  snapshot(): SandboxJobs {
    const jobs: SandboxJobs = { started: this.started, byMediaUrl: Object.fromEntries(this.byMediaUrl) };
    if (this.accounts > 1) {
      jobs.byAccount = {};
      for (let account = 0; account < this.accounts; account++) {
        jobs.byAccount[String(account)] = Object.fromEntries(this.byAccount.get(account) ?? []);
      }
    }
    return jobs;
  }

  reset(): void {
    this.started = 0;
    this.byMediaUrl.clear();
    this.byAccount.clear();
  }
}

export const LOG_LIMIT = 1000;
export const LIVE_SESSION_LIMIT = 200;

export function validateSettings(raw: unknown): Partial<SandboxSettings> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(`settings: found ${JSON.stringify(raw)}, expected an object`);
  }
  const input = raw as Record<string, unknown>;
  const out: Partial<SandboxSettings> = {};
  for (const key of ['taskDelayMs', 'processingDelayMs'] as const) {
    const value = input[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`${key}: found ${JSON.stringify(value)}, expected a number of milliseconds, 0 or more`);
    }
    out[key] = value;
  }
  if (input.liveFinalForm !== undefined) {
    if (!LIVE_FINAL_FORMS.includes(input.liveFinalForm as LiveFinalForm)) {
      throw new Error(`liveFinalForm: found ${JSON.stringify(input.liveFinalForm)}, expected one of ${LIVE_FINAL_FORMS.join(', ')}`);
    }
    out.liveFinalForm = input.liveFinalForm as LiveFinalForm;
  }
  if (input.assemblyAiSampleRate !== undefined) {
    const rate = input.assemblyAiSampleRate;
    if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 1000 || rate > 192000) {
      throw new Error(`assemblyAiSampleRate: found ${JSON.stringify(rate)}, expected an integer from 1000 to 192000`);
    }
    out.assemblyAiSampleRate = rate;
  }
  const unknown = Object.keys(input).filter(
    (k) => !['taskDelayMs', 'processingDelayMs', 'liveFinalForm', 'assemblyAiSampleRate'].includes(k),
  );
  if (unknown.length > 0) {
    throw new Error(`${unknown[0]}: not a setting; expected taskDelayMs, processingDelayMs, liveFinalForm or assemblyAiSampleRate`);
  }
  return out;
}
