/**
 * Audio still being recorded, sent to AssemblyAI's Sync API as it arrives, many streams at once:
 * the chunks of one stream key go up over one request (converted from any of the five formats as
 * they come), and the transcript follows a moment after the stream completes or goes idle.
 */
import type { AssemblyAiClient, AssemblyAiFileResult, ShortAudioOptions } from '../assemblyai/client';
import { BadInputError } from '../errors';

/** What a runtime sees of one stream. */
export interface ShortAudioStreamView<C> {
  key: string;
  /** What the runtime gave with the stream's chunks, merged (the latest last). */
  context: C;
}

export interface ShortAudioStreamsOptions<C> {
  client: () => AssemblyAiClient;
  /** The request's options for a stream, from what came with its first chunk. */
  request: (context: C) => Omit<ShortAudioOptions, 'endpoint' | 'sampleRate' | 'filename' | 'signal'>;
  /** A stream with no new audio for this long (ms) is ended, and transcribed as it is. */
  idleMs: number;
  /** The name of the chunks' field in errors about the audio (default `audio`). */
  audioField?: string;
  /** Merges what came with a new chunk into the stream's context; default: the newest replaces it. */
  mergeContext?: (previous: C, next: C) => C;
  /** A stream's transcript; `idleTimeout` when it ended for want of audio. */
  onTranscript(stream: ShortAudioStreamView<C>, result: AssemblyAiFileResult, idleTimeout: boolean): void;
  /** A stream failed while no message waited for it (between chunks, or after going idle). */
  onFailure(stream: ShortAudioStreamView<C>, error: Error): void;
  onIdle?(stream: ShortAudioStreamView<C>): void;
  /** Streams started or ended. */
  onActivity?(streams: number): void;
}

/** Chunks handed to the request as an async iterable: the request reads them as they are pushed. */
class ChunkQueue implements AsyncIterable<Buffer> {
  private readonly chunks: Buffer[] = [];
  private ended = false;
  private wake?: () => void;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      const next = this.chunks.shift();
      if (next) yield next;
      else if (this.ended) return;
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

interface ShortAudioStream<C> extends ShortAudioStreamView<C> {
  queue: ChunkQueue;
  controller: AbortController;
  result: Promise<AssemblyAiFileResult>;
  idleTimer?: NodeJS.Timeout;
  /** A message waits for the result (the stream's last one): it reports the failure, not onFailure. */
  awaited: boolean;
  idle: boolean;
}

/** The short-audio streams of one node, by stream key. */
export class ShortAudioStreams<C> {
  private readonly streams = new Map<string, ShortAudioStream<C>>();
  private closed = false;

  constructor(private readonly options: ShortAudioStreamsOptions<C>) {}

  get size(): number {
    return this.streams.size;
  }

  /**
   * Adds the next chunk of the stream `key` (a first chunk starts it); with `complete` the stream
   * ends after it and this resolves once its transcript is handed on (or rejects with its error).
   */
  async push(key: string, chunk: Buffer | undefined, complete: boolean, context: C): Promise<void> {
    if (this.closed) return;
    let stream = this.streams.get(key);
    if (!stream) {
      if (!chunk || chunk.length === 0) return;
      stream = this.start(key, context);
    } else if (stream.context !== context) {
      stream.context = this.options.mergeContext ? this.options.mergeContext(stream.context, context) : context;
    }
    if (chunk && chunk.length > 0) stream.queue.push(chunk);
    if (!complete) {
      this.touch(stream);
      return;
    }
    stream.awaited = true;
    this.end(stream);
    await stream.result;
  }

  /** Ends every stream at once (redeploy, stop): their requests are dropped. */
  close(): void {
    this.closed = true;
    for (const stream of this.streams.values()) {
      clearTimeout(stream.idleTimer);
      stream.controller.abort();
    }
    this.streams.clear();
  }

  private start(key: string, context: C): ShortAudioStream<C> {
    const queue = new ChunkQueue();
    const controller = new AbortController();
    const options = { ...this.options.request(context), filename: key, signal: controller.signal };
    const stream: ShortAudioStream<C> = {
      key,
      context,
      queue,
      controller,
      awaited: false,
      idle: false,
      result: this.options
        .client()
        .transcribeLiveAudio(queue, options)
        .catch((error: unknown) => {
          throw this.renamed(error);
        }),
    };
    stream.result.then(
      (result) => {
        this.forget(stream);
        if (!this.closed) this.options.onTranscript(stream, result, stream.idle);
      },
      (error: Error) => {
        this.forget(stream);
        if (!this.closed && !stream.awaited) this.options.onFailure(stream, error);
      },
    );
    this.streams.set(key, stream);
    this.options.onActivity?.(this.streams.size);
    return stream;
  }

  private end(stream: ShortAudioStream<C>): void {
    clearTimeout(stream.idleTimer);
    // A later chunk with this key starts a new stream.
    if (this.streams.get(stream.key) === stream) this.streams.delete(stream.key);
    stream.queue.end();
  }

  private forget(stream: ShortAudioStream<C>): void {
    clearTimeout(stream.idleTimer);
    if (this.streams.get(stream.key) === stream) this.streams.delete(stream.key);
    if (!this.closed) this.options.onActivity?.(this.streams.size);
  }

  private touch(stream: ShortAudioStream<C>): void {
    clearTimeout(stream.idleTimer);
    stream.idleTimer = setTimeout(() => {
      if (this.closed) return;
      stream.idle = true;
      this.options.onIdle?.(stream);
      this.end(stream);
    }, this.options.idleMs);
  }

  /** The audio checks name the runtime's field the chunks came in. */
  private renamed(error: unknown): unknown {
    const field = this.options.audioField;
    return field && error instanceof BadInputError && error.field === 'audio' ? error.renamed(field) : error;
  }
}
