/**
 * What a user hands an upload, checked before anything is sent: the file's bytes, or the path of a
 * file on this machine (streamed later, never read whole), with its size for the progress shown.
 */
import { promises as fs } from 'node:fs';
import { BadInputError, describeValue } from '../errors';

export interface UploadSourceOptions {
  /** How errors name what was given, e.g. `msg.payload`. */
  field: string;
  /** What the user should give instead, in the runtime's words. */
  expected?: string;
}

export interface CheckedUpload {
  source: Buffer | string;
  /** Bytes, for the share of the upload sent. */
  size: number;
}

const EXPECTED = 'the bytes of an audio or video file (a Buffer) or the path of one';

/** A Buffer with bytes, or the path of a readable file that is not empty (a path is trimmed). */
export async function checkUploadSource(value: unknown, options: UploadSourceOptions): Promise<CheckedUpload> {
  const { field, expected = EXPECTED } = options;
  if (Buffer.isBuffer(value)) {
    if (value.length === 0) throw new BadInputError(field, 'an empty Buffer', expected);
    return { source: value, size: value.length };
  }
  if (typeof value !== 'string' || value.trim() === '') throw new BadInputError(field, describeValue(value), expected);
  const path = value.trim();
  const stats = await fs.stat(path).catch(() => undefined);
  if (!stats?.isFile()) throw new BadInputError(field, `the path "${path}", which is not a readable file`, expected);
  if (stats.size === 0) throw new BadInputError(field, `the empty file "${path}"`, expected);
  return { source: path, size: stats.size };
}
