/**
 * Audio arriving in chunks across messages, as the live nodes read it: the chunks of one stream carry
 * the same key (msg.topic by default), and a message with the end flag (msg.complete) ends the stream.
 */
import { BadInputError, describeValue } from '../../lib/errors';
import type { NodeAPI, NodeDefinition, NodeMessage } from './types';

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
