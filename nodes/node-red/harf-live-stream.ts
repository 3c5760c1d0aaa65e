/**
 * harf-live-stream: live transcription of WAV audio arriving in chunks across messages.
 * Chunks with the same stream key (msg.topic by default) share one websocket session; segments are
 * sent as the service answers; a message with msg.complete ends the stream. Streams never mix, idle
 * ones end after a timeout, and audio of any rate or channel count is converted per stream.
 */
import { BadInputError, describeValue } from '../../lib/errors';
import { WavStreamConverter } from '../../lib/audio';
import { FRAME_BYTES, LiveSession, liveTranscript } from '../../lib/harf/live';
import type { LiveSegment } from '../../lib/harf/types';
import { enrichFileResult, shapeOutput, toSrt, toWebVtt, type TranscriptFile } from '../../lib/transcript';
import type { HarfConfigNode } from './accounts';
import {
  asError,
  booleanSetting,
  choiceSetting,
  clock,
  configNode,
  messageBase,
  missingConfigError,
  numberSetting,
  statusBadge,
  type Subtitles,
} from './common';
import type { NodeAPI, NodeDefinition, NodeMessage, NodeRedNode } from './types';

const WAV_HEADER_BYTES = 44;

interface LiveStream {
  key: string;
  converter: WavStreamConverter;
  controller: AbortController;
  session?: LiveSession;
  /** This stream's chunks are handled one after another, in arrival order. */
  queue: Promise<void>;
  /** The stream's messages merged, latest last: outgoing messages keep their properties. */
  lastMsg: NodeMessage;
  idleTimer?: NodeJS.Timeout;
  audioBytes: number;
  /** Segments already sent (the session's `segments` holds every one received). */
  sent: number;
  ended: boolean;
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== 'false';
}

/** Runs the WAV reader, naming msg.payload (where the audio came from) in what it refuses. */
function readAudio(read: () => Buffer): Buffer {
  try {
    return read();
  } catch (error) {
    if (error instanceof BadInputError && error.field === 'audio') {
      throw new BadInputError('msg.payload', error.found, error.expected);
    }
    throw error;
  }
}

function propertyName(value: unknown, fallback: string): string {
  const text = typeof value === 'string' ? value.trim().replace(/^msg\./, '') : '';
  return text === '' ? fallback : text;
}

