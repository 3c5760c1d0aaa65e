import type { WebSocket } from 'ws';
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { SeededRandom } from './random';
import type { LiveSegmentMessage, LiveSessionRecord } from './records';
import type { SandboxState } from './state';
import { LIVE_SESSION_LIMIT } from './state';
import { formatTime } from './time';
import { GolestanReader } from './transcripts';
import { describeFormat, isHarfLiveFormat, readWavHeader } from './wav';

export type { LiveSegmentMessage, LiveSessionRecord } from './records';

export const LIVE_PATH = '/ws_api/transcribe_files/wav/sync/';

/** 16 kHz, 16-bit, mono. */
const BYTES_PER_SECOND = 32000;
const SEGMENT_SECONDS = 5;
const MAX_HEADER_BYTES = 64 * 1024;

/** Close reasons are limited to 123 bytes by the websocket protocol. */
function shortReason(reason: string): string {
  let out = reason;
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1);
  return out;
}

function newRecord(requestId: string): LiveSessionRecord {
  return {
    id: randomUUID(),
    requestId,
    startedAt: new Date().toISOString(),
    frames: [],
    totalBytes: 0,
    audioBytes: 0,
    audioSha256: createHash('sha256').digest('hex'),
    textFrames: [],
    answers: [],
    finalized: false,
    closed: false,
  };
}

/** One websocket session of Harf's live endpoint: a WAV header, then audio, then `finalize`. */
class LiveSession {
  readonly record: LiveSessionRecord;
  private readonly reader: GolestanReader;
  private readonly audioHash: Hash = createHash('sha256');
  /** ws-close: the server closes with 1011 after that many frames. */
  private readonly closeAfter?: number;
  /** ws-stall: keeps reading but stops answering, as an overloaded server would. */
  private readonly stallAfter?: number;
  private headerBytes: Buffer | undefined = Buffer.alloc(0);
  private headerOk = false;
  private segmentId = 0;
  private uncertainSoFar = false;
  private emittedSeconds = 0;
  private pendingAudio = 0;
  private closing = false;

  constructor(
    private readonly state: SandboxState,
    private readonly ws: WebSocket,
    requestId: string,
  ) {
    this.record = newRecord(requestId);
    this.reader = new GolestanReader(new SeededRandom(`live:${this.record.id}`));
    const fault = state.faults.take(LIVE_PATH, 'session');
    if (fault?.type === 'ws-close') this.closeAfter = fault.afterFrames ?? 1;
    if (fault?.type === 'ws-stall') this.stallAfter = fault.afterFrames ?? 1;
  }

  private send(message: unknown): void {
    this.record.answers.push(message);
    this.ws.send(JSON.stringify(message));
  }

  closeByServer(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.record.closedBy = 'server';
    this.ws.close(code, shortReason(reason));
  }

  private takeSegment(): LiveSegmentMessage {
    const seconds = this.pendingAudio / BYTES_PER_SECOND;
    this.segmentId += 1;
    // Like file results, a stream of two segments or more always has an uncertain word to review.
    const text = this.reader.nextSegmentText(true, this.segmentId === 2 && !this.uncertainSoFar);
    if (text.includes('[')) this.uncertainSoFar = true;
    const segment = {
      segment_id: this.segmentId,
      text,
      start: formatTime(this.emittedSeconds),
      end: formatTime(this.emittedSeconds + seconds),
    };
    this.emittedSeconds += seconds;
    this.pendingAudio = 0;
    return segment;
  }

  private addAudio(bytes: Buffer): void {
    this.pendingAudio += bytes.length;
    this.record.audioBytes += bytes.length;
    if (bytes.length === 0) return;
    this.audioHash.update(bytes);
    this.record.audioSha256 = this.audioHash.copy().digest('hex');
  }

  /** Takes in one binary frame; false when the session was closed because of it. */
  private acceptAudio(frame: Buffer): boolean {
    if (this.headerOk) {
      this.addAudio(frame);
      return true;
    }
    const headerBytes = Buffer.concat([this.headerBytes ?? Buffer.alloc(0), frame]);
    this.headerBytes = headerBytes;
    const result = readWavHeader(headerBytes);
    if (result.kind === 'not-wav') {
      this.closeByServer(1007, `Expected WAV bytes (RIFF header first); found ${result.found}`);
      return false;
    }
    if (result.kind === 'incomplete') {
      if (headerBytes.length <= MAX_HEADER_BYTES) return true;
      this.closeByServer(1007, 'No WAV data chunk in the first 64 KiB');
      return false;
    }
    const { audioFormat, sampleRate, channels, bitsPerSample, dataOffset } = result.header;
    this.record.header = { audioFormat, sampleRate, channels, bitsPerSample };
    if (!isHarfLiveFormat(result.header)) {
      this.closeByServer(1007, `WAV is ${describeFormat(result.header)}; needs 16000 Hz mono 16-bit PCM`);
      return false;
    }
    this.headerOk = true;
    this.addAudio(headerBytes.subarray(Math.min(dataOffset, headerBytes.length)));
    this.headerBytes = undefined;
    return true;
  }

  onBinary(bytes: Buffer): void {
    this.record.frames.push(bytes.length);
    this.record.totalBytes += bytes.length;
    if (!this.acceptAudio(bytes)) return;
    if (this.stallAfter !== undefined && this.record.frames.length > this.stallAfter) return;
    this.send(this.headerOk && this.pendingAudio >= SEGMENT_SECONDS * BYTES_PER_SECOND ? this.takeSegment() : { state: 'PENDING' });
    if (this.closeAfter !== undefined && this.record.frames.length >= this.closeAfter) {
      this.closeByServer(1011, 'Internal server error (sandbox fault)');
    }
  }

  onText(text: string): void {
    this.record.textFrames.push(text);
    if (text.trim().toLowerCase() === 'finalize') this.finalize();
  }

  private finalize(): void {
    this.record.finalized = true;
    const remaining = this.pendingAudio > 0 ? [this.takeSegment()] : [];
    const answers: Record<typeof this.state.settings.liveFinalForm, unknown[]> = {
      segment: [remaining[0] ?? { state: 'SUCCESS' }],
      array: [remaining],
      object: [{ segments: remaining }],
      // The last audio still arrives, as an ordinary segment, before the state.
      state: [...remaining.slice(0, 1), { state: 'SUCCESS' }],
    };
    for (const answer of answers[this.state.settings.liveFinalForm]) this.send(answer);
    this.closeByServer(1000, 'finalized');
  }

  start(): void {
    if (this.closeAfter === 0) this.closeByServer(1011, 'Internal server error (sandbox fault)');
    this.ws.on('message', (data, isBinary) => {
      if (this.closing) return;
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      if (isBinary) this.onBinary(bytes);
      else this.onText(bytes.toString('utf8'));
    });
    this.ws.on('close', (code, reason) => {
      this.record.closed = true;
      this.record.closeCode = code;
      this.record.closeReason = reason.toString('utf8');
      if (!this.record.closedBy) this.record.closedBy = 'client';
    });
    this.ws.on('error', () => {
      // a broken connection ends the session; 'close' records it
    });
  }
}

export function runLiveSession(state: SandboxState, ws: WebSocket, requestId: string): LiveSessionRecord {
  const session = new LiveSession(state, ws, requestId);
  state.liveSessions.push(session.record);
  if (state.liveSessions.length > LIVE_SESSION_LIMIT) state.liveSessions.shift();
  session.start();
  return session.record;
}
