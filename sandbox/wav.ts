/** Just enough WAV header reading for the sandbox to know a file's length and format. */
export interface WavHeader {
  audioFormat: 'pcm' | 'float' | 'other';
  formatCode: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  byteRate: number;
  /** Where the audio samples start. */
  dataOffset: number;
  /** The `data` chunk's declared size (0 or 0xFFFFFFFF when the writer streamed it). */
  declaredDataLength: number;
}

export type WavHeaderResult = { kind: 'wav'; header: WavHeader } | { kind: 'incomplete' } | { kind: 'not-wav'; found: string };

/** Describes the first bytes of something that is not a WAV file. */
function describeStart(bytes: Buffer): string {
  if (bytes.length === 0) return 'no bytes';
  const ascii = bytes.subarray(0, 4).toString('latin1');
  if (/^[\x20-\x7e]{4}$/.test(ascii)) return `bytes starting with "${ascii}"`;
  return `bytes starting with 0x${bytes.subarray(0, 4).toString('hex')}`;
}

/** Reads a RIFF/WAVE header from the first bytes of a file (chunks in any order before `data`). */
export function readWavHeader(bytes: Buffer): WavHeaderResult {
  if (bytes.length < 12) {
    const riff = Buffer.from('RIFF');
    return riff.subarray(0, bytes.length).equals(bytes) && bytes.length > 0
      ? { kind: 'incomplete' }
      : { kind: 'not-wav', found: describeStart(bytes) };
  }
  if (bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WAVE') {
    return { kind: 'not-wav', found: describeStart(bytes) };
  }
  let offset = 12;
  let fmt: Omit<WavHeader, 'dataOffset' | 'declaredDataLength'> | undefined;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('latin1', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'data') {
      if (!fmt) return { kind: 'not-wav', found: 'a WAV file whose data chunk comes before its fmt chunk' };
      return { kind: 'wav', header: { ...fmt, dataOffset: body, declaredDataLength: size } };
    }
    if (id === 'fmt ') {
      if (body + 16 > bytes.length) return { kind: 'incomplete' };
      let formatCode = bytes.readUInt16LE(body);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (formatCode === 0xfffe && size >= 40) {
        if (body + 26 > bytes.length) return { kind: 'incomplete' };
        formatCode = bytes.readUInt16LE(body + 24);
      }
      fmt = {
        formatCode,
        audioFormat: formatCode === 1 ? 'pcm' : formatCode === 3 ? 'float' : 'other',
        channels: bytes.readUInt16LE(body + 2),
        sampleRate: bytes.readUInt32LE(body + 4),
        byteRate: bytes.readUInt32LE(body + 8),
        bitsPerSample: bytes.readUInt16LE(body + 14),
      };
    }
    offset = body + size + (size % 2);
  }
  return { kind: 'incomplete' };
}

/** Whether the header is what Harf's live endpoint needs: 16 kHz, mono, 16-bit PCM. */
export function isHarfLiveFormat(header: WavHeader): boolean {
  return header.audioFormat === 'pcm' && header.sampleRate === 16000 && header.channels === 1 && header.bitsPerSample === 16;
}

export function describeFormat(header: WavHeader): string {
  const kind = header.audioFormat === 'other' ? `format 0x${header.formatCode.toString(16)}` : header.audioFormat.toUpperCase();
  const channels = header.channels === 1 ? 'mono' : `${header.channels} channels`;
  return `${header.sampleRate} Hz ${channels} ${header.bitsPerSample}-bit ${kind}`;
}

/**
 * Seconds of audio in a WAV whose total size is `totalBytes`: the samples actually present,
 * bounded by the declared data size when the writer filled it in.
 */
export function wavDurationSeconds(header: WavHeader, totalBytes: number): number {
  let dataBytes = Math.max(0, totalBytes - header.dataOffset);
  if (header.declaredDataLength > 0 && header.declaredDataLength !== 0xffffffff) {
    dataBytes = Math.min(dataBytes, header.declaredDataLength);
  }
  const byteRate = header.byteRate || (header.sampleRate * header.channels * header.bitsPerSample) / 8;
  return byteRate > 0 ? dataBytes / byteRate : 0;
}
