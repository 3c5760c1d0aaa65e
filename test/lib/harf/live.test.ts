import { Readable } from 'node:stream';
import { startSandbox } from '../../../sandbox';
import {
  AbortedError,
  WaitTimeoutError,
  AuthenticationError,
  BadInputError,
  FRAME_BYTES,
  LiveSession,
  StreamClosedError,
  liveUrl,
  transcribeLive,
  type LiveSegment,
} from '../../../lib';
import { wav } from '../../support/wav';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ taskDelayMs: 100, processingDelayMs: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.faults.clear());

function lastSession() {
  return sandbox.liveSessions[sandbox.liveSessions.length - 1];
}

it('maps the base URL to the websocket address', () => {
  expect(liveUrl('https://harf.roshan-ai.ir/')).toBe('wss://harf.roshan-ai.ir/ws_api/transcribe_files/wav/sync/');
  expect(liveUrl('http://127.0.0.1:8765')).toBe('ws://127.0.0.1:8765/ws_api/transcribe_files/wav/sync/');
});

it('sends 32000-byte frames, the short tail too, and collects the segments', async () => {
  const audio = wav(16000, 12.3);
  const seen: LiveSegment[] = [];
  const result = await transcribeLive(audio, { token: sandbox.token, baseUrl: sandbox.url, onSegment: (s) => seen.push(s) });
  const session = lastSession();
  const sizes = session.frames;
  expect(sizes.slice(0, -1).every((size) => size === FRAME_BYTES)).toBe(true);
  expect(sizes[sizes.length - 1]).toBe(audio.length % FRAME_BYTES);
  expect(sizes.reduce((a, b) => a + b, 0)).toBe(audio.length);
  expect(result.bytes).toBe(audio.length);
  expect(result.frames).toBe(Math.ceil(audio.length / FRAME_BYTES));
  // About 5 s per segment: two during the stream, the rest in the final answer.
  expect(result.segments.length).toBe(3);
  expect(seen).toEqual(result.segments);
  expect(result.segments[result.segments.length - 1].end).toMatch(/^0:00:12/);
});

it('converts 44.1 kHz stereo before sending (the sandbox closes on any other format)', async () => {
  const result = await transcribeLive(wav(44100, 6, 2), { token: sandbox.token, baseUrl: sandbox.url });
  expect(result.segments.length).toBeGreaterThanOrEqual(1);
  // 6 s at 16 kHz mono 16-bit, plus a header.
  expect(Math.abs(result.bytes - (6 * 32000 + 44))).toBeLessThan(200);
});

it('reads audio from a stream of odd-sized chunks', async () => {
  const audio = wav(16000, 7);
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < audio.length; offset += 7777) pieces.push(audio.subarray(offset, offset + 7777));
  const result = await transcribeLive(Readable.from(pieces), { token: sandbox.token, baseUrl: sandbox.url });
  expect(result.bytes).toBe(audio.length);
  expect(result.segments.length).toBe(2);
});

it.each(['array', 'object', 'state'] as const)('accepts a final answer given as %s', async (form) => {
  const custom = await startSandbox({ liveFinalForm: form, token: 'sandbox-final-form' });
  try {
    const result = await transcribeLive(wav(16000, 7), { token: custom.token, baseUrl: custom.url });
    // 5 s during the stream, the last 2 s at the end (before the state, in the 'state' form).
    expect(result.segments.length).toBe(2);
    // No segment arrives twice even when the final answer repeats them.
    expect(new Set(result.segments.map((s) => `${s.start}|${s.text}`)).size).toBe(result.segments.length);
  } finally {
    await custom.close();
  }
});

it('reports a mid-stream close as an error that keeps the segments already received', async () => {
  sandbox.faults.add({ type: 'ws-close', afterFrames: 7 });
  const error = (await transcribeLive(wav(16000, 20), { token: sandbox.token, baseUrl: sandbox.url }).catch(
    (e: unknown) => e,
  )) as StreamClosedError;
  expect(error).toBeInstanceOf(StreamClosedError);
  expect(error.closeCode).toBe(1011);
  expect(error.segments.length).toBe(1);
  expect(error.message).toMatch(/1 segment\(s\) were received/);
});

it('refuses a wrong token on the upgrade', async () => {
  await expect(transcribeLive(wav(16000, 1), { token: 'not-the-token', baseUrl: sandbox.url })).rejects.toBeInstanceOf(AuthenticationError);
});

it('refuses audio that is not WAV before connecting', async () => {
  const before = sandbox.liveSessions.length;
  const ogg = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(4000)]);
  const error = await transcribeLive(ogg, { token: sandbox.token, baseUrl: sandbox.url }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BadInputError);
  expect((error as BadInputError).found).toMatch(/OGG/i);
  expect(sandbox.liveSessions.length).toBe(before);
});

it('emits segments as they arrive, frame by frame, and closes cleanly', async () => {
  const session = await LiveSession.open({ token: sandbox.token, baseUrl: sandbox.url });
  const arrived: string[] = [];
  session.on('segment', (segment: LiveSegment) => arrived.push(segment.end));
  const audio = wav(16000, 11);
  for (let offset = 0; offset < audio.length; offset += 10_000) await session.write(audio.subarray(offset, offset + 10_000));
  // Two segments (5 s each) arrive before finalize: the server answers each frame as it comes.
  await new Promise<void>((resolve) => {
    if (arrived.length >= 2) resolve();
    else session.on('segment', () => arrived.length >= 2 && resolve());
  });
  expect(arrived).toHaveLength(2);
  const result = await session.finalize();
  expect(result.segments.length).toBe(3);
  expect(lastSession().finalized).toBe(true);
});

