/**
 * Live transcription of audio that arrives in chunks, many streams at once, for any runtime: the
 * chunks of one stream key share one websocket session and are handled one after another in
 * arrival order; streams never mix; a stream that gets no audio for the idle timeout is ended; any
 * WAV is converted per stream, and the socket opens only once a stream's WAV header has been read.
 */
import { AudioStreamConverter } from '../audio/anyFormat';
import { BadInputError } from '../errors';
import { audioSeconds, LiveSession, liveTranscript, type LiveSessionOptions } from '../harf/live';
import type { LiveSegment } from '../harf/types';
import { enrichFileResult } from '../transcript/enrich';
import { shapeOutput } from '../transcript/shape';
import type { OutputMode, TranscriptFile } from '../transcript/types';
import type { SubtitleFormat } from './settings';
import { subtitleFiles, type OutputEntry } from './transcripts';

/** What a runtime sees of one stream. */
export interface LiveStreamView<C> {
  key: string;
  /** What the runtime gave with the stream's chunks, merged (the latest last). */
  context: C;
  /** Seconds of audio sent so far. */
  audioSeconds: number;
}

export interface LiveStreamsOptions<C> {
  /** Token and base URL of the session, asked for when a stream's first WAV header has been read. */
  sessionOptions: () => Pick<LiveSessionOptions, 'token' | 'baseUrl'> & Partial<LiveSessionOptions>;
  /** A stream with no new audio for this long (ms) is ended and its transcript sent. */
  idleMs: number;
  output: OutputMode;
  splitUncertain: boolean;
  /** Subtitles for the closing transcript (in every output mode). */
  subtitles: readonly SubtitleFormat[];
  /** The name of the chunks' field in errors about the audio (default `audio`). */
  audioField?: string;
  /** Merges what came with a new chunk into the stream's context; default: the newest replaces it. */
  mergeContext?: (previous: C, next: C) => C;

  /** Segment mode: the segments received since the last call, as they arrive. */
  onSegments(stream: LiveStreamView<C>, entries: { transcript: OutputEntry[]; review: OutputEntry[] }): void;
  /**
   * A stream ended (its end chunk, or the idle timeout): its whole transcript (file or text entry,
   * with subtitles) and, outside segment mode with the split on, its uncertain segments.
   */
  onTranscript(
    stream: LiveStreamView<C>,
    closing: { entry: OutputEntry; file: TranscriptFile; review: OutputEntry[]; idleTimeout: boolean },
  ): void;
  /** A stream failed between chunks (its socket, or ending it after the idle timeout); it is dropped. */
  onFailure(stream: LiveStreamView<C>, error: Error): void;
  /** A stream is about to be ended for want of audio. */
  onIdle?(stream: LiveStreamView<C>): void;
  /** Streams started, progressed or ended: `shown` is the stream last active. */
  onActivity?(activity: { streams: number; shown?: LiveStreamView<C> }): void;
}

interface LiveStream<C> extends LiveStreamView<C> {
  converter: AudioStreamConverter;
  controller: AbortController;
  session?: LiveSession;
  /** This stream's chunks are handled one after another, in arrival order. */
  queue: Promise<void>;
  idleTimer?: NodeJS.Timeout;
  audioBytes: number;
  /** Segments already handed on (the session's `segments` holds every one received). */
  sent: number;
  ended: boolean;
}

/** The live streams of one node, by stream key. */
export class LiveStreams<C> {
  private readonly streams = new Map<string, LiveStream<C>>();
  private closed = false;

  constructor(private readonly options: LiveStreamsOptions<C>) {}

  /** Streams under way. */
  get size(): number {
    return this.streams.size;
  }

