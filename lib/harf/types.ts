import type { Readable } from 'node:stream';
import type { FileTranscriptResult, TimedSegment } from '../transcript/types';

/** One timed piece of a transcript as Harf sends it. Times are `H:MM:SS` or `H:MM:SS.ffffff`. */
export type HarfSegment = TimedSegment;

/** The result for one file (Harf API reference), kept exactly as the service sent it. */
export type HarfFileResult = FileTranscriptResult;

/** A submitted URL and the id of the task transcribing it. */
export interface SubmittedTask {
  task_id: string;
  media_url: string;
}

export type TaskState = 'PENDING' | 'FAILURE' | 'TIMEOUT' | 'SUCCESS';

/** One answer about one task. `results` is there when `state` is SUCCESS. */
export interface TaskStatus {
  task_id: string;
  state: TaskState;
  results?: HarfFileResult[];
}

/** The end of waiting for one task: its results, or the error that ended it (nothing is lost). */
export interface TaskOutcome {
  task_id: string;
  state: TaskState;
  results?: HarfFileResult[];
  /** TaskFailedError, TaskTimedOutError, WaitTimeoutError or any request error for this task. */
  error?: Error;
  /** How many times the task's state was asked. */
  checks: number;
}

export interface WaitProgress {
  total: number;
  done: number;
  pending: number;
  failed: number;
  /** The task whose answer caused this report. */
  task_id: string;
  state: TaskState;
  elapsedMs: number;
}

export interface WaitOptions {
  /** First pause between two checks of one task (ms). Default 2000. */
  intervalMs?: number;
  /** Each pause is the previous one times this factor. Default 1.5. */
  backoffFactor?: number;
  /** Longest pause between two checks (ms). Default 30000. */
  maxIntervalMs?: number;
  /** Overall limit for all tasks (ms); tasks still pending then end with a WaitTimeoutError. Default 30 min. */
  timeoutMs?: number;
  /** How many status requests may be under way at once. Default 4. */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (progress: WaitProgress) => void;
  /** A sleep that honours the signal; n8n passes its own. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/** Where an upload's bytes come from. A path or a stream is streamed, never read whole. */
export type UploadSource = Buffer | Readable | string;

export interface UploadOptions extends RequestOptions {
  /** Name sent with the file part; defaults to the path's base name, else `audio`. */
  filename?: string;
  /** Content-Type of the file part; defaults to one guessed from the file name. */
  contentType?: string;
  /** Byte length of a stream source, when known (sent as Content-Length). */
  knownLength?: number;
  /** Bytes sent so far, reported as the upload streams. */
  onProgress?: (sentBytes: number, totalBytes: number | undefined) => void;
}

export interface AlignmentResult {
  media_url: string;
  text: string;
  segments: HarfSegment[];
  [field: string]: unknown;
}

/** A segment sent on the live websocket. */
export interface LiveSegment extends HarfSegment {
  segment_id?: number;
}
