/**
 * Properties of the parsers and converters, checked on generated input with fast-check: the suite
 * runs a few thousand cases each, `npm run fuzz` a hundred thousand (HARF_FUZZ_RUNS).
 * Each asserts the stated property and that only typed errors are thrown; the fuzz run also that
 * no case takes more than a second (work bounded by the input).
 */
import fc from 'fast-check';
import { BadInputError, TranscriptionError, UnexpectedResponseError } from '../../../lib/errors';
import { WavStreamConverter, readWavInfo, toHarfWav, toPcm16Mono } from '../../../lib/audio';
import { checkFileResults } from '../../../lib/harf/validate';
import { enrichFileResult, formatTime, parseTime, uncertainWordsIn } from '../../../lib/transcript';
import { buildWav, type SampleKind } from '../../fixtures/audio/wav-builder';

export const RUNS = Number(process.env.HARF_FUZZ_RUNS) || 2000;
/** Timing is the fuzz run's business (npm run fuzz), never the suite's: a loaded machine is not a bug. */
const TIMED = process.env.HARF_FUZZ_RUNS !== undefined;
/** Whole conversions cost tens of ms each (a resampler is set up three times): fewer in the suite. */
export const CONVERSION_RUNS = Number(process.env.HARF_FUZZ_CONVERSION_RUNS) || Number(process.env.HARF_FUZZ_RUNS) || 200;
const SLOWEST_CASE_MS = 1000;

/**
 * Runs one case, failing it when it throws anything but a TranscriptionError, or (fuzzing) when it
 * takes over a second of CPU twice in a row: once may be a collection of garbage, twice is the work.
 */
function bounded<T>(work: () => T): T | TranscriptionError {
  const once = (): { result: T | TranscriptionError; took: number } => {
    // CPU time of this process, not the clock: on a shared machine waiting for a core is not work.
    const started = process.cpuUsage();
    let result: T | TranscriptionError;
    try {
      result = work();
    } catch (error) {
      if (!(error instanceof TranscriptionError)) throw error;
      result = error;
    }
    const used = process.cpuUsage(started);
    return { result, took: (used.user + used.system) / 1000 };
  };
  const first = once();
  if (!TIMED || first.took <= SLOWEST_CASE_MS) return first.result;
  const again = once();
  if (again.took > SLOWEST_CASE_MS) throw new Error(`one case took ${Math.round(first.took)} ms, then ${Math.round(again.took)} ms`);
  return again.result;
}

const settings = (runs = RUNS) => ({ numRuns: runs, seed: Number(process.env.HARF_FUZZ_SEED) || undefined });

// ---------- the time parser ----------

export function timeRoundTrip(): void {
  // Whole microseconds up to three days: formatTime then parseTime gives them back exactly.
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 3 * 86_400 * 1_000_000 }), (micros) => {
      const text = formatTime(micros / 1_000_000);
      const back = bounded(() => parseTime(text));
      return typeof back === 'number' && Math.round(back * 1_000_000) === micros && formatTime(back) === text;
    }),
    settings(),
  );
}

export function timeAnyText(): void {
  const timeish = fc.oneof(
    fc.string(),
    fc.stringMatching(/^-?\d{1,3}:\d{1,3}:\d{1,3}(\.\d{0,9})?$/),
    fc.stringMatching(/^\d days?, \d:\d\d:\d\d$/),
  );
  fc.assert(
    fc.property(fc.oneof(timeish, fc.anything()), (value) => {
      const result = bounded(() => parseTime(value as string, 'start', 'harf'));
      if (result instanceof TranscriptionError) return result instanceof UnexpectedResponseError && result.field === 'start';
      return Number.isFinite(result) && result >= 0;
    }),
    settings(),
  );
}

// ---------- the bracket extractor ----------

const word = fc.stringMatching(/^[a-zآ-ی0-9]{1,8}$/);
const phrase = fc.array(word, { minLength: 1, maxLength: 3 }).map((words) => words.join(' '));

export function bracketsExact(): void {
  // Text of plain words and bracketed phrases, not nested: the extracted words are exactly the phrases.
  const piece = fc.oneof(
    phrase.map((text) => ({ text, bracketed: false })),
    phrase.map((text) => ({ text, bracketed: true })),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), fc.constantFrom(' ', '  ', '\u200c '), (pieces, gap) => {
      const text = pieces.map((p) => (p.bracketed ? `[${p.text}]` : p.text)).join(gap);
      const found = bounded(() => uncertainWordsIn(text));
      const expected = pieces.filter((p) => p.bracketed).map((p) => p.text);
      return JSON.stringify(found) === JSON.stringify(expected);
    }),
    settings(),
  );
}

