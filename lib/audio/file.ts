// fs.promises is read when a file is converted, not when the package loads.
import { promises as fsPromises } from 'node:fs';
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

/** Input read this many bytes at a time: memory is a few of these and the converter's window, whatever the file's length. */
const READ_PIECE = 1024 * 1024;

/**
 * A path's bytes in READ_PIECE pieces, the next one being read while this one is converted (plain
 * reads: a stream's machinery costs more than the reads), or a stream's chunks. Once `reusable()`
 * says a piece is not kept past its conversion, two buffers take turns: fresh ones would cost a
 * page fault per 4 KiB and grow the memory until the collector runs.
 */
async function* pieces(input: string | Readable, reusable: () => boolean): AsyncGenerator<Buffer> {
  if (typeof input !== 'string') {
    for await (const chunk of input) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    return;
  }
  const file = await fsPromises.open(input, 'r');
  const spare: Buffer[] = [];
  const read = () => {
    const buffer = (reusable() && spare.pop()) || Buffer.allocUnsafe(READ_PIECE);
    return file.read(buffer, 0, READ_PIECE, null);
  };
  let next = read();
  try {
    for (;;) {
      const { bytesRead, buffer } = await next;
      if (bytesRead === 0) return;
      next = read();
      yield buffer.subarray(0, bytesRead);
      // Converted: its buffer can take the read after next.
      if (reusable()) spare.push(buffer);
    }
  } finally {
    // A read still under way when the conversion stops must end before the file closes.
    await next.catch(() => undefined);
    await file.close();
  }
}

/**
 * Two output buffers taking turns, one being written while the next piece is converted into the
 * other: fresh ones would cost a page fault per 4 KiB. `next()` gives a piece's allocator, which
 * hands out the buffer of its turn once, then fresh ones.
 */
class OutputBuffers {
  private readonly buffers = [Buffer.alloc(0), Buffer.alloc(0)];
  private turn = 0;

  next(): (size: number) => Buffer {
    let taken = false;
    return (size) => {
      if (taken) return Buffer.allocUnsafe(size);
      taken = true;
      this.turn ^= 1;
      if (this.buffers[this.turn].length < size) this.buffers[this.turn] = Buffer.allocUnsafe(size);
      return this.buffers[this.turn].subarray(0, size);
    };
  }
}

/**
 * Converts audio of any accepted kind, from a path or a stream, to a 16-bit mono PCM WAV file at
 * `targetRate` (16 kHz by default, what Harf needs), piece by piece: the next piece is read while
 * one is converted. The header's sizes are written once the length is known.
 */
export async function convertAudioFile(
  input: string | Readable,
  outputPath: string,
  options: { targetRate?: number } = {},
): Promise<ConvertedFile> {
  const converter = new AudioStreamConverter({ targetRate: options.targetRate ?? HARF_SAMPLE_RATE });
  const output = await fsPromises.open(outputPath, 'w');
  const outputs = new OutputBuffers();
  let bytes = 0;
  // One write under way while the next piece is converted, each at its own offset; its failure is
  // kept (not left unhandled) and thrown at the next write.
  let writing = Promise.resolve();
  let failure: { error: unknown } | undefined;
  const settle = async () => {
    await writing;
    if (failure) throw failure.error;
  };
  const write = async (piece: Buffer) => {
    await settle();
    if (piece.length === 0) return;
    writing = output.write(piece, 0, piece.length, bytes).then(
      () => undefined,
      (error: unknown) => void (failure = { error }),
    );
    bytes += piece.length;
  };
  try {
    // WAV is read by copying what it keeps (header pieces, a split frame); a codec's decoder may keep its input.
    for await (const piece of pieces(input, () => converter.kind === 'wav')) await write(await converter.push(piece, outputs.next()));
    await write(await converter.end());
    await settle();
    // The stream's header says "length unknown": now it is known.
    const header = wavHeader(converter.targetRate, 1, bytes - 44);
    await output.write(header, 0, header.length, 0);
  } catch (error) {
    converter.close();
    throw error;
  } finally {
    await writing;
    await output.close();
  }
  return { bytes, info: converter.info as AudioStreamInfo, warnings: [...converter.warnings] };
}
