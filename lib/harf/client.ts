import { setMaxListeners } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { AbortedError, BadInputError, TaskFailedError, TaskTimedOutError, WaitTimeoutError, checkSecret, describeValue } from '../errors';
import { Requester, type Answer, type Endpoint } from '../http/requester';
import { abortableSleep, type RequestKind } from '../http/retry';
import { checkBaseUrl } from '../http/url';
import type { HttpTransport, RetryOptions } from '../http/types';
import { checkedMediaUrl } from './input';
import { DEFAULT_POLLING } from './settings';
import { peekStream, uploadNameAndType } from './mediaTypes';
import type {
  AlignmentResult,
  HarfFileResult,
  RequestOptions,
  SubmittedTask,
  TaskOutcome,
  TaskState,
  TaskStatus,
  UploadOptions,
  UploadSource,
  WaitOptions,
} from './types';
import { checkAlignment, checkFileResults, checkSubmitted, harfChecker } from './validate';
import {
  checkDiarization,
  checkIdentification,
  checkIndexing,
  checkSampleUrls,
  checkSpeakerSamples,
  checkVerification,
  type DiarizationResult,
  type IdentificationResult,
  type IndexedSegment,
  type SpeakerSamples,
  type VerificationResult,
} from './speakers';

export const DEFAULT_BASE_URL = 'https://harf.roshan-ai.ir';
const TRANSCRIBE_PATH = '/api/transcribe_files/';
const ALIGNMENT_PATH = '/api/alignment/';
const SPEAKER_TASKS_PATH = '/api/speaker_tasks/';
const HEALTHCHECK_PATH = '/api/healthcheck/';

/** Harf's healthcheck answer. */
export interface HealthcheckResult {
  status: string;
  message?: string;
  [field: string]: unknown;
}

export { DEFAULT_POLLING } from './settings';

// Celery's in-progress states; the service documents PENDING, but a broker may report these too.
const STILL_WORKING = new Set(['PENDING', 'RECEIVED', 'STARTED', 'RETRY']);

export interface HarfClientOptions {
  /** The TOKEN_KEY. Sent as `Authorization: Token …`; never appears in an error. */
  token: string;
  /** Default https://harf.roshan-ai.ir; on-premise installs and the sandbox use another. */
  baseUrl?: string;
  retry?: RetryOptions;
  /** Per-request limit for an answer to start (ms). Default 10 min (wait=true requests are long). */
  requestTimeoutMs?: number;
  /** Replaces node:http (n8n passes one built on its request helpers). */
  transport?: HttpTransport;
}

/** Checks a Harf base URL (http or https) and returns it without trailing slashes. */
export function checkHarfBaseUrl(value: unknown, field = 'baseUrl'): string {
  return checkBaseUrl(value, field, DEFAULT_BASE_URL);
}

/** The text to align: the words spoken in the media, trimmed; empty or not text is refused naming `field`. */
export function checkAlignmentText(value: unknown, field = 'text'): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new BadInputError(field, describeValue(value), 'the text spoken in the media, words separated by spaces');
  }
  return value.trim();
}

export function checkToken(value: unknown, field = 'token'): string {
  return checkSecret(value, field, 'the TOKEN_KEY Harf issued');
}

/** Checks a list of media URLs, naming the position of the first bad one. */
export function checkMediaUrls(urls: unknown, field = 'media_urls'): string[] {
  if (!Array.isArray(urls) || urls.length === 0) {
    throw new BadInputError(field, describeValue(urls), 'one or more http:// or https:// media URLs', 'invalid-url');
  }
  return urls.map((url, index) => checkedMediaUrl(url, `${field}[${index}]`));
}

/** The Harf HTTP API (Harf API reference: transcription, tasks, alignment). */
export class HarfClient {
  readonly baseUrl: string;
  private readonly requester: Requester<'harf'>;

  constructor(options: HarfClientOptions) {
    const token = checkToken(options.token);
    this.baseUrl = checkHarfBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
    this.requester = new Requester({
      service: 'harf',
      baseUrl: this.baseUrl,
      auth: { authorization: `Token ${token}` },
      transport: options.transport,
      retry: options.retry,
      timeoutMs: options.requestTimeoutMs ?? 600_000,
    });
  }