export function bracketsAnyText(): void {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[[\]a ]{0,40}$/), fc.anything()), (text) => {
      const found = bounded(() => uncertainWordsIn(text as string));
      if (!Array.isArray(found)) return false;
      // Every word has no bracket, no outer space, and is a piece of the text once brackets are spaces.
      const plain = typeof text === 'string' ? text.replace(/[[\]]/g, ' ').replace(/\s+/g, ' ') : '';
      return found.every((w) => typeof w === 'string' && w !== '' && !/[[\]]/.test(w) && w === w.trim() && plain.includes(w));
    }),
    settings(),
  );
}

// ---------- the WAV reader and converters ----------

const KINDS: SampleKind[] = ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32', 'float64'];
const RATES = [1000, 8000, 11025, 16000, 22050, 32000, 44100, 48000, 96000, 384000];

const wavCase = fc.record({
  // The usual rates and any whole kHz (a rate with few common factors with 16000 costs more filter
  // phases to set up, up to tens of ms; the unit tests cover those).
  rate: fc.oneof(
    fc.constantFrom(...RATES),
    fc.integer({ min: 1, max: 384 }).map((khz) => khz * 1000),
  ),
  kind: fc.constantFrom(...KINDS),
  channels: fc.integer({ min: 1, max: 3 }),
  frames: fc.integer({ min: 0, max: 600 }),
  seed: fc.integer(),
  extra: fc.array(fc.tuple(fc.constantFrom('LIST', 'fact', 'junk', 'id3 '), fc.uint8Array({ maxLength: 9 })), { maxLength: 2 }),
  streamed: fc.boolean(),
  pieces: fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 6 }),
});

function samplesOf(frames: number, seed: number): Float64Array {
  const out = new Float64Array(frames);
  let x = seed | 0;
  for (let i = 0; i < frames; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    out[i] = (x / 2 ** 31) * 0.9;
  }
  return out;
}

function inPieces(converter: WavStreamConverter, wav: Buffer, sizes: number[]): Buffer {
  const out: Buffer[] = [];
  for (let at = 0, i = 0; at < wav.length; i++) {
    const size = sizes[i % sizes.length];
    out.push(converter.push(wav.subarray(at, at + size)));
    at += size;
  }
  out.push(converter.end());
  return Buffer.concat(out);
}

export function wavChunkedEqualsWhole(runs = CONVERSION_RUNS): void {
  fc.assert(
    fc.property(wavCase, (c) => {
      const channels = Array.from({ length: c.channels }, (_, i) => samplesOf(c.frames, c.seed + i));
      const wav = buildWav({
        sampleRate: c.rate,
        kind: c.kind,
        channels,
        before: c.extra.map(([id, body]) => [id, Buffer.from(body)] as [string, Buffer]),
        ...(c.streamed && { dataSizeField: 0xffffffff }),
      });
      const result = bounded(() => {
        const whole = toHarfWav(wav);
        const streamed = inPieces(new WavStreamConverter(), wav, c.pieces);
        const info = readWavInfo(wav);
        const pcm8k = toPcm16Mono(wav, 8000).pcm;
        return { whole, streamed, info, pcm8k };
      });
      if (result instanceof TranscriptionError) throw result;
      const { whole, streamed, info, pcm8k } = result;
      const frames = info.dataLength / info.blockAlign;
      const bound = (target: number) => (Math.ceil((frames * target) / c.rate) + 1) * 2;
      return (
        // Chunked is whole: the same samples after the headers.
        streamed.subarray(44).equals(whole.subarray(44)) &&
        // A data chunk "to the end" also holds the chunk's pad byte: one more frame of 8-bit mono at most.
        (frames === c.frames || (c.streamed && frames === c.frames + 1)) &&
        // Output bounded by the samples present times the rate ratio.
        whole.length - 44 <= bound(16000) &&
        pcm8k.length <= bound(8000)
      );
    }),
    settings(runs),
  );
}

