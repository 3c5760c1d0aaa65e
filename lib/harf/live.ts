import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import type WebSocket from 'ws';
import { AudioStreamConverter, detectAudio, readWavInfo } from '../audio';
import {
  AbortedError,
  BadInputError,
  ConnectionError,
  StreamClosedError,
  TaskFailedError,
  TaskTimedOutError,
  TranscriptionError,
  UnexpectedResponseError,
  WaitTimeoutError,
  describeValue,
} from '../errors';
import { readAnswer } from '../http/answer';
import { Requester, type UpgradeRefusal } from '../http/requester';
import { abortableSleep, connectionFailure } from '../http/retry';
import type { RetryOptions } from '../http/types';
import { enrichSegments, formatTime } from '../transcript';
import { DEFAULT_BASE_URL, checkHarfBaseUrl, checkToken } from './client';
import type { LiveSegment } from './types';

/** One second of 16 kHz, 16-bit, mono PCM: the frame size the service expects. */
export const FRAME_BYTES = 32000;
const WAV_HEADER_BYTES = 44;
export const LIVE_PATH = '/ws_api/transcribe_files/wav/sync/';

export interface LiveSessionOptions {
  token: string;
  baseUrl?: string;
  signal?: AbortSignal;
  /** Limit for the websocket to open (ms). Default 15000. */
  connectTimeoutMs?: number;
  /** Limit for the answers still owed and the final answer after `finalize` (ms). Default 60000. */
  finalTimeoutMs?: number;
  /** Frames sent before their answers arrive. Default 4. */
  maxFramesInFlight?: number;
  /** Limit for an answer to a frame while frames wait for room to be sent (ms). Default 60000. */
  answerTimeoutMs?: number;
  /** How refused or failed attempts to open the connection are retried (429, 503, unreachable). */
  retry?: RetryOptions;
}

export interface LiveResult {
  segments: LiveSegment[];
  /** Frames sent, the last (short) one included. */
  frames: number;
  bytes: number;
}

/** What a live stream adds up to, in the shape of a file result, so lib/transcript enriches and shapes it. */
export interface LiveTranscript {
  [field: string]: unknown;
  /** The stream's name: the file name, or the stream key of live chunks. */
  media_url: string;
  /** The audio sent, from its byte count (16 kHz mono 16-bit after its 44-byte header). */
  duration: string;
  segments: LiveSegment[];
  frames: number;
  bytes: number;
}

/** Seconds of audio in a live WAV stream of `bytes` bytes, its 44-byte header included. */
export function audioSeconds(bytes: number): number {
  return Math.max(0, bytes - WAV_HEADER_BYTES) / FRAME_BYTES;
}

export function liveTranscript(name: string, result: LiveResult): LiveTranscript {
  const seconds = audioSeconds(result.bytes);
  return {
    media_url: name,
    duration: formatTime(Math.round(seconds * 1000) / 1000),
    segments: result.segments,
    frames: result.frames,
    bytes: result.bytes,
  };
}

/** The websocket address for a base URL: http→ws, https→wss. */
export function liveUrl(baseUrl: string): string {
  return `${checkHarfBaseUrl(baseUrl).replace(/^http/i, 'ws')}${LIVE_PATH}`;
}

/**
 * One live transcription over the websocket (Harf API reference, live transcription).
 * Events: 'segment' (LiveSegment), 'pending', 'error' (Error), 'close'.
 * Audio written must already be 16 kHz mono 16-bit WAV (header first); `transcribeLive` and
 * lib/audio's AudioStreamConverter convert anything else (other WAVs, OGG/Opus, MP3, FLAC, OGG/Vorbis).
 */
