/** What the sandbox keeps of each exchange, for tests to assert on. Plain types; imports nothing. */

export interface LiveSegmentMessage {
  segment_id: number;
  text: string;
  start: string;
  end: string;
}

/** What happened in one websocket session, for tests to assert on. */
export interface LiveSessionRecord {
  id: string;
  requestId: string;
  startedAt: string;
  /** Size of every binary frame, in order. */
  frames: number[];
  /** Binary bytes received, header included. */
  totalBytes: number;
  /** Audio bytes after the WAV header. */
  audioBytes: number;
  /** SHA-256 of those audio bytes so far, so a client's streams can be told apart by content. */
  audioSha256: string;
  /** The WAV header's format, once read. */
  header?: { audioFormat: string; sampleRate: number; channels: number; bitsPerSample: number };
  /** Text frames received (such as `finalize`). */
  textFrames: string[];
  /** Messages the server sent, in order. */
  answers: unknown[];
  finalized: boolean;
  closed: boolean;
  closeCode?: number;
  closeReason?: string;
  /** Who started the close. */
  closedBy?: 'client' | 'server';
}

/** One part of a Sync request as it arrived: its name, content type and file name. */
export interface SyncWirePart {
  name: string;
  contentType?: string;
  filename?: string;
}

/**
 * How a Sync request looked on the wire, so two clients' requests can be compared. Never the key:
 * only whether it was the right one.
 */
export interface SyncWire {
  method: string;
  path: string;
  authorization: 'right' | 'wrong' | 'missing';
  /** The X-AAI-Model header as sent. */
  model?: string;
  /** The request's Content-Type, without its boundary. */
  contentType: string;
  transferEncoding?: string;
  contentLength?: number;
  /** Every part in the order it came (the parts read before an early answer, when there was one). */
  parts: SyncWirePart[];
  /** The keys of the config part, in the order sent. */
  configKeys?: string[];
}

/** One request the Sync API received, part by part. */
export interface SyncRequestRecord {
  model?: string;
  audio?: { contentType?: string; filename?: string; bytes: Buffer };
  config?: Record<string, unknown>;
  /** The names of every part, in order. */
  parts: string[];
  status: number;
  /** The error code of a refusal (`bad_audio`, …). */
  errorCode?: string;
  wire: SyncWire;
}