  /** Closes idle keep-alive connections (a Node-RED redeploy, the end of a job). The client stays usable. */
  close(): void {
    this.requester.close();
  }

  /** wait=true: one file result per URL, in order. */
  async transcribeUrls(urls: string[], options: RequestOptions = {}): Promise<HarfFileResult[]> {
    const mediaUrls = checkMediaUrls(urls);
    const { json, answer } = await this.postJson(
      TRANSCRIBE_PATH,
      { media_urls: mediaUrls, wait: true },
      { what: 'transcribing URLs', answerName: 'the transcription' },
      options,
    );
    throwForState(json, undefined, answer);
    return checkFileResults(json, 'the transcription', answer.details, mediaUrls.length);
  }

  /** wait=false: one task per URL, in order. */
  async submitUrls(urls: string[], options: RequestOptions = {}): Promise<SubmittedTask[]> {
    const mediaUrls = checkMediaUrls(urls);
    const { json, answer } = await this.postJson(
      TRANSCRIBE_PATH,
      { media_urls: mediaUrls, wait: false },
      { what: 'submitting URLs', answerName: 'the submission' },
      options,
    );
    const ids = checkSubmitted(json, answer.details, mediaUrls);
    return ids.map((task_id, index) => ({ task_id, media_url: mediaUrls[index] }));
  }

  /** Multipart upload of one file, streamed with constant memory. */
  async uploadFile(source: UploadSource, options: UploadOptions = {}): Promise<HarfFileResult[]> {
    const file = await describeUpload(source, options);
    // Loaded here: flows that only send media URLs never load the form builder.
    const { multipartBody } = await import('../http/multipart');
    let attemptStarted = false;
    const { json, answer } = await this.requester.sendJson(
      {
        method: 'POST',
        path: TRANSCRIBE_PATH,
        body: () => {
          attemptStarted = true;
          const content = countBytes(file.open(), file.size, options.onProgress);
          const form = multipartBody([{ name: 'media', filename: file.filename, contentType: file.contentType, content, size: file.size }]);
          const headers: Record<string, string> = { 'content-type': form.contentType };
          if (form.length !== undefined) headers['content-length'] = String(form.length);
          return { body: form.body, headers };
        },
        // A one-shot stream cannot be sent twice.
        canResend: () => file.replayable || !attemptStarted,
        signal: options.signal,
      },
      { what: 'uploading a file', kind: 'startsJob', answerName: 'the upload' },
    );
    throwForState(json, undefined, answer);
    return checkFileResults(json, 'the upload', answer.details, 1);
  }

  /** One request about one task. FAILURE/TIMEOUT come back as states, not errors. */
  async checkTask(taskId: string, options: RequestOptions = {}): Promise<TaskStatus> {
    if (typeof taskId !== 'string' || taskId.trim() === '') {
      throw new BadInputError('task_id', describeValue(taskId), 'a task id returned when the URLs were submitted');
    }
    const id = taskId.trim();
    const { json, answer } = await this.postJson(
      TRANSCRIBE_PATH,
      { tasks_ids: [id], wait: false },
      { what: `checking task ${id}`, answerName: 'the status check', kind: 'asks' },
      options,
    );
    if (Array.isArray(json)) {
      return { task_id: id, state: 'SUCCESS', results: checkFileResults(json, `the status of task ${id}`, answer.details) };
    }
    const checker = harfChecker(`the status of task ${id}`, answer.details);
    const state = checker.string(checker.object(json, '(body)').state, 'state');
    if (STILL_WORKING.has(state)) return { task_id: id, state: 'PENDING' };
    if (state === 'FAILURE' || state === 'TIMEOUT') return { task_id: id, state };
    return checker.fail('state', 'PENDING, FAILURE, TIMEOUT or the file results', state);
  }

