import { startSandbox } from '../../../sandbox';
import { BadInputError } from '../../../lib/errors';
import { LiveStreams, type LiveStreamsOptions, type LiveStreamView, type OutputEntry } from '../../../lib/jobs';
import type { TranscriptFile } from '../../../lib/transcript';
import { wav } from '../../support/wav';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 0 });
});
afterAll(() => sandbox.close());

interface Context {
  speaker?: string;
  show?: string;
}

/** LiveStreams on the sandbox, recording what it hands on. */
function streamsWith(options: Partial<LiveStreamsOptions<Context>> = {}) {
  const segments: Array<{ key: string; context: Context; transcript: OutputEntry[]; review: OutputEntry[] }> = [];
  const closings: Array<{
    key: string;
    context: Context;
    entry: OutputEntry;
    file: TranscriptFile;
    review: OutputEntry[];
    idleTimeout: boolean;
  }> = [];
  const failures: Array<{ key: string; error: Error }> = [];
  const idle: string[] = [];
  const activity: Array<{ streams: number; shown?: string }> = [];
  const snapshot = (stream: LiveStreamView<Context>) => ({ key: stream.key, context: { ...stream.context } });
  const streams = new LiveStreams<Context>({
    sessionOptions: () => ({ token: sandbox.token, baseUrl: sandbox.url }),
    idleMs: 30_000,
    output: 'segment',
    splitUncertain: false,
    subtitles: [],
    mergeContext: (previous, next) => ({ ...previous, ...next }),
    onSegments: (stream, entries) => segments.push({ ...snapshot(stream), ...entries }),
    onTranscript: (stream, closing) => closings.push({ ...snapshot(stream), ...closing }),
    onFailure: (stream, error) => failures.push({ key: stream.key, error }),
    onIdle: (stream) => idle.push(stream.key),
    onActivity: ({ streams: count, shown }) => activity.push({ streams: count, shown: shown?.key }),
    ...options,
  });
  return { streams, segments, closings, failures, idle, activity };
}

