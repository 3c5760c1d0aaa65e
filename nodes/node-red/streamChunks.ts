/**
 * Audio arriving in chunks across messages, as the live nodes read it: the chunks of one stream carry
 * the same key (msg.topic by default), and a message with the end flag (msg.complete) ends the stream.
 */
import { BadInputError, describeValue, segmentsReceived } from '../../lib/errors';
import { asError, failureMessage, type StatusBadge } from './common';
import type { NodeAPI, NodeDefinition, NodeMessage, NodeRedNode } from './types';

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== 'false';
}

function propertyName(value: unknown, fallback: string): string {
  const text = typeof value === 'string' ? value.trim().replace(/^msg\./, '') : '';
  return text === '' ? fallback : text;
}

/** The message properties a node reads the stream key and the end flag from. */
export function streamProperties(definition: NodeDefinition): { keyProperty: string; completeProperty: string } {
  return {
    keyProperty: propertyName(definition.keyProperty, 'topic'),
    completeProperty: propertyName(definition.completeProperty, 'complete'),
  };
}

/** A message's stream key, audio chunk and end flag, checked. */
export function readChunk(RED: NodeAPI, msg: NodeMessage, keyProperty: string, completeProperty: string) {
  const rawKey = RED.util.getMessageProperty(msg, keyProperty);
  if (rawKey !== undefined && rawKey !== null && typeof rawKey === 'object') {
    throw new BadInputError(`msg.${keyProperty}`, describeValue(rawKey), 'text or a number naming the stream');
  }
  const complete = isSet(RED.util.getMessageProperty(msg, completeProperty));
  const chunk = msg.payload;
  if (!Buffer.isBuffer(chunk) && !(complete && (chunk === undefined || chunk === null || chunk === ''))) {
    throw new BadInputError('msg.payload', describeValue(chunk), 'a Buffer with the next chunk of an audio stream');
  }
  const key = rawKey === undefined || rawKey === null ? '' : String(rawKey);
  return { key, chunk: Buffer.isBuffer(chunk) ? chunk : undefined, complete };
}

/** A failed live stream's catch message keeps the segments received before it failed (msg.segments). */
export function keepSegments<T extends object>(msg: T, error: unknown): T {
  const segments = segmentsReceived(error);
  if (segments) (msg as Record<string, unknown>).segments = segments;
  return msg;
}

/** What a live node hands its chunks to: lib's LiveStreams or ShortAudioStreams. */
interface ChunkStreams {
  push(key: string, chunk: Buffer | undefined, complete: boolean, context: NodeMessage): Promise<void>;
  close(): void;
}

/**
 * Wires a live node's input and close: each message's chunk goes to its stream, and the message is done
 * once the chunk is handled (the ending one once the transcript is out) or fails with its error; a
 * redeploy or stop ends every stream.
 */
export function readStreamsFrom(
  RED: NodeAPI,
  node: NodeRedNode,
  definition: NodeDefinition,
  parts: { streams: ChunkStreams; status: StatusBadge; checkAccount: () => void; onChunk?: () => void },
): void {
  const { keyProperty, completeProperty } = streamProperties(definition);
  node.on('input', (msg, _send, done) => {
    const fail = (error: unknown) => {
      parts.status.failed(error);
      keepSegments(failureMessage(msg, error), error);
      done(asError(error));
    };
    try {
      parts.checkAccount();
      const { key, chunk, complete } = readChunk(RED, msg, keyProperty, completeProperty);
      if (chunk) parts.onChunk?.();
      parts.streams.push(key, chunk, complete, msg).then(() => done(), fail);
    } catch (error) {
      fail(error);
    }
  });
  node.on('close', (_removed, done) => {
    parts.streams.close();
    parts.status.clear();
    done();
  });
}