  /**
   * Asks once about each task, one task per request, at most `concurrency` (default 4) at once.
   * A request that fails gives that task's entry an `error`; the others are unaffected.
   */
  async checkTasks(
    taskIds: string[],
    options: RequestOptions & { concurrency?: number } = {},
  ): Promise<Array<TaskStatus & { error?: Error }>> {
    if (!Array.isArray(taskIds) || taskIds.length === 0) {
      throw new BadInputError('task_ids', describeValue(taskIds), 'one or more task ids');
    }
    const slots = new Semaphore(Math.max(1, options.concurrency ?? DEFAULT_POLLING.concurrency));
    return await Promise.all(
      taskIds.map((taskId) =>
        slots.run(() =>
          this.checkTask(taskId, options).catch((error: Error) => {
            if (error instanceof AbortedError) throw error;
            return { task_id: String(taskId), state: 'PENDING' as TaskState, error };
          }),
        ),
      ),
    );
  }

  /** Polls every task until done, bounded; never rejects for one task: each outcome carries its error. */
  async waitForTasks(taskIds: string[], options: WaitOptions = {}): Promise<TaskOutcome[]> {
    if (!Array.isArray(taskIds) || taskIds.length === 0) {
      throw new BadInputError('task_ids', describeValue(taskIds), 'one or more task ids');
    }
    const pace = pacing(options);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), pace.timeoutMs);
    const stop = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
    // Every waiting task listens on it: many listeners are expected, not a leak.
    setMaxListeners(0, stop);
    const outcomes: TaskOutcome[] = taskIds.map((task_id) => ({ task_id, state: 'PENDING' as TaskState, checks: 0 }));
    const follower = new TaskFollower(this, outcomes, pace, stop, options);
    try {
      await Promise.all(outcomes.map((outcome) => follower.follow(outcome)));
    } finally {
      clearTimeout(timer);
    }
    if (options.signal?.aborted) throw new AbortedError('Waiting for the Harf tasks was cancelled');
    return outcomes;
  }

  /** Word-level alignment of known text to audio. */
  async alignText(mediaUrl: string, text: string, options: RequestOptions = {}): Promise<AlignmentResult> {
    const [url] = checkMediaUrls([mediaUrl], 'media_url');
    const words = checkAlignmentText(text);
    const { json, answer } = await this.postJson(
      ALIGNMENT_PATH,
      { media_url: url, text: words },
      { what: 'aligning text', answerName: 'the alignment' },
      options,
    );
    return checkAlignment(json, answer.details);
  }

  /** Who speaks when in each file: one result per URL, in order, anonymous labels `speaker_0…`. */
  async diarizeSpeakers(urls: string[], options: RequestOptions = {}): Promise<DiarizationResult[]> {
    const mediaUrls = checkMediaUrls(urls);
    const { json, answer } = await this.postJson(
      `${SPEAKER_TASKS_PATH}diarization/`,
      { media_urls: mediaUrls },
      { what: 'diarizing speakers', answerName: 'the diarization' },
      options,
    );
    return checkDiarization(json, answer.details, mediaUrls);
  }

  /** Which of the named speakers (each with sample URLs) speaks in the media, if any. */
  async identifySpeaker(mediaUrl: string, speakers: SpeakerSamples, options: RequestOptions = {}): Promise<IdentificationResult> {
    const [url] = checkMediaUrls([mediaUrl], 'media_url');
    const targets = checkSpeakerSamples(speakers);
    const { json, answer } = await this.postJson(
      `${SPEAKER_TASKS_PATH}identification/`,
      { media_url: url, target_urls: targets },
      { what: 'identifying a speaker', answerName: 'the identification' },
      options,
    );
    return checkIdentification(json, answer.details);
  }

  /** Whether the media's speaker is the person of the samples (all samples of one person). */
  async verifySpeaker(mediaUrl: string, sampleUrls: string[], options: RequestOptions = {}): Promise<VerificationResult> {
    const [url] = checkMediaUrls([mediaUrl], 'media_url');
    const samples = checkSampleUrls(sampleUrls);
    const { json, answer } = await this.postJson(
      `${SPEAKER_TASKS_PATH}verification/`,
      { media_url: url, target_urls: samples },
      { what: 'verifying a speaker', answerName: 'the verification' },
      options,
    );
    return checkVerification(json, answer.details);
  }

  /** Each single-speaker stretch of the media, matched against the named speakers. */
  async indexSpeakers(mediaUrl: string, speakers: SpeakerSamples, options: RequestOptions = {}): Promise<IndexedSegment[]> {
    const [url] = checkMediaUrls([mediaUrl], 'media_url');
    const targets = checkSpeakerSamples(speakers);
    const { json, answer } = await this.postJson(
      `${SPEAKER_TASKS_PATH}indexing/`,
      { media_url: url, target_urls: targets },
      { what: 'indexing speakers', answerName: 'the indexing' },
      options,
    );
    return checkIndexing(json, answer.details);
  }

  /** GET /api/healthcheck/ with the token: resolves when the service is up and the token is accepted. */
  async healthcheck(options: RequestOptions = {}): Promise<HealthcheckResult> {
    const { json, answer } = await this.requester.sendJson(
      { method: 'GET', path: HEALTHCHECK_PATH, signal: options.signal },
      { what: 'checking the service', kind: 'asks', answerName: 'the healthcheck' },
    );
    const checker = harfChecker('the healthcheck', answer.details);
    const body = checker.object(json, '(body)');
    checker.string(body.status, 'status');
    return body as HealthcheckResult;
  }

  private postJson(
    path: string,
    json: unknown,
    endpoint: Omit<Endpoint, 'kind'> & { answerName: string; kind?: RequestKind },
    options: RequestOptions,
  ): Promise<{ json: unknown; answer: Answer<'harf'> }> {
    return this.requester.sendJson({ method: 'POST', path, json, signal: options.signal }, { kind: 'startsJob', ...endpoint });
  }
}

