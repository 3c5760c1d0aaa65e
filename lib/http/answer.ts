import type { Readable } from 'node:stream';
import { ConnectionError, UnexpectedResponseError, WaitTimeoutError, type Service } from '../errors';
import type { AnswerLimits } from './types';

/** Answers are JSON of a few kilobytes; a few MB is already far more than any documented one. */
export const DEFAULT_ANSWER_LIMITS: Required<AnswerLimits> = { maxAnswerBytes: 4 * 1024 * 1024, idleTimeoutMs: 30_000 };

/** A size in words: "3.5 MB", "812 bytes". */
export function sizeInWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export interface AnswerReading {
  /** The whole body, once it has arrived within the limits. */
  body: Promise<Buffer>;
  /** Bytes received so far. */
  received(): number;
  /** Stops reading (the stream is destroyed) and fails the reading with `error`. */
  fail(error: Error): void;
}

/**
 * Reads an answer's body in bounded memory: past `maxAnswerBytes` it stops and refuses it
 * (UnexpectedResponseError naming the size), and an answer that stops arriving for `idleTimeoutMs`
 * fails (WaitTimeoutError saying how much came). One reader for every transport.
 */
export function readAnswer(
  stream: Readable,
  host: string,
  limits: AnswerLimits & { service?: Service; overallMs?: number } = {},
): AnswerReading {
  const maxBytes = limits.maxAnswerBytes ?? DEFAULT_ANSWER_LIMITS.maxAnswerBytes;
  const idleMs = limits.idleTimeoutMs ?? DEFAULT_ANSWER_LIMITS.idleTimeoutMs;
  const service = limits.service;
  const chunks: Buffer[] = [];
  let received = 0;
  let settle: { resolve: (body: Buffer) => void; reject: (error: Error) => void } | undefined;
  const body = new Promise<Buffer>((resolve, reject) => (settle = { resolve, reject }));
  let idle: NodeJS.Timeout | undefined;
  let overall: NodeJS.Timeout | undefined;
  const finish = (error: Error | undefined) => {
    if (!settle) return;
    const { resolve, reject } = settle;
    settle = undefined;
    clearTimeout(idle);
    clearTimeout(overall);
    if (error) {
      stream.destroy();
      reject(error);
    } else resolve(Buffer.concat(chunks));
  };
  const armIdle = () => {
    // One timer pushed back for each piece: an answer of many pieces makes no new timer each time.
    if (!settle) return;
    if (idle) {
      idle.refresh();
      return;
    }
    idle = setTimeout(() => {
      const what = received === 0 ? 'no byte of its body came' : `${sizeInWords(received)} came, then nothing more`;
      finish(
        new WaitTimeoutError(`The answer from ${host} stopped arriving: ${what} for ${Math.round(idleMs / 1000)} s`, idleMs, { service }),
      );
    }, idleMs);
  };
  // 'close' follows every answer: an error is made only for one that has not ended.
  const brokeOff = (code?: string) =>
    settle &&
    finish(
      new ConnectionError(`The answer from ${host} broke off after ${sizeInWords(received)}${code ? `: ${code}` : ''}`, {
        service,
        code: code ?? 'ECONNRESET',
      }),
    );
  stream.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBytes) {
      finish(
        new UnexpectedResponseError(
          `The answer from ${host} is larger than the ${sizeInWords(maxBytes)} an answer may be: it was refused after ${sizeInWords(received)}`,
          { service, field: '(body)' },
        ),
      );
      return;
    }
    chunks.push(chunk);
    armIdle();
  });
  stream.on('error', (error: NodeJS.ErrnoException) => brokeOff(error.code ?? error.message));
  stream.on('aborted', () => brokeOff());
  stream.on('end', () => ((stream as { complete?: boolean }).complete === false ? brokeOff() : finish(undefined)));
  stream.on('close', () => brokeOff());
  armIdle();
  const overallMs = limits.overallMs;
  // What is left of the request's own time limit, for a transport that cannot keep one itself.
  if (overallMs !== undefined) overall = setTimeout(() => finish(partialAnswerError(host, overallMs, received, service)), overallMs);
  return { body, received: () => received, fail: (error) => finish(error) };
}

/** The whole answer did not arrive within the limit: part of it came (`received` bytes). */
export function partialAnswerError(host: string, limitMs: number, received: number, service?: Service): WaitTimeoutError {
  return new WaitTimeoutError(
    `Only part of the answer from ${host} arrived within ${Math.round(limitMs / 1000)} s (${sizeInWords(received)})`,
    limitMs,
    {
      requestSent: true,
      service,
    },
  );
}
