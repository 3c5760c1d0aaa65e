import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import type { LiveSegment } from './types';

export const FRAME_BYTES = 32000;

export interface LiveSessionOptions {
  token: string;
  baseUrl?: string;
  signal?: AbortSignal;
  /** Limit for the websocket to open (ms). Default 15000. */
  connectTimeoutMs?: number;
  /** Limit for the server's final answer after `finalize` (ms). Default 60000. */
  finalTimeoutMs?: number;
  /** Frames sent before their answers arrive. Default 4. */
  maxFramesInFlight?: number;
}

export interface LiveResult {
  segments: LiveSegment[];
  /** Frames sent, the last (short) one included. */
  frames: number;
  bytes: number;
}

/**
 * One live transcription over the websocket (SPEC §1.5).
 * Events: 'segment' (LiveSegment), 'pending', 'error' (Error), 'close'.
 * Audio written must already be 16 kHz mono 16-bit WAV (header first); use
 * `transcribeLive` or lib/audio's converter for anything else.
 */
export class LiveSession extends EventEmitter {
  /** Every segment received so far, in arrival order. */
  readonly segments: LiveSegment[] = [];
  static open(_options: LiveSessionOptions): Promise<LiveSession> { throw new Error('todo'); }
  /** Queues audio bytes of any length; resolves when they are framed and sent (backpressure). */
  write(_chunk: Buffer): Promise<void> { throw new Error('todo'); }
  /** Sends the tail frame and `finalize`, waits for the final answer, closes. */
  finalize(): Promise<LiveResult> { throw new Error('todo'); }
  /** Closes at once (idle timeout, redeploy); the segments received stay in `segments`. */
  close(): void { throw new Error('todo'); }
}

export interface TranscribeLiveOptions extends LiveSessionOptions {
  /** Send one frame per second of audio, as a live source would. Default false. */
  realtime?: boolean;
  onSegment?: (segment: LiveSegment) => void;
  /** Seconds of audio sent so far. */
  onProgress?: (sentSeconds: number) => void;
}

/** Streams a whole WAV (any format lib/audio reads, converted as needed) and returns the segments. */
export function transcribeLive(_audio: Buffer | Readable, _options: TranscribeLiveOptions): Promise<LiveResult> {
  throw new Error('todo');
}
