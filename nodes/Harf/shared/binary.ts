import type { Readable } from 'node:stream';
import type { IExecuteFunctions } from 'n8n-workflow';

import { BadInputError } from '../../../lib/errors';

/** Audio or video read from an item's binary property, as a stream where n8n keeps it on disk. */
export interface BinaryMedia {
  source: Buffer | Readable;
  fileName: string;
  mimeType: string;
  /** Bytes, when known (always for a Buffer; from the metadata for a stream). */
  size?: number;
}

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
  field = 'binaryPropertyName',
): { fileName: string; mimeType: string } {
  let type = (mimeType ?? '').split(';')[0].trim().toLowerCase();
  type = MIME_ALIASES[type] ?? type;
  let name = (fileName ?? '').trim();
  let extension = extensionOf(name);

  const isMedia = type.startsWith('audio/') || type.startsWith('video/');
  if (!isMedia) {
    const fromExtension = extension ? MEDIA_TYPES[extension] : undefined;
    if (fromExtension) {
      type = fromExtension;
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

/**
 * Reads the binary property of one item. When n8n keeps binary data on disk or in object
 * storage (the binary has an id), the bytes are streamed; otherwise they are already in memory.
 */
export async function readBinaryMedia(
  context: IExecuteFunctions,
  itemIndex: number,
  propertyName: string,
): Promise<BinaryMedia> {
  const binary = context.helpers.assertBinaryData(itemIndex, propertyName);
  const fileName = binary.fileName ?? (binary.fileExtension ? `audio.${binary.fileExtension}` : 'audio');
  if (binary.id) {
    const [source, metadata] = await Promise.all([
      context.helpers.getBinaryStream(binary.id),
      context.helpers.getBinaryMetadata(binary.id),
    ]);
    return {
      source,
      fileName: metadata.fileName ?? fileName,
      mimeType: metadata.mimeType ?? binary.mimeType,
      size: metadata.fileSize,
    };
  }
  const buffer = await context.helpers.getBinaryDataBuffer(itemIndex, propertyName);
  return { source: buffer, fileName, mimeType: binary.mimeType, size: buffer.length };
}

/** The whole of a binary property in memory, for short audio that is converted before sending. */
export async function readBinaryBuffer(media: BinaryMedia, context: IExecuteFunctions): Promise<Buffer> {
  return Buffer.isBuffer(media.source) ? media.source : await context.helpers.binaryToBuffer(media.source);
}