export function wavAnyBytes(runs = RUNS): void {
  // Bytes that may start like a WAV and then say anything: only typed errors, bounded work.
  const riff = fc.record({
    magic: fc.constantFrom('RIFF', 'RF64', 'RIFX', 'OggS'),
    chunks: fc.array(
      fc.record({
        id: fc.constantFrom('fmt ', 'data', 'ds64', 'LIST', 'junk'),
        size: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.constant(0xffffffff), fc.integer({ min: 0, max: 0xffffffff })),
        body: fc.uint8Array({ maxLength: 80 }),
      }),
      { maxLength: 4 },
    ),
    rate: fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(1, 999, 1000, 16000, 384000, 384001)),
    tag: fc.constantFrom(1, 3, 6, 7, 0xfffe, 0x55, 0),
    channels: fc.integer({ min: 0, max: 8 }),
    bits: fc.constantFrom(0, 8, 12, 16, 24, 32, 64, 7),
    pieces: fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 4 }),
  });
  fc.assert(
    fc.property(fc.oneof(riff, fc.uint8Array({ maxLength: 200 })), (c) => {
      let wav: Buffer;
      if (c instanceof Uint8Array) wav = Buffer.from(c);
      else {
        const parts = [Buffer.from(`${c.magic}\xff\xff\xff\xffWAVE`, 'latin1')];
        for (const chunk of c.chunks) {
          const head = Buffer.alloc(8);
          head.write(chunk.id, 0, 'latin1');
          head.writeUInt32LE(chunk.size >>> 0, 4);
          let body = Buffer.from(chunk.body);
          if (chunk.id === 'fmt ' && body.length >= 16) {
            body.writeUInt16LE(c.tag, 0);
            body.writeUInt16LE(c.channels, 2);
            body.writeUInt32LE(c.rate >>> 0, 4);
            body.writeUInt16LE(c.bits, 14);
          } else if (chunk.id === 'fmt ') body = Buffer.concat([body, Buffer.alloc(16 - body.length)]);
          parts.push(head, body);
        }
        wav = Buffer.concat(parts);
      }
      const pieces = c instanceof Uint8Array ? [7] : c.pieces;
      const paths: Array<() => unknown> = [
        () => readWavInfo(wav),
        () => toHarfWav(wav),
        () => toPcm16Mono(wav, 8000),
        () => inPieces(new WavStreamConverter(), wav, pieces),
      ];
      for (const work of paths) {
        const result = bounded(work);
        if (result instanceof TranscriptionError && !(result instanceof BadInputError)) return false;
        // A result's size never exceeds what the bytes present allow (16 kHz from 1 kHz at most: × 16).
        if (Buffer.isBuffer(result) && result.length > 44 + wav.length * 16 + 4) return false;
      }
      return true;
    }),
    settings(runs),
  );
}

// ---------- the response validation ----------

const timeText = fc.integer({ min: 0, max: 36_000_000_000 }).map((micros) => formatTime(micros / 1_000_000));
const segmentArb = fc.record({ start: timeText, end: timeText, text: fc.string({ maxLength: 30 }) });
const fileArb = fc.record({
  media_url: fc.webUrl(),
  duration: timeText,
  segments: fc.array(segmentArb, { maxLength: 5 }),
  stats: fc.record({ words: fc.integer({ min: -2, max: 60 }), known_words: fc.integer({ min: -2, max: 60 }) }),
});

export function validationOfAnswers(): void {
  const details = { service: 'harf' as const, status: 200, body: '' };
  fc.assert(
    fc.property(fc.oneof(fc.array(fileArb, { maxLength: 3 }), fc.jsonValue()), (answer) => {
      const checked = bounded(() => checkFileResults(answer, 'the transcription', details));
      if (checked instanceof TranscriptionError) return checked instanceof UnexpectedResponseError && checked.service === 'harf';
      // What passes makes sense: counts in range, every segment in order, and it enriches without error.
      for (const file of checked) {
        if (file.stats.known_words < 0 || file.stats.known_words > file.stats.words) return false;
        for (const s of file.segments) if (parseTime(s.end) < parseTime(s.start)) return false;
        const enriched = bounded(() => enrichFileResult(file, { service: 'harf' }));
        if (enriched instanceof TranscriptionError) return false;
        if (!(enriched.certainty_ratio >= 0 && enriched.certainty_ratio <= 1)) return false;
        const bracketed = enriched.segments.reduce((n, s) => n + uncertainWordsIn(s.text).length, 0);
        if (enriched.uncertain_count !== bracketed) return false;
      }
      return true;
    }),
    settings(),
  );
}

export function enrichAnyInput(): void {
  fc.assert(
    fc.property(
      fc.oneof(fileArb, fc.anything(), fc.record({ media_url: fc.string(), segments: fc.array(fc.anything(), { maxLength: 3 }) })),
      (value) => {
        const result = bounded(() => enrichFileResult(value as never));
        return result instanceof TranscriptionError || typeof result === 'object';
      },
    ),
    settings(),
  );
}

export const PROPERTIES: Array<[string, () => void]> = [
  ['time: parse∘format is the identity on whole microseconds', timeRoundTrip],
  ['time: any value parses to seconds ≥ 0 or is an UnexpectedResponseError naming the field', timeAnyText],
  ['brackets: the words found are exactly the bracketed phrases', bracketsExact],
  ['brackets: any text gives bracket-free words taken from it, never a throw', bracketsAnyText],
  ['WAV: chunked conversion equals whole, output bounded by the samples × rate ratio', wavChunkedEqualsWhole],
  ['WAV: any bytes give a bounded result or a BadInputError, on every path', wavAnyBytes],
  ['answers: only sensible file results pass, and they enrich with ratios in range', validationOfAnswers],
  ['enrich: any input gives a file or a typed error', enrichAnyInput],
];
