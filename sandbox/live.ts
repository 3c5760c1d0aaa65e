import type { WebSocket } from 'ws';
import { createHash, randomUUID } from 'node:crypto';
import { SeededRandom } from './random';
import type { SandboxState } from './state';
import { LIVE_SESSION_LIMIT } from './state';
import { formatTime } from './time';
import { GolestanReader } from './transcripts';
import { describeFormat, isHarfLiveFormat, readWavHeader } from './wav';

export const LIVE_PATH = '/ws_api/transcribe_files/wav/sync/';

/** 16 kHz, 16-bit, mono. */
const BYTES_PER_SECOND = 32000;
const SEGMENT_SECONDS = 5;
const MAX_HEADER_BYTES = 64 * 1024;

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

/** Close reasons are limited to 123 bytes by the websocket protocol. */
function shortReason(reason: string): string {
  let out = reason;
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1);
  return out;
}

export function runLiveSession(state: SandboxState, ws: WebSocket, requestId: string): LiveSessionRecord {
  const record: LiveSessionRecord = {
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
  state.liveSessions.push(record);
  if (state.liveSessions.length > LIVE_SESSION_LIMIT) state.liveSessions.shift();

  const reader = new GolestanReader(new SeededRandom(`live:${record.id}`));
  const closeFault = state.faults.take(LIVE_PATH, 'session');
  const closeAfter = closeFault?.type === 'ws-close' ? (closeFault.afterFrames ?? 1) : undefined;
  // ws-stall: keeps reading but stops answering, as an overloaded server would.
  const stallAfter = closeFault?.type === 'ws-stall' ? (closeFault.afterFrames ?? 1) : undefined;
  let headerBytes: Buffer | undefined = Buffer.alloc(0);
  let headerOk = false;
  let segmentId = 0;
  let uncertainSoFar = false;
  let emittedSeconds = 0;
  let pendingAudio = 0;
  let closing = false;

  const send = (message: unknown) => {
    record.answers.push(message);
    ws.send(JSON.stringify(message));
  };
  const closeByServer = (code: number, reason: string) => {
    if (closing) return;
    closing = true;
    record.closedBy = 'server';
    ws.close(code, shortReason(reason));
  };
  const takeSegment = (): LiveSegmentMessage => {
    const seconds = pendingAudio / BYTES_PER_SECOND;
    segmentId += 1;
    // Like file results, a stream of two segments or more always has an uncertain word to review.
    const text = reader.nextSegmentText(true, segmentId === 2 && !uncertainSoFar);
    if (text.includes('[')) uncertainSoFar = true;
    const segment = {
      segment_id: segmentId,
      text,
      start: formatTime(emittedSeconds),
      end: formatTime(emittedSeconds + seconds),
    };
    emittedSeconds += seconds;
    pendingAudio = 0;
    return segment;
  };

  /** Takes in one binary frame; false when the session was closed because of it. */
  const audioHash = createHash('sha256');
  const hashAudio = (bytes: Buffer) => {
    audioHash.update(bytes);
    record.audioSha256 = audioHash.copy().digest('hex');
  };
  const acceptAudio = (frame: Buffer): boolean => {
    if (headerOk) {
      pendingAudio += frame.length;
      record.audioBytes += frame.length;
      hashAudio(frame);
      return true;
    }
    headerBytes = Buffer.concat([headerBytes ?? Buffer.alloc(0), frame]);
    const result = readWavHeader(headerBytes);
    if (result.kind === 'not-wav') {
      closeByServer(1007, `Expected WAV bytes (RIFF header first); found ${result.found}`);
      return false;
    }
    if (result.kind === 'incomplete') {
      if (headerBytes.length > MAX_HEADER_BYTES) {
        closeByServer(1007, 'No WAV data chunk in the first 64 KiB');
        return false;
      }
      return true;
    }
    const header = result.header;
    record.header = {
      audioFormat: header.audioFormat,
      sampleRate: header.sampleRate,
      channels: header.channels,
      bitsPerSample: header.bitsPerSample,
    };
    if (!isHarfLiveFormat(header)) {
      closeByServer(1007, `WAV is ${describeFormat(header)}; needs 16000 Hz mono 16-bit PCM`);
      return false;
    }
    headerOk = true;
    const audio = Math.max(0, headerBytes.length - header.dataOffset);
    pendingAudio += audio;
    record.audioBytes += audio;
    if (audio > 0) hashAudio(headerBytes.subarray(header.dataOffset));
    headerBytes = undefined;
    return true;
  };

  const finalize = () => {
    record.finalized = true;
    const remaining = pendingAudio > 0 ? [takeSegment()] : [];
    switch (state.settings.liveFinalForm) {
      case 'segment':
        send(remaining[0] ?? { state: 'SUCCESS' });
        break;
      case 'array':
        send(remaining);
        break;
      case 'object':
        send({ segments: remaining });
        break;
      case 'state':
        // The last audio still arrives, as an ordinary segment, before the state.
        if (remaining[0]) send(remaining[0]);
        send({ state: 'SUCCESS' });
        break;
    }
    closeByServer(1000, 'finalized');
  };

  if (closeAfter === 0) closeByServer(1011, 'Internal server error (sandbox fault)');

  ws.on('message', (data, isBinary) => {
    if (closing) return;
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (isBinary) {
      record.frames.push(bytes.length);
      record.totalBytes += bytes.length;
      if (!acceptAudio(bytes)) return;
      if (stallAfter !== undefined && record.frames.length > stallAfter) return;
      send(headerOk && pendingAudio >= SEGMENT_SECONDS * BYTES_PER_SECOND ? takeSegment() : { state: 'PENDING' });
      if (closeAfter !== undefined && record.frames.length >= closeAfter) {
        closeByServer(1011, 'Internal server error (sandbox fault)');
      }
      return;
    }
    const text = bytes.toString('utf8');
    record.textFrames.push(text);
    if (text.trim().toLowerCase() === 'finalize') finalize();
  });
  ws.on('close', (code, reason) => {
    record.closed = true;
    record.closeCode = code;
    record.closeReason = reason.toString('utf8');
    if (!record.closedBy) record.closedBy = 'client';
  });
  ws.on('error', () => {
    // a broken connection ends the session; 'close' records it
  });
  return record;
}
