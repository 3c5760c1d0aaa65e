import { Readable } from 'node:stream';

/** One part of a multipart/form-data body. */
export interface FormPart {
  name: string;
  filename?: string;
  contentType: string;
  /** The part's content: whole, or streamed as it is produced. */
  content: Buffer | string | Readable | AsyncIterable<Buffer>;
  /** The content's length in bytes, when known (a Buffer's or a string's is taken from it). */
  size?: number;
}

export interface MultipartBody {
  body: Readable;
  contentType: string;
  /** The whole body's length, when every part's is known; else the body goes chunked. */
  length?: number;
}

/** Escapes a form parameter as the HTML form-encoding rules do, so a name cannot break out of its header. */
function escapeParam(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is escaped
  return value.replace(/["\\\x00-\x1f]/g, (char) =>
    char === '"' ? '%22' : char === '\\' ? '\\\\' : `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

function partHead(boundary: string, part: FormPart, first: boolean): Buffer {
  const filename = part.filename === undefined ? '' : `; filename="${escapeParam(part.filename)}"`;
  const lead = first ? '' : '\r\n';
  return Buffer.from(
    `${lead}--${boundary}\r\nContent-Disposition: form-data; name="${escapeParam(part.name)}"${filename}\r\nContent-Type: ${part.contentType}\r\n\r\n`,
    'utf8',
  );
}

function sizeOf(part: FormPart): number | undefined {
  if (typeof part.content === 'string') return Buffer.byteLength(part.content);
  if (Buffer.isBuffer(part.content)) return part.content.length;
  return part.size;
}

async function* pieces(boundary: string, parts: FormPart[]): AsyncGenerator<Buffer> {
  for (const [index, part] of parts.entries()) {
    yield partHead(boundary, part, index === 0);
    if (typeof part.content === 'string') yield Buffer.from(part.content, 'utf8');
    else if (Buffer.isBuffer(part.content)) yield part.content;
    else for await (const chunk of part.content) yield chunk;
  }
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}

/**
 * The one multipart/form-data builder: parts in the order given, streamed (a part's content is read
 * only as the body is sent, so a large file or audio still being converted never sits in memory).
 */
export function multipartBody(parts: FormPart[]): MultipartBody {
  const boundary = `----harf${globalThis.crypto.randomUUID().replace(/-/g, '')}`;
  const sizes = parts.map(sizeOf);
  let length: number | undefined;
  if (sizes.every((size) => size !== undefined)) {
    const heads = parts.reduce((sum, part, index) => sum + partHead(boundary, part, index === 0).length, 0);
    length = heads + (sizes as number[]).reduce((sum, size) => sum + size, 0) + Buffer.byteLength(`\r\n--${boundary}--\r\n`);
  }
  const body = Readable.from(pieces(boundary, parts), { objectMode: false });
  // A streamed part that fails fails the body, so the request reports it rather than hanging.
  for (const part of parts) if (part.content instanceof Readable) part.content.once('error', (error) => body.destroy(error));
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, length };
}
