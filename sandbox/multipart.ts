/**
 * A streaming multipart/form-data parser: it scans for the boundary across chunk edges and hands
 * part data on as it arrives, so an upload of any size is read in constant memory.
 */
export interface PartInfo {
  /** The form field name from Content-Disposition. */
  name?: string;
  /** The file name, present when the part is a file. */
  filename?: string;
  /** The part's Content-Type, lower case, without parameters. */
  contentType?: string;
  headers: Record<string, string>;
}

export interface MultipartHandlers {
  onPart(part: PartInfo): void;
  onData(data: Buffer): void;
  onPartEnd(): void;
}

export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MultipartError';
  }
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_PREAMBLE_LINE = 1024;

type State = 'preamble' | 'afterBoundary' | 'headers' | 'body' | 'done';

/** The boundary parameter of a multipart Content-Type, if there is one. */
export function boundaryFrom(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  return boundary && boundary.length <= 200 ? boundary : undefined;
}

/** Splits `form-data; name="media"; filename="a.wav"` into its parameters. */
function dispositionParams(value: string): Record<string, string> {
  const params: Record<string, string> = {};
  const pattern = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (const match of value.matchAll(pattern)) {
    const key = match[1].toLowerCase();
    const raw = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '').trim();
    params[key] = raw;
  }
  const extended = params['filename*'];
  if (extended !== undefined) {
    const ext = /^([^']*)'[^']*'(.*)$/.exec(extended);
    if (ext) {
      try {
        params.filename = decodeURIComponent(ext[2]);
      } catch {
        // keep the plain filename
      }
    }
  }
  return params;
}

export class MultipartParser {
  private readonly delimiter: Buffer;
  private state: State = 'preamble';
  // The body starts as if preceded by CRLF, so a boundary on the first line matches the delimiter.
  private pending: Buffer = Buffer.from(CRLF);

  constructor(
    boundary: string,
    private readonly handlers: MultipartHandlers,
  ) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  }

  get finished(): boolean {
    return this.state === 'done';
  }

  write(chunk: Buffer): void {
    if (this.state === 'done') return;
    let buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    let progress = true;
    while (progress) {
      progress = false;
      switch (this.state) {
        case 'preamble': {
          const at = buf.indexOf(this.delimiter);
          if (at < 0) {
            buf = buf.subarray(Math.max(0, buf.length - (this.delimiter.length - 1)));
            break;
          }
          buf = buf.subarray(at + this.delimiter.length);
          this.state = 'afterBoundary';
          progress = true;
          break;
        }
        case 'afterBoundary': {
          if (buf.length < 2) break;
          if (buf[0] === 0x2d && buf[1] === 0x2d) {
            this.state = 'done';
            buf = buf.subarray(buf.length);
            break;
          }
          const lineEnd = buf.indexOf(CRLF);
          if (lineEnd < 0) {
            if (buf.length > MAX_PREAMBLE_LINE) throw new MultipartError('boundary line is not followed by CRLF');
            break;
          }
          if (!/^[ \t]*$/.test(buf.toString('latin1', 0, lineEnd))) {
            throw new MultipartError('boundary line is followed by unexpected bytes');
          }
          buf = buf.subarray(lineEnd + 2);
          this.state = 'headers';
          progress = true;
          break;
        }
        case 'headers':
          [buf, progress] = this.readHeaders(buf);
          break;
        case 'body':
          [buf, progress] = this.readBody(buf);
          break;
        case 'done':
          break;
      }
    }
    // Copy what is kept so a large chunk is not held alive by a small remainder.
    this.pending = Buffer.from(buf);
  }

  /** The part's headers, once they have all come; the rest of `buf`, and whether it moved on. */
  private readHeaders(buf: Buffer): [Buffer, boolean] {
    let headerText: string;
    if (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) {
      headerText = '';
      buf = buf.subarray(2);
    } else {
      const end = buf.indexOf(HEADER_END);
      if (end < 0) {
        if (buf.length > MAX_HEADER_BYTES) throw new MultipartError('part headers are too long');
        return [buf, false];
      }
      headerText = buf.toString('utf8', 0, end);
      buf = buf.subarray(end + 4);
    }
    this.handlers.onPart(parsePartHeaders(headerText));
    this.state = 'body';
    return [buf, true];
  }

  /** Part data up to the next delimiter, handed on as it comes; the rest of `buf`, and whether the part ended. */
  private readBody(buf: Buffer): [Buffer, boolean] {
    const at = buf.indexOf(this.delimiter);
    if (at < 0) {
      // Keep just enough of the tail to recognise a delimiter that continues in the next chunk.
      const safe = buf.length - (this.delimiter.length - 1);
      if (safe <= 0) return [buf, false];
      this.handlers.onData(buf.subarray(0, safe));
      return [buf.subarray(safe), false];
    }
    if (at > 0) this.handlers.onData(buf.subarray(0, at));
    this.handlers.onPartEnd();
    this.state = 'afterBoundary';
    return [buf.subarray(at + this.delimiter.length), true];
  }

  /** Call at the end of the body: it must have ended with the closing boundary. */
  end(): void {
    if (this.state === 'done') return;
    if (this.state === 'preamble') throw new MultipartError('no boundary found in the body');
    throw new MultipartError('the body ended before the closing boundary');
  }
}

function parsePartHeaders(text: string): PartInfo {
  const headers: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const info: PartInfo = { headers };
  const disposition = headers['content-disposition'];
  if (disposition) {
    const params = dispositionParams(disposition);
    info.name = params.name;
    info.filename = params.filename;
  }
  const type = headers['content-type'];
  if (type) info.contentType = type.split(';')[0].trim().toLowerCase();
  return info;
}
