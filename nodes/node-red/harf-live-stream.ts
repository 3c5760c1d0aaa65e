/**
 * harf-live-stream: live transcription of WAV audio arriving in chunks across messages.
 * Chunks with the same stream key (msg.topic by default) share one websocket session; segments are
 * sent as the service answers; a message with msg.complete ends the stream. Streams never mix, idle
 * ones end after a timeout, and audio of any rate or channel count is converted per stream.
 */
import { BadInputError, describeValue } from '../../lib/errors';
import { WavStreamConverter } from '../../lib/audio';
import { FRAME_BYTES, LiveSession } from '../../lib/harf/live';
import type { LiveSegment } from '../../lib/harf/types';
import { formatTime, parseTime, toSrt, toWebVtt, uncertainWordsIn } from '../../lib/transcript';
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

/** A live segment with its times in seconds, its place in the stream and its uncertain words. */
function segmentEntry(segment: LiveSegment, index: number): Record<string, unknown> {
  return {
    ...segment,
    segment_index: index,
    start_seconds: parseTime(segment.start, `segments[${index}].start`),
    end_seconds: parseTime(segment.end, `segments[${index}].end`),
    uncertain_words: uncertainWordsIn(segment.text),
  };
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== 'false';
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

    /** Sends the segments received but not sent yet: as they arrive in segment mode. */
    function sendNewSegments(stream: LiveStream): void {
      const session = stream.session;
      if (!session || output !== 'segment') return;
      while (stream.sent < session.segments.length) {
        const index = stream.sent++;
        const entry = segmentEntry(session.segments[index], index);
        const out: NodeMessage = { ...messageBase(RED, stream.lastMsg), payload: entry };
        RED.util.setMessageProperty(out, keyProperty, stream.key, true);
        delete out[completeProperty];
        const uncertain = (entry.uncertain_words as string[]).length > 0;
        if (!splitUncertain) node.send(out);
        else node.send(uncertain ? [null, out] : [out, null]);
      }
    }

    /** The whole stream's transcript, sent once the stream has ended, with msg.complete set. */
    function sendTranscript(stream: LiveStream, segments: LiveSegment[], extra: Record<string, unknown>): void {
      const entries = segments.map(segmentEntry);
      const uncertainWords = entries.flatMap((entry) => entry.uncertain_words as string[]);
      const duration = audioSeconds(stream);
      const transcript = {
        stream: stream.key,
        duration: formatTime(Math.round(duration * 1000) / 1000),
        duration_seconds: duration,
        text: segments.map((segment) => segment.text).join(' '),
        segments: entries,
        uncertain_words: uncertainWords,
        uncertain_count: uncertainWords.length,
      };
      const out: NodeMessage = {
        ...messageBase(RED, stream.lastMsg),
        payload: output === 'text' ? transcript.text : transcript,
        ...extra,
      };
      RED.util.setMessageProperty(out, keyProperty, stream.key, true);
      RED.util.setMessageProperty(out, completeProperty, true, true);
      if (subtitles === 'srt' || subtitles === 'both') out.srt = toSrt(segments);
      if (subtitles === 'vtt' || subtitles === 'both') out.vtt = toWebVtt(segments);
      const review = splitUncertain && output !== 'segment'
        ? entries
            .filter((entry) => (entry.uncertain_words as string[]).length > 0)
            .map((entry): NodeMessage => {
              const reviewMsg: NodeMessage = { ...messageBase(RED, stream.lastMsg), payload: entry };
              RED.util.setMessageProperty(reviewMsg, keyProperty, stream.key, true);
              delete reviewMsg[completeProperty];
              return reviewMsg;
            })
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
        node.error(error, { ...messageBase(RED, stream.lastMsg), payload: undefined });
        dropStream(stream);
        showStatus();
      });
      return session;
    }

    async function finishStream(stream: LiveStream, extra: Record<string, unknown> = {}): Promise<void> {
      if (stream.idleTimer) clearTimeout(stream.idleTimer);
      const tail = stream.converter.end();
      const session = stream.session ?? (tail.length > 0 ? await openSession(stream) : undefined);
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
      if (output === 'segment') {
        // Segments that reached the session only through finalize's answer.
        while (stream.sent < segments.length) {
          const index = stream.sent++;
          const out: NodeMessage = { ...messageBase(RED, stream.lastMsg), payload: segmentEntry(segments[index], index) };
          RED.util.setMessageProperty(out, keyProperty, stream.key, true);
          delete out[completeProperty];
          const uncertain = uncertainWordsIn(segments[index].text).length > 0;
          node.send(!splitUncertain ? out : uncertain ? [null, out] : [out, null]);
        }
      }
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
            if (!closing) node.error(asError(error), { ...messageBase(RED, stream.lastMsg), payload: undefined });
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
              const converted = current.converter.push(chunk);
              const session = await openSession(current);
              if (converted.length > 0) {
                await session.write(converted);
                current.audioBytes += converted.length;
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
