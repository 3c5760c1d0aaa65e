import { BadInputError, describeValue } from '../errors';
import { describeNonWav } from './wav';

/** The audio containers the package reads, recognised by their first bytes. */
export type AudioKind = 'wav' | 'ogg-opus' | 'ogg-vorbis' | 'mp3' | 'flac';

export const AUDIO_KIND_NAMES: Record<AudioKind, string> = {
  wav: 'WAV',
  'ogg-opus': 'OGG/Opus',
  'ogg-vorbis': 'OGG/Vorbis',
  mp3: 'MP3',
  flac: 'FLAC',
};

export const ACCEPTED_AUDIO =
  'WAV (PCM 8/16/24/32-bit, float, µ-law/A-law), OGG/Opus (Telegram and WhatsApp voice notes), MP3, FLAC or OGG/Vorbis; ' +
  "Harf's Upload File sends any other format to Harf as it is";

/** Bytes enough to tell every accepted kind apart: an OGG page header (27) + segment table + codec id. */
export const DETECT_BYTES = 64;

export type Detection = { kind: AudioKind } | { kind: 'unsupported'; found: string } | { kind: 'need-more' };

/** The OGG codec, from the identification packet at the start of the first page's body. */
function oggCodec(head: Buffer): 'opus' | 'vorbis' | 'other' | 'need-more' {
  if (head.length < 27) return 'need-more';
  const segments = head[26];
  const body = 27 + segments;
  if (head.length < body + 8) return 'need-more';
  if (head.toString('latin1', body, body + 8) === 'OpusHead') return 'opus';
  if (head[body] === 0x01 && head.toString('latin1', body + 1, body + 7) === 'vorbis') return 'vorbis';
  return 'other';
}

/** An MPEG audio frame header: sync, a version that exists, layer I–III, a valid bitrate and rate. */
function isMpegFrame(head: Buffer, at: number): boolean {
  if (head.length < at + 4) return false;
  const b1 = head[at + 1];
  const b2 = head[at + 2];
  return (
    head[at] === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x18) !== 0x08 && (b1 & 0x06) !== 0 && (b2 & 0xf0) !== 0xf0 && (b2 & 0x0c) !== 0x0c
  );
}

/**
 * What the bytes are, from their start (never from a file name). `need-more` when `head` is too
 * short to say and `final` is false (a stream whose first chunk is tiny).
 */
export function detectAudio(head: Buffer, final = true): Detection {
  if (!Buffer.isBuffer(head)) return { kind: 'unsupported', found: describeValue(head) };
  const short = head.length < DETECT_BYTES && !final;
  const magic = head.toString('latin1', 0, 4);
  if ((magic === 'RIFF' || magic === 'RF64' || magic === 'BW64') && head.length >= 12 && head.toString('latin1', 8, 12) === 'WAVE') {
    return { kind: 'wav' };
  }
  if (magic === 'fLaC') return { kind: 'flac' };
  if (head.toString('latin1', 0, 3) === 'ID3' || isMpegFrame(head, 0)) return { kind: 'mp3' };
  if (magic === 'OggS') {
    const codec = oggCodec(head);
    if (codec === 'opus') return { kind: 'ogg-opus' };
    if (codec === 'vorbis') return { kind: 'ogg-vorbis' };
    if (codec === 'need-more' && short) return { kind: 'need-more' };
    return {
      kind: 'unsupported',
      found:
        codec === 'need-more'
          ? 'an OGG file cut off inside its first page'
          : 'an OGG file whose codec is neither Opus nor Vorbis (FLAC, Speex…)',
    };
  }
  if (short && head.length < 12) return { kind: 'need-more' };
  return { kind: 'unsupported', found: describeNonWav(head) };
}

/** The kind of audio, or a BadInputError naming what was found, what is accepted and Upload File. */
export function audioKindOf(head: Buffer, field = 'audio'): AudioKind {
  const detection = detectAudio(head);
  if (detection.kind === 'need-more') throw new BadInputError(field, `only ${head.length} bytes`, ACCEPTED_AUDIO);
  if (detection.kind === 'unsupported') throw new BadInputError(field, detection.found, ACCEPTED_AUDIO);
  return detection.kind;
}
