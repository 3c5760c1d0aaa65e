/**
 * harf-live-stream: live transcription of audio (WAV, OGG/Opus, MP3, FLAC, OGG/Vorbis) arriving in chunks across messages.
 * Chunks with the same stream key (msg.topic by default) share one websocket session; segments are
 * sent as the service answers; a message with msg.complete ends the stream. Streams never mix, idle
 * ones end after a timeout, and audio of any rate or channel count is converted per stream: lib's
 * LiveStreams keeps these rules; this node maps messages to its chunks and its entries to messages.
 */
import { LiveStreams, SETTINGS, settingOrDefault, type LiveStreamView, type OutputEntry } from '../../lib/jobs';
import type { HarfConfigNode } from './accounts';
import {
  asError,
  clock,
  configNode,
  duration,
  failureMessage,
  entryProperties,
  messageBase,
  missingConfigError,
  statusBadge,
  readOutputOptions,
  type StatusBadge,
} from './common';
import { keepSegments, readStreamsFrom, streamProperties } from './streamChunks';
import type { NodeAPI, NodeDefinition, NodeMessage, NodeRedNode } from './types';

export = function register(RED: NodeAPI): void {
  function HarfLiveStream(this: NodeRedNode, definition: NodeDefinition): void {
    RED.nodes.createNode(this, definition);
    const node = this;
    const account = configNode<HarfConfigNode>(RED, definition.harf, 'harf-config');
    const { keyProperty, completeProperty } = streamProperties(definition);
    const idleSeconds = settingOrDefault(SETTINGS.live.idleTimeout, definition.idleTimeout);
    const { output, splitUncertain, subtitles } = readOutputOptions(definition, ['segment', 'file', 'text'], true, true);
    const status = statusBadge(RED, node, 'harf-live-stream');
    if (!account) status.cause('missing-account');
    // What the finished status reports (see showActivity).
    const ended = { streams: 0, seconds: 0 };

    /** A message for one stream: the stream's messages merged, the stream key, no end flag. */
    function streamMessage(stream: LiveStreamView<NodeMessage>, entry: OutputEntry): NodeMessage {
      const out: NodeMessage = { ...messageBase(RED, stream.context), payload: entry.json };
      RED.util.setMessageProperty(out, keyProperty, stream.key, true);
      delete out[completeProperty];
      return out;
    }

    /** The stream's own message for catch nodes: its properties, no audio. */
    const streamFailure = (stream: LiveStreamView<NodeMessage>): NodeMessage => ({
      ...messageBase(RED, stream.context),
      payload: undefined,
    });

    const streams = new LiveStreams<NodeMessage>({
      sessionOptions: () => {
        if (!account) throw missingConfigError('harf', 'harf-config');
        return account.liveOptions();
      },
      idleMs: idleSeconds * 1000,
      output,
      splitUncertain,
      subtitles,
      audioField: 'msg.payload',
      // Properties set on earlier chunks stay (an end message often carries only the key).
      mergeContext: (previous, next) => ({ ...previous, ...next }),
      onSegments: (stream, { transcript, review }) => {
        const certain = transcript.map((entry) => streamMessage(stream, entry));
        const uncertain = review.map((entry) => streamMessage(stream, entry));
        node.send(splitUncertain ? [certain, uncertain] : [certain]);
      },
      onTranscript: (stream, closing) => {
        ended.streams += 1;
        ended.seconds += closing.file.duration_seconds || 0;
        const out = closingMessage(RED, stream, closing, { output, keyProperty, completeProperty });
        const review = closing.review.map((entry) => streamMessage(stream, entry));
        node.send(splitUncertain ? [[out], review] : [out]);
      },
      onFailure: (stream, error) => node.error(asError(error), keepSegments(failureMessage(streamFailure(stream), error), error)),
      onIdle: (stream) => node.warn(`Live stream "${stream.key}" received no audio for ${idleSeconds} s: ending it`),
      onActivity: (activity) => showActivity(status, activity, ended),
    });

    readStreamsFrom(RED, node, definition, {
      streams,
      status,
      checkAccount: () => {
        if (!account) throw missingConfigError('harf', 'harf-config');
      },
    });
  }

  RED.nodes.registerType('harf-live-stream', HarfLiveStream);
};

/** The message that ends a stream: the whole transcript (its text in text mode), the key, the end flag set. */
function closingMessage(
  RED: NodeAPI,
  stream: LiveStreamView<NodeMessage>,
  closing: { entry: OutputEntry; idleTimeout: boolean },
  properties: { output: string; keyProperty: string; completeProperty: string },
): NodeMessage {
  const out: NodeMessage = {
    ...messageBase(RED, stream.context),
    payload: properties.output === 'text' ? closing.entry.json.text : closing.entry.json,
    ...entryProperties(closing.entry),
    ...(closing.idleTimeout ? { idleTimeout: true } : {}),
  };
  RED.util.setMessageProperty(out, properties.keyProperty, stream.key, true);
  RED.util.setMessageProperty(out, properties.completeProperty, true, true);
  return out;
}

/**
 * The status while streams run (the audio sent of the one shown), and once none runs what was done:
 * the streams ended and their audio. With nothing ended yet (a first stream failed) the cause stays.
 */
function showActivity(
  status: StatusBadge,
  activity: { streams: number; shown?: LiveStreamView<NodeMessage> },
  ended: { streams: number; seconds: number },
): void {
  const { streams: count, shown } = activity;
  if (count === 0 || !shown) {
    if (ended.streams > 0) status.done('streams', { count: ended.streams, duration: duration(ended.seconds) });
  } else if (count === 1) {
    status.working('streaming', { clock: clock(shown.audioSeconds) });
  } else {
    status.working('streamingMany', { clock: clock(shown.audioSeconds), count });
  }
}