/** wait=true and upload answers may be a bare state when the job failed. */
function throwForState(body: unknown, taskId: string | undefined, answer: Answer<'harf'>): void {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return;
  const state = (body as { state?: unknown }).state;
  if (state === 'FAILURE') throw new TaskFailedError(taskId, answer.details);
  if (state === 'TIMEOUT') throw new TaskTimedOutError(taskId, answer.details);
}

/** How waitForTasks paces its checks, from the caller's options and the defaults. */
interface Pace {
  interval: number;
  factor: number;
  maxInterval: number;
  timeoutMs: number;
  concurrency: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

function pacing(options: WaitOptions): Pace {
  const interval = positive(options.intervalMs, DEFAULT_POLLING.intervalMs, 'intervalMs');
  return {
    interval,
    factor: Math.max(1, options.backoffFactor ?? DEFAULT_POLLING.backoffFactor),
    maxInterval: Math.max(interval, positive(options.maxIntervalMs, DEFAULT_POLLING.maxIntervalMs, 'maxIntervalMs')),
    timeoutMs: positive(options.timeoutMs, DEFAULT_POLLING.timeoutMs, 'timeoutMs'),
    concurrency: Math.max(1, options.concurrency ?? DEFAULT_POLLING.concurrency),
    sleep: options.sleep ?? abortableSleep,
  };
}

/** Follows each task to its end, one status request per check, a bounded number at once. */
class TaskFollower {
  private readonly slots: Semaphore;
  private readonly started = Date.now();
  private readonly counts = { done: 0, failed: 0 };

  constructor(
    private readonly client: HarfClient,
    private readonly outcomes: TaskOutcome[],
    private readonly pace: Pace,
    private readonly stop: AbortSignal,
    private readonly options: WaitOptions,
  ) {
    this.slots = new Semaphore(pace.concurrency);
  }

  async follow(outcome: TaskOutcome): Promise<void> {
    let pause = this.pace.interval;
    while (!this.stop.aborted) {
      try {
        await this.check(outcome);
      } catch (error) {
        if (this.stop.aborted) break;
        return this.settle(outcome, error as Error);
      }
      if (this.stop.aborted) break;
      if (outcome.state === 'SUCCESS') return this.settle(outcome);
      if (outcome.state === 'FAILURE') return this.settle(outcome, new TaskFailedError(outcome.task_id, { service: 'harf' }));
      if (outcome.state === 'TIMEOUT') return this.settle(outcome, new TaskTimedOutError(outcome.task_id, { service: 'harf' }));
      this.report(outcome);
      try {
        await this.pace.sleep(pause, this.stop);
      } catch {
        break;
      }
      pause = Math.min(this.pace.maxInterval, pause * this.pace.factor);
    }
    // Stopped while still pending: by the caller (waitForTasks rethrows) or by the deadline.
    outcome.error = new WaitTimeoutError(
      `Task ${outcome.task_id} was still PENDING after ${Math.round(this.pace.timeoutMs / 1000)} s of waiting (${outcome.checks} checks)`,
      this.pace.timeoutMs,
      { service: 'harf' },
    );
  }