export = function register(RED: NodeAPI): void {
  function HarfLiveStream(this: NodeRedNode, definition: NodeDefinition): void {
    RED.nodes.createNode(this, definition);
    const node = this;
    const account = configNode<HarfConfigNode>(RED, definition.harf, 'harf-config');
    const keyProperty = propertyName(definition.keyProperty, 'topic');
    const completeProperty = propertyName(definition.completeProperty, 'complete');
    const idleMs = numberSetting(definition.idleTimeout, 30, 0.01, 24 * 3600) * 1000;
    const output = choiceSetting(definition.output, ['segment', 'file', 'text'] as const, 'segment');
    const splitUncertain = booleanSetting(definition.splitUncertain);
    const subtitles = choiceSetting<Subtitles>(definition.subtitles, ['none', 'srt', 'vtt', 'both'], 'none');
    const streams = new Map<string, LiveStream>();
    let closing = false;
    if (!account) node.status(statusBadge.error('no Harf account'));

    const audioSeconds = (stream: LiveStream) => Math.max(0, stream.audioBytes - WAV_HEADER_BYTES) / FRAME_BYTES;

    function showStatus(current?: LiveStream): void {
      if (closing) return;
      if (streams.size === 0) {
        node.status(statusBadge.done());
        return;
      }
      const shown = current && streams.has(current.key) ? current : [...streams.values()][streams.size - 1];
      const suffix = streams.size > 1 ? ` (${streams.size} streams)` : '';
      node.status(statusBadge.working(`streaming ${clock(audioSeconds(shown))}${suffix}`));
    }

    /** The stream so far as an enriched transcript (lib/transcript), named by its key. */
    function transcriptOf(stream: LiveStream, segments: LiveSegment[]): TranscriptFile {
      const frames = stream.session?.result().frames ?? 0;
      return enrichFileResult(liveTranscript(stream.key, { segments, frames, bytes: stream.audioBytes }));
    }

    /** A message for one stream: the last message's properties, the stream key, no end flag. */
    function streamMessage(stream: LiveStream, payload: unknown): NodeMessage {
      const out: NodeMessage = { ...messageBase(RED, stream.lastMsg), payload };
      RED.util.setMessageProperty(out, keyProperty, stream.key, true);
      delete out[completeProperty];
      return out;
    }

    /** Sends the segments received but not sent yet: as they arrive in segment mode. */
    function sendNewSegments(stream: LiveStream, segments: LiveSegment[] | undefined = stream.session?.segments): void {
      if (!segments || output !== 'segment' || stream.sent >= segments.length) return;
      const { transcript, review } = shapeOutput([transcriptOf(stream, segments)], { output: 'segment', splitUncertain });
      const fresh = (entry: Record<string, unknown>) => (entry.segment_index as number) >= stream.sent;
      const certain = transcript.filter(fresh).map((entry) => streamMessage(stream, entry));
      const uncertain = review.filter(fresh).map((entry) => streamMessage(stream, entry));
      stream.sent = segments.length;
      node.send(splitUncertain ? [certain, uncertain] : [certain]);
    }

    /** The whole stream's transcript, sent once the stream has ended, with msg.complete set. */
    function sendTranscript(stream: LiveStream, segments: LiveSegment[], extra: Record<string, unknown>): void {
      const file = transcriptOf(stream, segments);
      const out: NodeMessage = {
        ...messageBase(RED, stream.lastMsg),
        payload: output === 'text' ? file.text : { ...file, stream: stream.key },
        ...extra,
      };
      RED.util.setMessageProperty(out, keyProperty, stream.key, true);
      RED.util.setMessageProperty(out, completeProperty, true, true);
      if (subtitles === 'srt' || subtitles === 'both') out.srt = toSrt(segments);
      if (subtitles === 'vtt' || subtitles === 'both') out.vtt = toWebVtt(segments);
      // In segment mode every segment went out as it came; the other modes send the review now.
      const review =
        splitUncertain && output !== 'segment'
          ? shapeOutput([file], { output: 'file', splitUncertain: true }).review.map((entry) => streamMessage(stream, entry))
          : [];
      node.send(splitUncertain ? [[out], review] : [out]);
    }

    /** Closes a stream's socket and forgets it; a later chunk with its key starts a new stream. */
    function dropStream(stream: LiveStream): void {
      stream.ended = true;
      if (stream.idleTimer) clearTimeout(stream.idleTimer);
      stream.controller.abort();
      stream.session?.close();
      if (streams.get(stream.key) === stream) streams.delete(stream.key);
    }

    async function openSession(stream: LiveStream): Promise<LiveSession> {
      if (stream.session) return stream.session;
      if (!account) throw missingConfigError('harf', 'harf-config');
      const session = await LiveSession.open({ ...account.liveOptions(), signal: stream.controller.signal });
      if (stream.ended) {
        session.close();
        throw new Error(`Live stream "${stream.key}" ended while its connection was opening`);
      }
      stream.session = session;
      session.on('segment', () => sendNewSegments(stream));
      session.on('error', (error: Error) => {
        if (stream.ended || closing) return;
        node.error(error, keepSegments({ ...messageBase(RED, stream.lastMsg), payload: undefined }, error));
        dropStream(stream);
        showStatus();
      });
      return session;
    }

    async function finishStream(stream: LiveStream, extra: Record<string, unknown> = {}): Promise<void> {
      if (stream.idleTimer) clearTimeout(stream.idleTimer);
      const tail = readAudio(() => stream.converter.end());
      const session = stream.session ?? (tail.length > 0 && stream.converter.info ? await openSession(stream) : undefined);
      let segments: LiveSegment[] = [];
      if (session) {
        if (tail.length > 0) {
          await session.write(tail);
          stream.audioBytes += tail.length;
        }
        const result = await session.finalize();
        segments = result.segments;
        sendNewSegments(stream);
      }
      stream.ended = true;
      if (streams.get(stream.key) === stream) streams.delete(stream.key);
      // Segments that reached the session only through finalize's answer.
      sendNewSegments(stream, segments);
      sendTranscript(stream, segments, extra);
      showStatus();
    }

    function touch(stream: LiveStream): void {
      if (stream.idleTimer) clearTimeout(stream.idleTimer);
      stream.idleTimer = setTimeout(() => {
        if (stream.ended || closing) return;
        node.warn(`Live stream "${stream.key}" received no audio for ${idleMs / 1000} s: ending it`);
        stream.queue = stream.queue
          .then(() => (stream.ended ? undefined : finishStream(stream, { idleTimeout: true })))
          .catch((error: unknown) => {
            if (!closing) node.error(asError(error), keepSegments({ ...messageBase(RED, stream.lastMsg), payload: undefined }, error));
            dropStream(stream);
            showStatus();
          });
      }, idleMs);
    }

    node.on('input', (msg, _send, done) => {
      try {
        if (!account) throw missingConfigError('harf', 'harf-config');
        const rawKey = RED.util.getMessageProperty(msg, keyProperty);
        if (rawKey !== undefined && rawKey !== null && typeof rawKey === 'object') {
          throw new BadInputError(`msg.${keyProperty}`, describeValue(rawKey), 'text or a number naming the stream');
        }
        const key = rawKey === undefined || rawKey === null ? '' : String(rawKey);
        const complete = isSet(RED.util.getMessageProperty(msg, completeProperty));
        const chunk = msg.payload;
        if (!Buffer.isBuffer(chunk) && !(complete && (chunk === undefined || chunk === null || chunk === ''))) {
          throw new BadInputError('msg.payload', describeValue(chunk), 'a Buffer with the next chunk of a WAV stream');
        }

        let stream = streams.get(key);
        if (!stream) {
          if (!Buffer.isBuffer(chunk) || chunk.length === 0) {
            // An end for a stream that never started (or already ended): nothing to finish.
            done();
            return;
          }
          stream = {
            key,
            converter: new WavStreamConverter(),
            controller: new AbortController(),
            queue: Promise.resolve(),
            lastMsg: msg,
            audioBytes: 0,
            sent: 0,
            ended: false,
          };
          streams.set(key, stream);
        }
        const current = stream;
        // Properties set on earlier chunks stay (an end message often carries only the key).
        if (current.lastMsg !== msg) current.lastMsg = { ...current.lastMsg, ...msg };
        if (!complete) touch(current);
        else if (current.idleTimer) clearTimeout(current.idleTimer);

        current.queue = current.queue
          .then(async () => {
            if (current.ended) throw new Error(`Live stream "${key}" has already ended; start a new one with a WAV header`);
            if (Buffer.isBuffer(chunk) && chunk.length > 0) {
              const converted = readAudio(() => current.converter.push(chunk));
              // The socket opens only once the WAV header has been read: audio that is not WAV never reaches the service.
              if (current.converter.info) {
                const session = await openSession(current);
                if (converted.length > 0) {
                  await session.write(converted);
                  current.audioBytes += converted.length;
                }
              }
              showStatus(current);
            }
            if (complete) await finishStream(current);
          })
          .then(
            () => done(),
            (error: unknown) => {
              if (closing) {
                done();
                return;
              }
              dropStream(current);
              node.status(statusBadge.error());
              keepSegments(msg, error);
              done(asError(error));
            },
          );
      } catch (error) {
        node.status(statusBadge.error());
        done(asError(error));
      }
    });

    node.on('close', (_removed, done) => {
      closing = true;
      for (const stream of [...streams.values()]) dropStream(stream);
      streams.clear();
      node.status({});
      done();
    });
  }

  RED.nodes.registerType('harf-live-stream', HarfLiveStream);
};

/** A failed live stream's catch message keeps the segments received before it failed (msg.segments). */
function keepSegments<T extends Record<string, unknown>>(msg: T, error: unknown): T {
  const segments = (error as { segments?: unknown }).segments;
  if (Array.isArray(segments)) (msg as Record<string, unknown>).segments = segments;
  return msg;
}
