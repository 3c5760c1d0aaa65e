import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AudioStreamConverter, decodeToPcm16 } from '../../../lib/audio';
import { readFlacMetadata } from '../../../lib/audio/flac';

// 44.1 kHz stereo noise made with sox and the flac encoder (--no-padding -b 4096), picked because the
// last byte before its final frame's CRC-16 footer is 0xFF: codec-parser 2.5.0 alone loses that frame.
const ENDS_IN_FF = readFileSync(join(__dirname, '..', '..', 'fixtures', 'audio', 'last-frame-ends-in-ff.flac'));
const STATED_SAMPLES = 6349;

/** The fixture with STREAMINFO's 36-bit total samples rewritten. */
function claiming(samples: number): Buffer {
  const file = Buffer.from(ENDS_IN_FF);
  const at = 8 + 13; // "fLaC", the block header, then byte 13 of STREAMINFO
  file[at] = (file[at] & 0xf0) | Math.floor(samples / 2 ** 32);
  file.writeUInt32BE(samples % 2 ** 32, at + 1);
  return file;
}

describe('FLAC', () => {
  it('reads where the frames start and how many samples STREAMINFO states', () => {
    expect(ENDS_IN_FF[ENDS_IN_FF.length - 3]).toBe(0xff);
    // The frames start after STREAMINFO and the Vorbis comment.
    expect(readFlacMetadata(ENDS_IN_FF)).toEqual({ framesAt: 108, totalSamples: STATED_SAMPLES });
    expect(readFlacMetadata(ENDS_IN_FF.subarray(0, 20))).toBeUndefined();
  });

  it('decodes the last frame too, to the length STREAMINFO states, with no warning', async () => {
    const decoded = await decodeToPcm16(ENDS_IN_FF, 44100);
    expect(decoded.durationSeconds).toBeCloseTo(STATED_SAMPLES / 44100, 9);
    expect(decoded.pcm.length).toBe(STATED_SAMPLES * 2);
    expect(decoded.warnings).toEqual([]);
  });

  it.each([1, 7, 4096])('gives the same whatever the size of the pieces (%d bytes)', async (piece) => {
    const converter = new AudioStreamConverter({ targetRate: 44100 });
    let bytes = 0;
    for (let offset = 0; offset < ENDS_IN_FF.length; offset += piece)
      bytes += (await converter.push(ENDS_IN_FF.subarray(offset, offset + piece))).length;
    bytes += (await converter.end()).length;
    expect(bytes).toBe(44 + STATED_SAMPLES * 2);
    expect(converter.warnings).toEqual([]);
  });

  it('warns when the decoded length disagrees with STREAMINFO', async () => {
    const decoded = await decodeToPcm16(claiming(STATED_SAMPLES + 1000), 16000);
    expect(decoded.warnings).toEqual([`FLAC audio whose STREAMINFO states ${STATED_SAMPLES + 1000} samples decoded to ${STATED_SAMPLES}`]);
  });

  it('does not warn when STREAMINFO leaves the length unknown (0)', async () => {
    expect((await decodeToPcm16(claiming(0), 16000)).warnings).toEqual([]);
  });
});