it('stops when cancelled', async () => {
  const controller = new AbortController();
  const running = transcribeLive(wav(16000, 30), { token: sandbox.token, baseUrl: sandbox.url, realtime: true, signal: controller.signal });
  setTimeout(() => controller.abort(), 300);
  await expect(running).rejects.toBeInstanceOf(AbortedError);
});

it('gives every live stream of two segments or more a word to review (the sandbox guarantees it, flows rely on it)', async () => {
  for (let i = 0; i < 15; i++) {
    const result = await transcribeLive(wav(16000, 11), { token: sandbox.token, baseUrl: sandbox.url });
    expect(result.segments.some((segment) => segment.text.includes('['))).toBe(true);
  }
});

it('sends at most 4 frames ahead of their answers, and gives up on a server that stops answering', async () => {
  sandbox.faults.add({ type: 'ws-stall', afterFrames: 2 });
  const error = await transcribeLive(wav(16000, 20), { token: sandbox.token, baseUrl: sandbox.url, answerTimeoutMs: 400 }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WaitTimeoutError);
  expect((error as Error).message).toMatch(/did not send an answer to the audio sent/);
  // Two answered, then four in flight: the fifth waits for room and never gets it.
  expect(lastSession().frames).toHaveLength(6);
});

it('reports each PENDING answer as a pending event', async () => {
  const session = await LiveSession.open({ token: sandbox.token, baseUrl: sandbox.url });
  let pending = 0;
  session.on('pending', () => pending++);
  await session.write(wav(16000, 3));
  const result = await session.finalize();
  // Four frames (three whole, the 44-byte tail sent at finalize), each answered PENDING: no 5 s of audio yet.
  expect(pending).toBe(4);
  expect(result.segments).toHaveLength(1);
});

describe('no segment received is lost with an error', () => {
  it('a timeout waiting for the final answer carries the segments received', async () => {
    // 12 frames of audio: segments at 5 s and 10 s arrive, then the server stops answering.
    sandbox.faults.add({ type: 'ws-stall', afterFrames: 11 });
    const error = (await transcribeLive(wav(16000, 12), {
      token: sandbox.token,
      baseUrl: sandbox.url,
      answerTimeoutMs: 300,
      finalTimeoutMs: 300,
    }).catch((e: unknown) => e)) as WaitTimeoutError;
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.segments).toHaveLength(2);
    expect((error.segments as LiveSegment[]).map((segment) => segment.segment_id)).toEqual([1, 2]);
    expect(error.message).toMatch(/the 2 segment\(s\) received before are kept/);
    expect(error.toJSON().segments).toEqual(error.segments);
  });

  it('a cancel while waiting for the final answer carries them too', async () => {
    sandbox.faults.add({ type: 'ws-stall', afterFrames: 11 });
    const controller = new AbortController();
    const session = await LiveSession.open({ token: sandbox.token, baseUrl: sandbox.url, signal: controller.signal });
    const audio = wav(16000, 12);
    // 11 frames answered; the short tail sent by finalize is never answered.
    await session.write(audio.subarray(0, 11 * FRAME_BYTES + 1000));
    while (session.segments.length < 2) await new Promise((r) => setTimeout(r, 10));
    const finishing = session.finalize().catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 100);
    const error = (await finishing) as AbortedError;
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.segments).toHaveLength(2);
  });

  it('one large write costs work in proportion to its size: the audio is copied at most once', async () => {
    const session = await LiveSession.open({ token: sandbox.token, baseUrl: sandbox.url });
    const audio = wav(16000, 100); // 3.2 MB
    const concat = jest.spyOn(Buffer, 'concat');
    const copy = jest.spyOn(Buffer.prototype, 'copy');
    try {
      await session.write(audio);
      const concatenated = concat.mock.calls.reduce((sum, [list]) => sum + (list as Buffer[]).reduce((n, b) => n + b.length, 0), 0);
      const copied = copy.mock.results.reduce((sum, result) => sum + (result.value as number), 0);
      // Sending frame by frame from a re-joined queue copied the rest of the audio for every frame (about 160 MB here).
      expect(concatenated + copied).toBeLessThan(2 * audio.length);
    } finally {
      concat.mockRestore();
      copy.mockRestore();
    }
    const result = await session.finalize();
    expect(result.bytes).toBe(audio.length);
    expect(lastSession().totalBytes).toBe(audio.length);
  });

  it('writes of odd sizes are sent as the same 32000-byte frames', async () => {
    const session = await LiveSession.open({ token: sandbox.token, baseUrl: sandbox.url });
    const audio = wav(16000, 3.3);
    const sizes = [1, 7, 31999, 2, 64001, 5000];
    let at = 0;
    for (let i = 0; at < audio.length; i++) {
      const size = sizes[i % sizes.length];
      await session.write(audio.subarray(at, at + size));
      at += size;
    }
    await session.finalize();
    const frames = lastSession().frames;
    expect(frames.slice(0, -1).every((size) => size === FRAME_BYTES)).toBe(true);
    expect(frames.reduce((a, b) => a + b, 0)).toBe(audio.length);
  });
});
