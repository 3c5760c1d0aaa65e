// fs.promises and stream.promises are read when a file is converted, not when the package loads.
import { createReadStream, createWriteStream, promises as fsPromises } from 'node:fs';
import { type Readable, promises as streamPromises } from 'node:stream';
import { type AudioStreamInfo, AudioStreamConverter } from './anyFormat';
import { HARF_SAMPLE_RATE } from './convert';
import { wavHeader } from './wav';

export interface ConvertedFile {
  /** Bytes of the output file, its 44-byte header included. */
  bytes: number;
  info: AudioStreamInfo;
  /** See AudioStreamConverter's warnings. */
  warnings: string[];
}

/** Input read this many bytes at a time: memory is a few of these and the converter's window, whatever the file's length. */
const READ_PIECE = 1024 * 1024;

/**
 * Converts audio of any accepted kind, from a path or a stream, to a 16-bit mono PCM WAV file at
 * `targetRate` (16 kHz by default, what Harf needs), piece by piece: reading, converting and writing
 * overlap. The header's sizes are written once the length is known.
 */
export async function convertAudioFile(
  input: string | Readable,
  outputPath: string,
  options: { targetRate?: number } = {},
): Promise<ConvertedFile> {
  const converter = new AudioStreamConverter({ targetRate: options.targetRate ?? HARF_SAMPLE_RATE });
  const source = typeof input === 'string' ? createReadStream(input, { highWaterMark: READ_PIECE }) : input;
  let bytes = 0;
  async function* convert(chunks: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<Buffer> {
    for await (const chunk of chunks) yield await converter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    yield await converter.end();
  }
  async function* count(pieces: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const piece of pieces) {
      bytes += piece.length;
      if (piece.length > 0) yield piece;
    }
  }
  try {
    await streamPromises.pipeline(source, convert, count, createWriteStream(outputPath, { highWaterMark: READ_PIECE }));
  } catch (error) {
    converter.close();
    throw error;
  }
  // The stream's header says "length unknown": now it is known.
  const output = await fsPromises.open(outputPath, 'r+');
  try {
    const header = wavHeader(converter.targetRate, 1, bytes - 44);
    await output.write(header, 0, header.length, 0);
  } finally {
    await output.close();
  }
  return { bytes, info: converter.info as AudioStreamInfo, warnings: [...converter.warnings] };
}
