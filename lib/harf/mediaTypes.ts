import * as path from 'node:path';

// Types the service accepts, by file extension. Messaging apps often label voice notes
// application/octet-stream; the extension then tells what they are.
const BY_EXTENSION: Record<string, string> = {
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.wave': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.flac': 'audio/flac',
  '.amr': 'audio/amr',
  '.weba': 'audio/webm',
  '.webm': 'video/webm',
  '.wma': 'audio/x-ms-wma',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.mkv': 'video/x-matroska',
  '.avi': 'video/x-msvideo',
  '.3gp': 'video/3gpp',
};

/** A Content-Type for an uploaded file: the given one when it names audio or video, else one from the name. */
export function mediaTypeFor(filename: string | undefined, given?: string): string {
  const declared = given?.split(';')[0].trim().toLowerCase();
  if (declared && (declared.startsWith('audio/') || declared.startsWith('video/'))) return declared;
  const guessed = filename ? BY_EXTENSION[path.extname(filename).toLowerCase()] : undefined;
  if (guessed) return guessed;
  if (declared === 'application/ogg') return 'audio/ogg';
  return declared || 'application/octet-stream';
}
