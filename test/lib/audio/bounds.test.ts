import { AssemblyAiClient } from '../../../lib/assemblyai';
import { BadInputError } from '../../../lib/errors';
import { Resampler, WavStreamConverter, readWavInfo, toHarfWav, toPcm16Mono } from '../../../lib/audio';
import { transcribeLive } from '../../../lib/harf/live';
import { hostileWav, LYING_RATE } from '../../support/hostile';

/** Runs `fn`, recording the largest Buffer it asked for (work bounded by the audio present allocates little). */
function largestAllocation<T>(fn: () => T): { result?: T; error?: unknown; largest: number } {
  let largest = 0;
  const spies = (['alloc', 'allocUnsafe', 'allocUnsafeSlow'] as const).map((name) => {
    const original = Buffer[name].bind(Buffer) as (size: number, ...rest: unknown[]) => Buffer;
    return jest.spyOn(Buffer, name).mockImplementation(((size: number, ...rest: unknown[]) => {
      largest = Math.max(largest, size);
      return original(size, ...rest);
    }) as never);
  });
  try {
    return { result: fn(), largest };
  } catch (error) {
    return { error, largest };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

const paths: Array<[string, (wav: Buffer) => Buffer]> = [
  ['toHarfWav', (wav) => toHarfWav(wav)],
  ['toPcm16Mono (AssemblyAI, 8 kHz)', (wav) => toPcm16Mono(wav, 8000).pcm],
  [
    'WavStreamConverter, one piece',
    (wav) => {
      const converter = new WavStreamConverter();
      return Buffer.concat([converter.push(wav), converter.end()]);
    },
  ],
  [
    'WavStreamConverter, byte by byte',
    (wav) => {
      const converter = new WavStreamConverter();
      const out: Buffer[] = [];
      for (let at = 0; at < wav.length; at++) out.push(converter.push(wav.subarray(at, at + 1)));
      out.push(converter.end());
      return Buffer.concat(out);
    },
  ],
];

describe.each(paths)('%s: a 100-byte file costs kilobytes', (_name, convert) => {
  it.each([LYING_RATE, 1, 999, 384_001, 0xffffffff])(
    'a header claiming %d Hz is refused before any large allocation, naming the rate',
    (rate) => {
      const { error, largest } = largestAllocation(() => convert(hostileWav(rate)));
      expect(error).toBeInstanceOf(BadInputError);
      expect(error).toMatchObject({
        field: 'audio',
        found: `a WAV file whose header claims a sample rate of ${rate} Hz`,
        expected: 'a sample rate from 1000 Hz to 384000 Hz (1 kHz to 384 kHz)',
      });
      expect(largest).toBeLessThan(1024);
    },
  );

  it.each([1000, 8000, 384_000])('at %d Hz the output is bounded by the 28 samples present, not the 2 GB the header claims', (rate) => {
    const { result, error, largest } = largestAllocation(() => convert(hostileWav(rate)));
    expect(error).toBeUndefined();
    const out = result as Buffer;
    const target = _name.startsWith('toPcm16Mono') ? 8000 : 16000;
    const header = _name.startsWith('toPcm16Mono') ? 0 : 44;
    // 28 frames, times the rate ratio, plus one sample of rounding.
    expect(out.length - header).toBeLessThanOrEqual((Math.ceil((28 * target) / rate) + 1) * 2);
    expect(largest).toBeLessThan(64 * 1024);
  });
});

describe('the whole-file and streaming readers agree', () => {
  it('readWavInfo clips the claimed data size to the bytes present', () => {
    expect(readWavInfo(hostileWav(8000))).toMatchObject({ dataOffset: 44, dataLength: 56, durationSeconds: 28 / 8000 });
  });

  it('a malformed ds64 chunk is refused the same way whole and streamed', () => {
    const fmt = hostileWav(16000).subarray(12, 36);
    const ds64 = Buffer.concat([Buffer.from('ds64', 'latin1'), Buffer.from([8, 0, 0, 0]), Buffer.alloc(8, 0xff)]);
    const data = Buffer.concat([Buffer.from('data', 'latin1'), Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.alloc(64, 1)]);
    const rf64 = Buffer.concat([Buffer.from('RF64', 'latin1'), Buffer.alloc(4, 0xff), Buffer.from('WAVE', 'latin1'), ds64, fmt, data]);
    const found = 'an RF64 file whose ds64 chunk has only 8 bytes (28 expected)';
    expect(() => readWavInfo(rf64)).toThrow(expect.objectContaining({ found }));
    expect(() => toHarfWav(rf64)).toThrow(expect.objectContaining({ found }));
    const streamed = new WavStreamConverter();
    expect(() => {
      for (let at = 0; at < rf64.length; at += 5) streamed.push(rf64.subarray(at, at + 5));
    }).toThrow(expect.objectContaining({ found }));
  });

  it('the resampler itself refuses rates it cannot honour, with a typed error', () => {
    expect(() => new Resampler(LYING_RATE, 16000)).toThrow(BadInputError);
    expect(() => new Resampler(16000, 0)).toThrow(BadInputError);
  });
});

describe('the services never see a lying file', () => {
  it('AssemblyAI: refused before any request', async () => {
    let requests = 0;
    const client = new AssemblyAiClient({
      apiKey: 'key-for-a-test-1',
      transport: async () => {
        requests++;
        return { status: 500, headers: {}, body: Buffer.alloc(0) };
      },
    });
    await expect(client.transcribeShortAudio(hostileWav(LYING_RATE))).rejects.toBeInstanceOf(BadInputError);
    await expect(client.transcribeShortAudio(hostileWav(1))).rejects.toMatchObject({ found: expect.stringMatching(/sample rate of 1 Hz/) });
    expect(requests).toBe(0);
  });

  it('live: refused before connecting (the address would refuse any connection)', async () => {
    await expect(
      transcribeLive(hostileWav(LYING_RATE), { token: 'token-for-a-test-1', baseUrl: 'http://127.0.0.1:9' }),
    ).rejects.toMatchObject({
      name: 'BadInputError',
      found: expect.stringMatching(/787288968 Hz/),
    });
  });
});
