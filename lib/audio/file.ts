import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
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

/** Input read this many bytes at a time: memory is this and the converter's window, whatever the file's length. */
const READ_PIECE = 1024 * 1024;

/**
 * Converts audio of any accepted kind, from a path or a stream, to a 16-bit mono PCM WAV file at
 * `targetRate` (16 kHz by default, what Harf needs), piece by piece. The header's sizes are written
 * once the length is known.
 */
export async function convertAudioFile(input: string | Readable, outputPath: string, options: { targetRate?: number } = {}): Promise<ConvertedFile> {
  const converter = new AudioStreamConverter({ targetRate: options.targetRate ?? HARF_SAMPLE_RATE });
  const source = typeof input === 'string' ? createReadStream(input, { highWaterMark: READ_PIECE }) : input;
  const output = await open(outputPath, 'w');
  let bytes = 0;
  try {
    const write = async (piece: Buffer) => {
      if (piece.length === 0) return;
      await output.write(piece, 0, piece.length, bytes);
      bytes += piece.length;
    };
    for await (const chunk of source) await write(await converter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
    await write(await converter.end());
    // The stream's header says "length unknown": now it is known.
    const header = wavHeader(converter.targetRate, 1, bytes - 44);
    await output.write(header, 0, header.length, 0);
  } catch (error) {
    converter.close();
    if (typeof input === 'string') source.destroy();
    throw error;
  } finally {
    await output.close();
  }
  return { bytes, info: converter.info as AudioStreamInfo, warnings: [...converter.warnings] };
}