function chunks(buffer: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < buffer.length; at += size) out.push(buffer.subarray(at, at + size));
  return out;
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('LiveStreams', () => {
  it('gives each stream key its own session, in chunk order, and never mixes two streams', async () => {
    const { streams, segments, closings, activity } = streamsWith();
    const before = sandbox.liveSessions.length;
    const a = chunks(wav(16000, 11), 9000);
    const b = chunks(wav(44100, 11, 2), 30000);
    const pushed: Promise<void>[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i < a.length) pushed.push(streams.push('room-a', a[i], false, { speaker: 'A' }));
      if (i < b.length) pushed.push(streams.push('room-b', b[i], false, { speaker: 'B', show: 'news' }));
    }
    expect(streams.size).toBe(2);
    pushed.push(streams.push('room-a', undefined, true, {}), streams.push('room-b', undefined, true, {}));
    await Promise.all(pushed);

    expect(streams.size).toBe(0);
    const sessions = sandbox.liveSessions.slice(before);
    expect(sessions).toHaveLength(2);
    // Both reached the service as 16 kHz mono 16-bit, the 44.1 kHz stereo stream converted.
    for (const session of sessions) expect(session.header).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16 });

    for (const [key, speaker] of [
      ['room-a', 'A'],
      ['room-b', 'B'],
    ]) {
      const mine = segments.filter((batch) => batch.key === key);
      const indexes = mine.flatMap((batch) => batch.transcript.map((entry) => entry.json.segment_index));
      expect(indexes.length).toBeGreaterThan(1);
      expect(indexes).toEqual(indexes.map((_index, i) => i));
      expect(mine.every((batch) => batch.context.speaker === speaker)).toBe(true);
      const [closing] = closings.filter((end) => end.key === key);
      expect(closing.idleTimeout).toBe(false);
      // The context given with earlier chunks stays when the end chunk carries nothing.
      expect(closing.context.speaker).toBe(speaker);
      expect(closing.entry.json.stream).toBe(key);
      expect(closing.file.media_url).toBe(key);
      expect(closing.file.segments.map((segment) => segment.text)).toEqual(
        mine.flatMap((batch) => batch.transcript.map((entry) => entry.json.text)),
      );
      expect(closing.file.duration_seconds).toBeCloseTo(11, 1);
    }
    expect(closings.find((end) => end.key === 'room-b')?.context.show).toBe('news');
    expect(activity.some((entry) => entry.streams === 2)).toBe(true);
    expect(activity[activity.length - 1]).toEqual({ streams: 0, shown: undefined });
  });

  it('outside segment mode sends the whole transcript once, with subtitles and the review', async () => {
    const { streams, segments, closings } = streamsWith({ output: 'text', splitUncertain: true, subtitles: ['srt'] });
    for (const chunk of chunks(wav(16000, 12), 32000)) void streams.push('studio', chunk, false, {});
    await streams.push('studio', undefined, true, {});
    expect(segments).toEqual([]);
    expect(closings).toHaveLength(1);
    const [closing] = closings;
    expect(closing.entry.json).toEqual({ media_url: 'studio', text: closing.file.text });
    expect(closing.entry.subtitles?.srt).toMatch(/^1\n00:00:00,000 --> /);
    expect(closing.review.map((entry) => entry.json.segment_index)).toEqual(
      closing.file.segments.filter((segment) => segment.uncertain_words.length > 0).map((segment) => segment.segment_index),
    );
  });

  it('ends a stream that gets no audio for the idle timeout, finalizing its session', async () => {
    const { streams, closings, idle } = streamsWith({ idleMs: 150, output: 'file' });
    const before = sandbox.liveSessions.length;
    await streams.push('quiet', wav(16000, 2), false, {});
    await until(() => closings.length === 1);
    expect(idle).toEqual(['quiet']);
    expect(closings[0].idleTimeout).toBe(true);
    expect(sandbox.liveSessions[before].finalized).toBe(true);
    expect(streams.size).toBe(0);
  });

  it('refuses audio it cannot read (AMR) naming the given field, before connecting, and drops the stream', async () => {
    const { streams, closings } = streamsWith({ audioField: 'msg.payload' });
    const before = sandbox.liveSessions.length;
    const amr = Buffer.from('#!AMR\n a voice memo from an old phone, long enough to tell what it is');
    const error = await streams.push('bad', amr, false, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).found).toBe('an AMR file (starts with #!AMR)');
    expect((error as BadInputError).field).toBe('msg.payload');
    expect(sandbox.liveSessions.length).toBe(before);
    expect(streams.size).toBe(0);
    expect(closings).toEqual([]);
  });

  it('does nothing for the end of a stream that is not under way', async () => {
    const { streams, closings } = streamsWith();
    await streams.push('never', undefined, true, {});
    expect(closings).toEqual([]);
    expect(streams.size).toBe(0);
  });

  it('closes every session at once and hands nothing on afterwards', async () => {
    const { streams, closings, failures } = streamsWith();
    const before = sandbox.liveSessions.length;
    await streams.push('one', wav(16000, 2), false, {});
    await streams.push('two', wav(16000, 2), false, {});
    streams.close();
    expect(streams.size).toBe(0);
    await until(() => sandbox.liveSessions.slice(before).every((session) => session.closed));
    await streams.push('one', wav(16000, 1), true, {});
    expect(closings).toEqual([]);
    expect(failures).toEqual([]);
  });

  it('reports a stream whose connection breaks between chunks, and starts afresh on its next header', async () => {
    const { streams, failures, closings } = streamsWith();
    sandbox.faults.add({ type: 'ws-close', afterFrames: 1 });
    const audio = wav(16000, 3);
    const rejected = await streams.push('flaky', audio.subarray(0, 40_000), false, {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    await until(() => streams.size === 0);
    // Reported once: to the chunk under way, or, between chunks, as the stream's failure.
    const reported = [rejected, ...failures.map((failure) => failure.error)].filter((error) => error instanceof Error);
    expect(reported).toHaveLength(1);
    expect((reported[0] as Error).message).toMatch(/closed before the transcription was finished \(code 1011/);
    await streams.push('flaky', wav(16000, 1), true, {});
    expect(closings).toHaveLength(1);
    expect(closings[0].key).toBe('flaky');
  });
});
