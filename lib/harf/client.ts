import type { HttpTransport, RetryOptions } from '../http/types';
import type {
  AlignmentResult,
  HarfFileResult,
  RequestOptions,
  SubmittedTask,
  TaskOutcome,
  TaskStatus,
  UploadOptions,
  UploadSource,
  WaitOptions,
} from './types';

export const DEFAULT_BASE_URL = 'https://harf.roshan-ai.ir';

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

/** The Harf HTTP API (SPEC §1.1–1.4). */
export class HarfClient {
  constructor(_options: HarfClientOptions) {
    throw new Error('not implemented yet');
  }
  /** wait=true: one file result per URL, in order. */
  transcribeUrls(_urls: string[], _options?: RequestOptions): Promise<HarfFileResult[]> { throw new Error('todo'); }
  /** wait=false: one task per URL, in order. */
  submitUrls(_urls: string[], _options?: RequestOptions): Promise<SubmittedTask[]> { throw new Error('todo'); }
  /** Multipart upload of one file, streamed. */
  uploadFile(_source: UploadSource, _options?: UploadOptions): Promise<HarfFileResult[]> { throw new Error('todo'); }
  /** One request about one task. FAILURE/TIMEOUT come back as states, not errors. */
  checkTask(_taskId: string, _options?: RequestOptions): Promise<TaskStatus> { throw new Error('todo'); }
  /** Polls every task until done, bounded; never rejects for one task: each outcome carries its error. */
  waitForTasks(_taskIds: string[], _options?: WaitOptions): Promise<TaskOutcome[]> { throw new Error('todo'); }
  /** Word-level alignment of known text to audio. */
  alignText(_mediaUrl: string, _text: string, _options?: RequestOptions): Promise<AlignmentResult> { throw new Error('todo'); }
}