  private check(outcome: TaskOutcome): Promise<void> {
    return this.slots.run(async () => {
      if (this.stop.aborted) return;
      outcome.checks++;
      const status = await this.client.checkTask(outcome.task_id, { signal: this.stop });
      outcome.state = status.state;
      outcome.results = status.results;
    });
  }

  private settle(outcome: TaskOutcome, error?: Error): void {
    if (error) {
      outcome.error = error;
      this.counts.failed++;
    } else this.counts.done++;
    this.report(outcome);
  }

  private report(outcome: TaskOutcome): void {
    const { done, failed } = this.counts;
    this.options.onProgress?.({
      total: this.outcomes.length,
      done,
      failed,
      pending: this.outcomes.length - done - failed,
      task_id: outcome.task_id,
      state: outcome.state,
      elapsedMs: Date.now() - this.started,
    });
  }
}

interface UploadFile {
  filename: string;
  contentType: string;
  size?: number;
  replayable: boolean;
  open: () => Readable;
}

async function describeUpload(source: UploadSource, options: UploadOptions): Promise<UploadFile> {
  // Name and type decide what the service accepts; the first bytes settle them when both say nothing.
  const named = (head: Buffer, fallbackName?: string) => {
    // A name given as a path (a Node-RED msg.filename, Windows' too) is sent as the file's name alone.
    const given = options.filename?.split(/[\\/]/).pop();
    const { fileName, mimeType } = uploadNameAndType(given || fallbackName, options.contentType, 'file', head);
    return { filename: fileName, contentType: mimeType };
  };
  if (Buffer.isBuffer(source)) {
    if (source.length === 0) throw new BadInputError('file', 'an empty Buffer (0 bytes)', 'the bytes of an audio or video file');
    return { ...named(source.subarray(0, 16)), size: source.length, replayable: true, open: () => Readable.from([source]) };
  }
  if (typeof source === 'string') {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(source);
    } catch {
      throw new BadInputError('file', `the path "${source}", which does not exist or cannot be read`, 'the path of an audio or video file');
    }
    if (!stat.isFile()) throw new BadInputError('file', `the path "${source}", which is not a file`, 'the path of an audio or video file');
    if (stat.size === 0) throw new BadInputError('file', `the empty file "${source}"`, 'an audio or video file with content');
    const handle = await fs.promises.open(source, 'r');
    const head = Buffer.alloc(16);
    try {
      await handle.read(head, 0, 16, 0);
    } finally {
      await handle.close();
    }
    return {
      ...named(head, path.basename(source)),
      size: stat.size,
      replayable: true,
      open: () => fs.createReadStream(source, { highWaterMark: 256 * 1024 }),
    };
  }
  if (source instanceof Readable) {
    const head = await peekStream(source);
    let used = false;
    return {
      ...named(head),
      size: options.knownLength,
      replayable: false,
      open: () => {
        if (used)
          throw new BadInputError(
            'file',
            'a stream that was already read',
            'a fresh stream (or a path or Buffer, which can be sent again)',
          );
        used = true;
        return source;
      },
    };
  }
  throw new BadInputError('file', describeValue(source), 'a Buffer, a readable stream or a file path');
}

function countBytes(stream: Readable, total: number | undefined, onProgress?: (sent: number, total?: number) => void): Readable {
  if (!onProgress) return stream;
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      onProgress(sent, total);
      callback(null, chunk);
    },
  });
  stream.on('error', (error) => counter.destroy(error));
  return stream.pipe(counter);
}

function positive(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new BadInputError(field, describeValue(value), 'a positive number of milliseconds');
  }
  return value;
}

/** Bounds how many status requests are under way at once. */
class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}