  /**
   * Adds the next chunk of the stream `key` (a first chunk starts the stream); with `complete` the
   * stream ends after it. Resolves once this chunk is handled; rejects with its error, after which
   * the stream is dropped. An end for a stream that is not under way does nothing.
   */
  push(key: string, chunk: Buffer | undefined, complete: boolean, context: C): Promise<void> {
    if (this.closed) return Promise.resolve();
    let stream = this.streams.get(key);
    if (!stream) {
      // An end for a stream that never started (or already ended): nothing to finish.
      if (!chunk || chunk.length === 0) return Promise.resolve();
      stream = {
        key,
        context,
        audioSeconds: 0,
        converter: new AudioStreamConverter(),
        controller: new AbortController(),
        queue: Promise.resolve(),
        audioBytes: 0,
        sent: 0,
        ended: false,
      };
      this.streams.set(key, stream);
    } else if (stream.context !== context) {
      // What was given with earlier chunks stays (an end message often carries only the key).
      stream.context = this.options.mergeContext ? this.options.mergeContext(stream.context, context) : context;
    }
    const current = stream;
    if (!complete) this.touch(current);
    else if (current.idleTimer) clearTimeout(current.idleTimer);

    const run = current.queue
      .then(async () => {
        if (current.ended) throw new Error(`Live stream "${key}" has already ended; start a new one with a WAV header`);
        if (chunk && chunk.length > 0) {
          const converted = await this.readAudio(() => current.converter.push(chunk));
          // The socket opens only once the samples start (a WAV header read, or audio decoded): what is not audio never reaches the service.
          if (current.converter.info) {
            const session = await this.openSession(current);
            if (converted.length > 0) {
              await session.write(converted);
              this.addAudio(current, converted.length);
            }
          }
          this.activity(current);
        }
        if (complete) await this.finish(current, false);
      })
      .catch((error: unknown) => {
        if (!this.closed) this.drop(current);
        throw error;
      });
    current.queue = run.catch(() => undefined);
    // Work cut short by close() is not a failure of the chunk.
    return run.catch((error: unknown) => {
      if (!this.closed) throw error;
    });
  }

  /** Ends every stream at once (redeploy, stop); nothing more is sent. */
  close(): void {
    this.closed = true;
    for (const stream of [...this.streams.values()]) this.drop(stream);
    this.streams.clear();
  }

  private async readAudio(read: () => Promise<Buffer>): Promise<Buffer> {
    try {
      return await read();
    } catch (error) {
      // The audio checks name the runtime's field the chunks came in.
      const field = this.options.audioField;
      if (field && error instanceof BadInputError && error.field === 'audio') throw error.renamed(field);
      throw error;
    }
  }

  private addAudio(stream: LiveStream<C>, bytes: number): void {
    stream.audioBytes += bytes;
    stream.audioSeconds = audioSeconds(stream.audioBytes);
  }

  private activity(current?: LiveStream<C>): void {
    if (this.closed || !this.options.onActivity) return;
    const shown = current && this.streams.has(current.key) ? current : [...this.streams.values()][this.streams.size - 1];
    this.options.onActivity({ streams: this.streams.size, shown });
  }

  /** The stream so far as an enriched transcript, named by its key. */
  private transcriptOf(stream: LiveStream<C>, segments: LiveSegment[]): TranscriptFile {
    const frames = stream.session?.result().frames ?? 0;
    return enrichFileResult(liveTranscript(stream.key, { segments, frames, bytes: stream.audioBytes }), { service: 'harf' });
  }

  /** Hands on the segments received but not handed on yet: as they arrive, in segment mode. */
  private sendNewSegments(stream: LiveStream<C>, segments: LiveSegment[] | undefined = stream.session?.segments): void {
    if (!segments || this.options.output !== 'segment' || stream.sent >= segments.length) return;
    const { transcript, review } = shapeOutput([this.transcriptOf(stream, segments)], {
      output: 'segment',
      splitUncertain: this.options.splitUncertain,
    });
    const sentBefore = stream.sent;
    const fresh = (json: Record<string, unknown>) => (json.segment_index as number) >= sentBefore;
    const entry = (json: Record<string, unknown>): OutputEntry => ({ json, fields: {}, fileIndex: 0 });
    stream.sent = segments.length;
    this.options.onSegments(stream, { transcript: transcript.filter(fresh).map(entry), review: review.filter(fresh).map(entry) });
  }