export class LiveSession extends EventEmitter {
  /** Every segment received so far, in arrival order. */
  readonly segments: LiveSegment[] = [];
  private readonly seen = new Set<string>();
  /** Audio written but not sent yet: `buffered` from index `bufferedHead`, byte `headOffset` on. */
  private buffered: Buffer[] = [];
  private bufferedHead = 0;
  private headOffset = 0;
  private bufferedBytes = 0;
  private inFlight = 0;
  private frames = 0;
  private bytes = 0;
  private slotWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private drainWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private finalAnswer?: { resolve: () => void; reject: (error: Error) => void };
  private failure?: Error;
  private finalizing = false;
  private closed = false;
  private closedByUs = false;
  private terminateTimer?: NodeJS.Timeout;
  private socketError?: Error;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly ws: WebSocket,
    private readonly options: LiveSessionOptions,
  ) {
    super();
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.on('close', (code: number, reason: Buffer) => this.onClose(code, reason.toString('utf8')));
    // ws always follows 'error' with 'close'; the close reports it, keeping the segments received.
    ws.on('error', (error: Error) => (this.socketError = error));
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /**
   * Opens the websocket through lib's requester, so its upgrade's statuses are mapped as every other
   * request's (429 a RateLimitError honouring Retry-After, 503 a ServerError) and opened again as the
   * resend rule allows: nothing has been streamed yet.
   */
  static async open(options: LiveSessionOptions): Promise<LiveSession> {
    const token = checkToken(options.token);
    const baseUrl = checkHarfBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
    if (options.signal?.aborted) throw new AbortedError();
    const requester = new Requester({
      service: 'harf',
      baseUrl,
      auth: { Authorization: `Token ${token}` },
      retry: options.retry,
      timeoutMs: 0,
    });
    const endpoint = { what: 'opening the live connection', kind: 'startsJob' as const };
    const ws = await requester.connect(LIVE_PATH, endpoint, (url, headers) => openSocket(url, headers, options), options.signal);
    return new LiveSession(ws, options);
  }

  /** Queues audio bytes of any length; resolves when the complete frames among them are sent. */
  write(chunk: Buffer): Promise<void> {
    if (!Buffer.isBuffer(chunk)) {
      return Promise.reject(new BadInputError('audio chunk', describeValue(chunk), 'a Buffer of WAV bytes'));
    }
    if (this.finalizing)
      return Promise.reject(new BadInputError('audio chunk', 'audio after finalize', 'no more audio once the stream is finalized'));
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    this.writing = this.writing
      .then(() => this.sendFullFrames())
      .catch((error: unknown) => {
        throw this.withSegments(error);
      });
    return this.writing;
  }

  /** Gives a failure of this session the segments received so far, so none is lost with it. */
  private withSegments(error: unknown): unknown {
    if (error instanceof TranscriptionError && !error.segments) {
      error.segments = this.segmentsKept();
      if (this.segments.length > 0)
        error.message += `; the ${this.segments.length} segment(s) received before are kept in the error's segments`;
    }
    return error;
  }

  /** Sends the tail frame and `finalize`, waits for the final answer, closes. */
  async finalize(): Promise<LiveResult> {
    try {
      return await this.finish();
    } catch (error) {
      throw this.withSegments(error);
    }
  }

  private async finish(): Promise<LiveResult> {
    if (this.finalizing) throw new BadInputError('finalize', 'a second call', 'finalize once per session');
    this.finalizing = true;
    await this.writing;
    // The service's own sample drops the last partial frame; it holds the end of the speech, so send it.
    if (this.bufferedBytes > 0) await this.sendFrame(this.take(this.bufferedBytes));
    await this.withFinalTimeout(this.answersOwed(), 'the answers to the last frames');
    this.throwIfFailed();
    const final = new Promise<void>((resolve, reject) => {
      this.finalAnswer = { resolve, reject };
    });
    this.ws.send('finalize');
    await this.withFinalTimeout(final, 'the final answer');
    this.close();
    return this.result();
  }

  /** Closes at once (idle timeout, redeploy); the segments received stay in `segments`. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closedByUs = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(1000);
    else this.ws.terminate();
    // A peer that never answers the close must not keep the socket (or the process) alive.
    this.terminateTimer = setTimeout(() => this.ws.terminate(), 2000);
    this.terminateTimer.unref();
    this.rejectWaiters(new AbortedError('The live session was closed'));
  }

  /** The segments received, for a failure to keep: with their times in seconds, as in any transcript. */
  private segmentsKept(): unknown[] {
    try {
      return enrichSegments(this.segments, { service: 'harf' });
    } catch {
      // A time that does not read must not hide the failure being reported: the segments stay as sent.
      return [...this.segments];
    }
  }

  result(): LiveResult {
    return { segments: [...this.segments], frames: this.frames, bytes: this.bytes };
  }

  /**
   * The first `length` bytes queued. Only those are copied (or none, when one write holds them),
   * so a write of any size costs time in proportion to its size.
   */
  private take(length: number): Buffer {
    let frame: Buffer;
    const head = this.buffered[this.bufferedHead];
    if (head.length - this.headOffset >= length) {
      frame = head.subarray(this.headOffset, this.headOffset + length);
      this.headOffset += length;
    } else {
      frame = Buffer.allocUnsafe(length);
      let filled = 0;
      while (filled < length) {
        const piece = this.buffered[this.bufferedHead];
        const copied = piece.copy(frame, filled, this.headOffset, this.headOffset + length - filled);
        filled += copied;
        this.headOffset += copied;
        if (this.headOffset === piece.length) this.dropHead();
      }
    }
    if (this.bufferedHead < this.buffered.length && this.headOffset === this.buffered[this.bufferedHead].length) this.dropHead();
    this.bufferedBytes -= length;
    return frame;
  }

  private dropHead(): void {
    this.bufferedHead++;
    this.headOffset = 0;
    // Forget the writes already sent now and then, not on every frame.
    if (this.bufferedHead > 64 && this.bufferedHead * 2 > this.buffered.length) {
      this.buffered = this.buffered.slice(this.bufferedHead);
      this.bufferedHead = 0;
    }
  }

  private async sendFullFrames(): Promise<void> {
    while (this.bufferedBytes >= FRAME_BYTES) await this.sendFrame(this.take(FRAME_BYTES));
  }

  private async sendFrame(frame: Buffer): Promise<void> {
    this.throwIfFailed();
    if (this.inFlight >= (this.options.maxFramesInFlight ?? 4)) {
      // A server that stops answering must not hold the stream (and the flow) forever.
      const room = new Promise<void>((resolve, reject) => this.slotWaiters.push({ resolve, reject }));
      await this.withTimeout(room, 'an answer to the audio sent', this.options.answerTimeoutMs ?? 60_000);
    }
    this.throwIfFailed();
    this.inFlight++;
    await new Promise<void>((resolve, reject) =>
      this.ws.send(frame, { binary: true }, (error) => {
        if (!error) resolve();
        // A send fails when the server closed first: the close says why.
        else if (this.failure) reject(this.failure);
        else if (this.ws.readyState !== this.ws.OPEN) this.once('close', () => reject(this.failure ?? error));
        else reject(new ConnectionError(`Sending audio failed: ${error.message}`, { service: 'harf', cause: error }));
      }),
    );
    this.frames++;
    this.bytes += frame.length;
  }

  private answersOwed(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => this.drainWaiters.push({ resolve, reject }));
  }

  private withFinalTimeout(promise: Promise<void>, what: string): Promise<void> {
    return this.withTimeout(promise, what, this.options.finalTimeoutMs ?? 60_000);
  }

  private withTimeout(promise: Promise<void>, what: string, limit: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((_resolve, reject) => {
      timer = setTimeout(() => {
        const error = new WaitTimeoutError(`Harf did not send ${what} within ${Math.round(limit / 1000)} s`, limit, { service: 'harf' });
        this.fail(error);
        reject(error);
      }, limit);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
    let answer: unknown;
    try {
      answer = isBinary ? undefined : JSON.parse(text);
    } catch {
      answer = undefined;
    }
    if (answer === undefined) {
      this.fail(
        new UnexpectedResponseError('Harf sent a live message that is not JSON', { service: 'harf', body: text, field: '(message)' }),
      );
      return;
    }
    try {
      this.accept(answer);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (this.finalAnswer && this.inFlight === 0) {
      this.finalAnswer.resolve();
      this.finalAnswer = undefined;
      return;
    }
    if (this.inFlight > 0) this.inFlight--;
    this.slotWaiters.shift()?.resolve();
    if (this.inFlight === 0) for (const waiter of this.drainWaiters.splice(0)) waiter.resolve();
  }

  /** Takes any of the final answer forms the service may send: a segment, an array, {segments}, or a state. */
  private accept(answer: unknown): void {
    if (Array.isArray(answer)) {
      answer.forEach((item, index) => this.addSegment(item, `[${index}]`));
      return;
    }
    if (!answer || typeof answer !== 'object') {
      throw new UnexpectedResponseError(`Harf sent a live message of the wrong shape: ${JSON.stringify(answer)}`, {
        service: 'harf',
        field: '(message)',
      });
    }
    const record = answer as Record<string, unknown>;
    if (Array.isArray(record.segments)) {
      record.segments.forEach((item, index) => this.addSegment(item, `segments[${index}]`));
      return;
    }
    if (typeof record.text === 'string') {
      this.addSegment(record, '(message)');
      return;
    }
    if (typeof record.state === 'string') {
      if (record.state === 'FAILURE') throw new TaskFailedError(undefined, { service: 'harf' });
      if (record.state === 'TIMEOUT') throw new TaskTimedOutError(undefined, { service: 'harf' });
      this.emit('pending', record.state);
      return;
    }
    throw new UnexpectedResponseError(
      `Harf sent a live message with neither text, segments nor state: ${JSON.stringify(answer).slice(0, 120)}`,
      {
        service: 'harf',
        field: '(message)',
      },
    );
  }

  private addSegment(item: unknown, field: string): void {
    const segment = item as LiveSegment;
    if (
      !segment ||
      typeof segment !== 'object' ||
      typeof segment.text !== 'string' ||
      typeof segment.start !== 'string' ||
      typeof segment.end !== 'string'
    ) {
      throw new UnexpectedResponseError(`Harf sent a live segment without text, start and end (${field})`, { service: 'harf', field });
    }
    // A final answer may repeat segments already sent one by one.
    const key = segment.segment_id !== undefined ? `id:${segment.segment_id}` : `${segment.start}|${segment.end}|${segment.text}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.segments.push(segment);
    this.emit('segment', segment);
  }

  private onClose(code: number, reason: string): void {
    this.closed = true;
    clearTimeout(this.terminateTimer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    if (this.closedByUs) {
      // Our own close (finished, idle, redeploy): nothing went wrong.
    } else if (this.finalAnswer && code === 1000) {
      // Closing normally after finalize is a final answer too.
      this.finalAnswer.resolve();
      this.finalAnswer = undefined;
    } else if (!this.failure && (code !== 1000 || !this.finalizing || this.finalAnswer || this.inFlight > 0)) {
      const why = reason ? `: ${reason}` : this.socketError ? `: ${this.socketError.message}` : '';
      this.fail(
        new StreamClosedError(
          `The live connection closed before the transcription was finished (code ${code}${why}); ${this.segments.length} segment(s) were received before it closed`,
          code,
          this.segmentsKept(),
          { service: 'harf' },
        ),
      );
    }
    this.emit('close', code, reason);
  }

  private readonly onAbort = () => {
    this.fail(new AbortedError('The live transcription was cancelled'));
    this.close();
  };

  private fail(error: Error): void {
    if (this.failure) return;
    this.withSegments(error);
    this.failure = error;
    this.rejectWaiters(error);
    if (this.listenerCount('error') > 0) this.emit('error', error);
    if (!this.closed) {
      this.closed = true;
      this.ws.terminate();
    }
  }

  private rejectWaiters(error: Error): void {
    for (const waiter of this.slotWaiters.splice(0)) waiter.reject(error);
    for (const waiter of this.drainWaiters.splice(0)) waiter.reject(error);
    this.finalAnswer?.reject(error);
    this.finalAnswer = undefined;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new AbortedError('The live session was closed');
  }
}

/** One attempt at the websocket: open, or the HTTP answer given instead, or a lib error. */
function openSocket(url: string, headers: Record<string, string>, options: LiveSessionOptions): Promise<WebSocket | UpgradeRefusal> {
  const host = new URL(url).host;
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    // Loaded when a live session opens: flows that never stream do not pay for it at start-up.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { WebSocket: Socket } = require('ws') as typeof import('ws');
    const ws = new Socket(url, { headers, handshakeTimeout: connectTimeoutMs, perMessageDeflate: false });
    const cleanup = () => {
      ws.removeAllListeners('open');
      ws.removeAllListeners('unexpected-response');
      ws.removeAllListeners('error');
      // terminate() on a socket still opening emits 'error'; it is already answered.
      ws.on('error', () => undefined);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      cleanup();
      ws.terminate();
      reject(new AbortedError());
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    ws.once('open', () => {
      cleanup();
      resolve(ws);
    });
    ws.once('unexpected-response', (_request, response) => {
      const reading = readAnswer(response, host, { service: 'harf' });
      reading.body.then(
        (body) => {
          cleanup();
          ws.terminate();
          resolve({ refused: { status: response.statusCode ?? 0, headers: response.headers, body } });
        },
        (error: Error) => {
          cleanup();
          ws.terminate();
          reject(error);
        },
      );
    });
    ws.once('error', (error: Error & { code?: string }) => {
      cleanup();
      const timedOut = /handshake timed out/i.test(error.message);
      // Nothing of the audio went out: opening again cannot start a second job.
      reject(
        timedOut
          ? new WaitTimeoutError(`The live connection to ${host} did not open in time`, connectTimeoutMs, {
              service: 'harf',
              requestSent: false,
            })
          : connectionFailure(`Could not open the live connection to ${host}: ${error.code ?? error.message}`, {
              service: 'harf',
              code: error.code,
              cause: error,
              requestSent: false,
            }),
      );
    });
  });
}

export interface TranscribeLiveOptions extends LiveSessionOptions {
  /** Send one frame per second of audio, as a live source would. Default false. */
  realtime?: boolean;
  onSegment?: (segment: LiveSegment) => void;
  /** Seconds of audio sent so far. */
  onProgress?: (sentSeconds: number) => void;
}

/** Streams a whole audio file (WAV, OGG/Opus, MP3, FLAC or OGG/Vorbis, converted as needed) and returns the segments. */
export async function transcribeLive(audio: Buffer | Readable, options: TranscribeLiveOptions): Promise<LiveResult> {
  if (!Buffer.isBuffer(audio) && !(audio instanceof Readable)) {
    throw new BadInputError('audio', describeValue(audio), 'a Buffer or a readable stream of an audio file');
  }
  const converter = new AudioStreamConverter();
  const source: AsyncIterable<Buffer> = Buffer.isBuffer(audio) ? chunksOf(audio, 64 * 1024) : audio;
  // The format is checked before connecting, so a wrong file costs no connection.
  const iterator = source[Symbol.asyncIterator]();
  // A file already in the live format (16 kHz mono 16-bit PCM, a plain 44-byte header) goes as it is.
  const asIs = Buffer.isBuffer(audio) && isLiveFormat(audio);
  let converted = asIs ? (audio as Buffer) : Buffer.alloc(0);
  let ended = asIs;
  while (!asIs && converter.info === undefined && !ended) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      converted = Buffer.concat([converted, await converter.end()]);
    } else {
      converted = Buffer.concat([converted, await converter.push(next.value)]);
    }
  }
  if (!asIs && converter.info === undefined) {
    throw new BadInputError('audio', 'a stream too short to hold a WAV header', 'a WAV file (RIFF/WAVE header and audio data)');
  }
  const session = await LiveSession.open(options);
  if (options.onSegment) session.on('segment', options.onSegment);
  session.on('error', () => undefined);
  const started = Date.now();
  let sentBytes = 0;
  const send = async (bytes: Buffer) => {
    if (!options.realtime && !options.onProgress) {
      // The session cuts frames and keeps several in flight itself: one write per piece converted.
      await session.write(bytes);
      sentBytes += bytes.length;
      return;
    }
    for (let offset = 0; offset < bytes.length; offset += FRAME_BYTES) {
      const piece = bytes.subarray(offset, offset + FRAME_BYTES);
      if (options.realtime) {
        const due = started + (sentBytes / FRAME_BYTES) * 1000;
        if (due > Date.now()) await abortableSleep(due - Date.now(), options.signal);
      }
      await session.write(piece);
      sentBytes += piece.length;
      options.onProgress?.(sentBytes / FRAME_BYTES);
    }
  };
  try {
    await send(converted);
    if (!ended) {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        await send(await converter.push(next.value));
      }
      await send(await converter.end());
    }
    return await session.finalize();
  } catch (error) {
    session.close();
    converter.close();
    throw error;
  }
}

function isLiveFormat(audio: Buffer): boolean {
  if (detectAudio(audio).kind !== 'wav') return false;
  const info = readWavInfo(audio);
  return (
    info.audioFormat === 'pcm' &&
    info.bitsPerSample === 16 &&
    info.channels === 1 &&
    info.sampleRate === 16000 &&
    info.dataOffset === WAV_HEADER_BYTES &&
    info.dataLength === audio.length - WAV_HEADER_BYTES
  );
}

async function* chunksOf(buffer: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < buffer.length; offset += size) yield buffer.subarray(offset, offset + size);
}
