import type { Readable } from 'node:stream';
import { BadInputError } from '../errors';

// File extensions Harf and AssemblyAI receive, with the MIME type that goes with each.
const MEDIA_TYPES: Record<string, string> = {
  aac: 'audio/aac',
  amr: 'audio/amr',
  flac: 'audio/flac',
  m4a: 'audio/mp4',
  mp3: 'audio/mpeg',
  mpeg: 'audio/mpeg',
  oga: 'audio/ogg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  wav: 'audio/wav',
  weba: 'audio/webm',
  wma: 'audio/x-ms-wma',
  '3gp': 'video/3gpp',
  avi: 'video/x-msvideo',
  mkv: 'video/x-matroska',
  mov: 'video/quicktime',
  mp4: 'video/mp4',
  webm: 'video/webm',
};

// MIME types that name a container by another name; mapped to the one services recognise.
const MIME_ALIASES: Record<string, string> = {
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/mp3': 'audio/mpeg',
  'audio/x-mp3': 'audio/mpeg',
  'audio/x-m4a': 'audio/mp4',
  'audio/opus': 'audio/ogg',
  'application/ogg': 'audio/ogg',
  'audio/x-flac': 'audio/flac',
};

// Extensions worth renaming: `.oga` (Telegram voice notes) is Ogg audio under a rarer name.
const EXTENSION_ALIASES: Record<string, string> = { oga: 'ogg', opus: 'ogg', weba: 'webm', mpeg: 'mp3' };

const PREFERRED_EXTENSION: Record<string, string> = {
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'audio/flac': 'flac',
  'audio/mp4': 'm4a',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
  'audio/wav': 'wav',
  'audio/webm': 'webm',
  'audio/x-ms-wma': 'wma',
  'video/3gpp': '3gp',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
  'video/x-matroska': 'mkv',
  'video/x-msvideo': 'avi',
};

function extensionOf(fileName: string): string | undefined {
  const match = /\.([A-Za-z0-9]+)$/.exec(fileName);
  return match ? match[1].toLowerCase() : undefined;
}

/**
 * Picks the file name and Content-Type a transcription service accepts for an upload.
 * n8n often labels media `application/octet-stream` (Telegram's `.oga` voice notes, files read
 * from disk): the extension decides then. Odd aliases are mapped to the common names.
 */
export function uploadNameAndType(
  fileName: string | undefined,
  mimeType: string | undefined,
  field = 'file',
  head?: Buffer,
): { fileName: string; mimeType: string } {
  let type = (mimeType ?? '').split(';')[0].trim().toLowerCase();
  type = MIME_ALIASES[type] ?? type;
  let name = (fileName ?? '').trim();
  let extension = extensionOf(name);

  const isMedia = type.startsWith('audio/') || type.startsWith('video/');
  if (!isMedia) {
    const fromExtension = extension ? MEDIA_TYPES[extension] : undefined;
    const sniffed = head ? sniffMediaType(head) : undefined;
    if (fromExtension) {
      type = fromExtension;
    } else if (sniffed && (type === '' || type === 'application/octet-stream' || type === 'binary/octet-stream')) {
      type = sniffed;
    } else if (type === '' || type === 'application/octet-stream' || type === 'binary/octet-stream') {
      throw new BadInputError(
        field,
        `a file ${name ? `named "${name}"` : 'without a name'} of type ${type || 'unknown'}`,
        'an audio or video file whose name ends in a media extension (.mp3, .wav, .ogg, .m4a, .mp4, …) or whose MIME type is audio/* or video/*',
      );
    } else {
      throw new BadInputError(
        field,
        `a file of type ${type}${name ? ` ("${name}")` : ''}`,
        'an audio or video file (MIME type audio/* or video/*)',
      );
    }
  }

  if (extension && EXTENSION_ALIASES[extension]) {
    name = `${name.slice(0, -extension.length)}${EXTENSION_ALIASES[extension]}`;
    extension = EXTENSION_ALIASES[extension];
  }
  if (!name) name = 'audio';
  if (!extension || !MEDIA_TYPES[extension]) {
    const preferred = PREFERRED_EXTENSION[type];
    if (preferred) name = `${name}.${preferred}`;
  }
  return { fileName: name, mimeType: type };
}

/** The media type a file's first bytes show, for uploads that come without a usable name or type. */
export function sniffMediaType(head: Buffer): string | undefined {
  const ascii = (start: number, end: number) => head.subarray(start, end).toString('latin1');
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'audio/wav';
  if (ascii(0, 4) === 'OggS') return 'audio/ogg';
  if (ascii(0, 4) === 'fLaC') return 'audio/flac';
  if (ascii(0, 3) === 'ID3' || (head[0] === 0xff && head.length > 1 && (head[1] & 0xe0) === 0xe0 && (head[1] & 0x06) !== 0))
    return 'audio/mpeg';
  if (ascii(4, 8) === 'ftyp') return ascii(8, 11) === 'M4A' ? 'audio/mp4' : 'video/mp4';
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return 'video/webm';
  if (ascii(0, 6) === '#!AMR\n') return 'audio/amr';
  return undefined;
}

/** The first bytes of a stream, put back so the stream still yields everything. */
export async function peekStream(stream: Readable, bytes = 16): Promise<Buffer> {
  if (stream.readableEnded) return Buffer.alloc(0);
  return new Promise<Buffer>((resolve, reject) => {
    const onReadable = () => {
      const chunk = stream.read() as Buffer | null;
      if (chunk === null) return;
      stream.off('readable', onReadable).off('error', reject).off('end', onEnd);
      stream.unshift(chunk);
      resolve(chunk.subarray(0, bytes));
    };
    const onEnd = () => resolve(Buffer.alloc(0));
    stream.on('readable', onReadable).once('error', reject).once('end', onEnd);
  });
}