  private sendTranscript(stream: LiveStream<C>, segments: LiveSegment[], idleTimeout: boolean): void {
    const file = this.transcriptOf(stream, segments);
    const { output, splitUncertain } = this.options;
    const closing: OutputEntry = {
      json:
        output === 'text' ? shapeOutput([file], { output: 'text', splitUncertain: false }).transcript[0] : { ...file, stream: stream.key },
      fields: {},
      fileIndex: 0,
      subtitles: this.options.subtitles.length > 0 ? subtitleFiles(file, this.options.subtitles) : undefined,
    };
    // In segment mode every segment went out as it came; the other modes hand on the review now.
    const review =
      splitUncertain && output !== 'segment'
        ? shapeOutput([file], { output: 'file', splitUncertain: true }).review.map((json): OutputEntry => ({
            json,
            fields: {},
            fileIndex: 0,
          }))
        : [];
    this.options.onTranscript(stream, { entry: closing, file, review, idleTimeout });
  }

  /** Closes a stream's socket and forgets it; a later chunk with its key starts a new stream. */
  private drop(stream: LiveStream<C>): void {
    stream.ended = true;
    if (stream.idleTimer) clearTimeout(stream.idleTimer);
    stream.controller.abort();
    stream.converter.close();
    stream.session?.close();
    if (this.streams.get(stream.key) === stream) this.streams.delete(stream.key);
  }

  private async openSession(stream: LiveStream<C>): Promise<LiveSession> {
    if (stream.session) return stream.session;
    const session = await LiveSession.open({ ...this.options.sessionOptions(), signal: stream.controller.signal });
    if (stream.ended) {
      session.close();
      throw new Error(`Live stream "${stream.key}" ended while its connection was opening`);
    }
    stream.session = session;
    session.on('segment', () => this.sendNewSegments(stream));
    session.on('error', (error: Error) => {
      if (stream.ended || this.closed) return;
      this.drop(stream);
      this.options.onFailure(stream, error);
      this.activity();
    });
    return session;
  }

  private async finish(stream: LiveStream<C>, idleTimeout: boolean): Promise<void> {
    if (stream.idleTimer) clearTimeout(stream.idleTimer);
    const tail = await this.readAudio(() => stream.converter.end());
    const session = stream.session ?? (tail.length > 0 && stream.converter.info ? await this.openSession(stream) : undefined);
    let segments: LiveSegment[] = [];
    if (session) {
      if (tail.length > 0) {
        await session.write(tail);
        this.addAudio(stream, tail.length);
      }
      segments = (await session.finalize()).segments;
      this.sendNewSegments(stream);
    }
    stream.ended = true;
    if (this.streams.get(stream.key) === stream) this.streams.delete(stream.key);
    // Segments that reached the session only through finalize's answer.
    this.sendNewSegments(stream, segments);
    this.sendTranscript(stream, segments, idleTimeout);
    this.activity();
  }

  private touch(stream: LiveStream<C>): void {
    if (stream.idleTimer) clearTimeout(stream.idleTimer);
    stream.idleTimer = setTimeout(() => {
      if (stream.ended || this.closed) return;
      this.options.onIdle?.(stream);
      stream.queue = stream.queue
        .then(() => (stream.ended ? undefined : this.finish(stream, true)))
        .catch((error: unknown) => {
          const closedMeanwhile = this.closed;
          this.drop(stream);
          if (!closedMeanwhile) {
            this.options.onFailure(stream, error instanceof Error ? error : new Error(String(error)));
            this.activity();
          }
        });
    }, this.options.idleMs);
  }
}
