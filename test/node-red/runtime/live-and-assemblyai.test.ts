import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASSEMBLYAI_BASE_URL, AssemblyAiClient, SYNC_BASE_URL } from '../../../lib/assemblyai';
import { startSandbox } from '../../../sandbox';
import harfConfig = require('../../../nodes/node-red/harf-config');
import liveStream = require('../../../nodes/node-red/harf-live-stream');
import assemblyAiConfig = require('../../../nodes/node-red/assemblyai-config');
import shortAudio = require('../../../nodes/node-red/assemblyai-short-audio');
import type { AssemblyAiConfigNode } from '../../../nodes/node-red/accounts';
import { ACCEPTED_AUDIO } from '../../../lib/audio';
import { parseTime } from '../../../lib/transcript';
import { wav } from '../../support/wav';
import { hostileWav, LYING_RATE } from '../../support/hostile';
import {
  flowWith,
  helper,
  Inbox,
  nextStatus,
  startServer,
  statusTexts,
  stopServer,
  until,
  type FlowNode,
  type Msg,
  type Sandbox,
} from './support';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ taskDelayMs: 100, processingDelayMs: 0 });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  sandbox.faults.clear();
  await startServer();
});
afterEach(async () => {
  await helper.unload();
  await stopServer();
});

function chunks(buffer: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < buffer.length; at += size) out.push(buffer.subarray(at, at + size));
  return out;
}

/** A W3C media fragment as lib writes it: times rounded to the millisecond. */
function fragment(url: string, start: number, end: number): string {
  const ms = (seconds: number) => Math.round(seconds * 1000) / 1000;
  return `${url}#t=${ms(start)},${ms(end)}`;
}

async function loadLive(node: Partial<FlowNode>) {
  const wires = node.splitUncertain ? [['out1'], ['out2']] : [['out1']];
  await helper.load(
    [harfConfig, liveStream],
    flowWith([
      { id: 'account', type: 'harf-config', baseUrl: sandbox.url },
      { id: 'live', type: 'harf-live-stream', harf: 'account', idleTimeout: 30, ...node, wires },
    ]),
    { account: { token: sandbox.token } },
  );
  return {
    node: helper.getNode('live'),
    out1: new Inbox(helper.getNode('out1')),
    out2: new Inbox(helper.getNode('out2')),
    errors: new Inbox(helper.getNode('errors')),
  };
}

describe('harf-live-stream', () => {
  it('keeps many streams apart, converts other formats, sends segments as they come and a closing transcript', async () => {
    const { node, out1 } = await loadLive({});
    const statuses = statusTexts(node);
    const sessionsBefore = sandbox.liveSessions.length;
    const a = wav(16000, 11);
    const b = wav(44100, 11, 2);
    const aChunks = chunks(a, 9000);
    const bChunks = chunks(b, 30000);
    const rounds = Math.max(aChunks.length, bChunks.length);
    for (let i = 0; i < rounds; i++) {
      if (i < aChunks.length) node.receive({ topic: 'room-a', payload: aChunks[i], speaker: 'A' });
      if (i < bChunks.length) node.receive({ topic: 'room-b', payload: bChunks[i], speaker: 'B' });
    }
    node.receive({ topic: 'room-a', complete: true });
    node.receive({ topic: 'room-b', payload: Buffer.alloc(0), complete: true });
    await until(() => out1.messages.filter((msg) => msg.complete === true).length === 2);

    const sessions = sandbox.liveSessions.slice(sessionsBefore);
    expect(sessions).toHaveLength(2);
    for (const session of sessions) {
      expect(session.header).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16 });
      expect(session.finalized).toBe(true);
    }
    await until(() => sessions.every((session) => session.closed));
    // The 16 kHz stream passed through unchanged; the 44.1 kHz stereo one was converted to the same length.
    const bytes = sessions.map((session) => session.totalBytes).sort((x, y) => x - y);
    expect(bytes).toContain(a.length);
    expect(Math.abs(bytes[0] - bytes[1])).toBeLessThan(200);

    for (const [topic, speaker] of [
      ['room-a', 'A'],
      ['room-b', 'B'],
    ]) {
      const messages = out1.messages.filter((msg) => msg.topic === topic);
      const segments = messages.filter((msg) => msg.complete !== true);
      const closing = messages.filter((msg) => msg.complete === true);
      expect(closing).toHaveLength(1);
      expect(messages[messages.length - 1]).toBe(closing[0]);
      expect(segments.length).toBeGreaterThan(1);
      expect(messages.every((msg) => msg.speaker === speaker)).toBe(true);
      expect(segments.map((msg) => msg.payload.segment_index)).toEqual(segments.map((_m, i) => i));
      for (const msg of segments) {
        expect(msg.payload.end_seconds).toBeGreaterThan(msg.payload.start_seconds);
        expect(Array.isArray(msg.payload.uncertain_words)).toBe(true);
      }
      const transcript = closing[0].payload;
      expect(transcript.stream).toBe(topic);
      expect(transcript.segments.map((s: Msg) => s.text)).toEqual(segments.map((msg) => msg.payload.text));
      expect(transcript.text).toBe(segments.map((msg) => msg.payload.text).join(' '));
      expect(transcript.duration_seconds).toBeCloseTo(11, 1);
    }
    expect(statuses.some((text) => /^streaming 00:\d\d \(2 streams\)$/.test(text))).toBe(true);
    // What was done: both streams and their audio (about 11 s each).
    expect(statuses[statuses.length - 1]).toMatch(/^2 streams · 0:2[12]$/);
  });

  it('sends each segment as it arrives, before the stream ends, then the enriched transcript of the whole stream', async () => {
    const { node, out1 } = await loadLive({});
    const sessionsBefore = sandbox.liveSessions.length;
    const audio = wav(16000, 12);
    for (const chunk of chunks(audio, 32000)) node.receive({ topic: 'studio', payload: chunk, show: 'news' });
    // The sandbox answers a segment per 5 s of audio: the first must reach the output while the stream is open.
    const [first] = await out1.waitFor(1);
    expect(first.complete).toBeUndefined();
    expect(sandbox.liveSessions[sessionsBefore].finalized).toBe(false);
    expect(first.payload.segment_index).toBe(0);
    node.receive({ topic: 'studio', complete: true });
    await until(() => out1.messages.some((msg) => msg.complete === true));

    const closing = out1.messages[out1.messages.length - 1];
    const segments = out1.messages.slice(0, -1);
    expect(closing.complete).toBe(true);
    expect(closing.show).toBe('news');
    expect(segments.length).toBeGreaterThan(1);
    for (const msg of segments) {
      expect(msg.topic).toBe('studio');
      expect(msg.payload.media_url).toBe('studio');
      expect(msg.payload.media_fragment).toBe(fragment('studio', msg.payload.start_seconds, msg.payload.end_seconds));
    }

    const transcript = closing.payload;
    expect(transcript.stream).toBe('studio');
    expect(transcript.media_url).toBe('studio');
    expect(transcript.duration).toBe('0:00:12');
    expect(transcript.duration_seconds).toBe(12);
    expect(transcript.text).toBe(segments.map((msg) => msg.payload.text).join(' '));
    expect(transcript.segments).toHaveLength(segments.length);
    transcript.segments.forEach((segment: Msg, index: number) => {
      expect(segment.segment_index).toBe(index);
      expect(segment.start_seconds).toBe(segments[index].payload.start_seconds);
      expect(segment.uncertain_words).toEqual(segments[index].payload.uncertain_words);
    });
    // The sandbox's second segment always holds an uncertain word.
    const uncertain = transcript.segments.flatMap((segment: Msg) =>
      segment.uncertain_words.map((word: string) => ({ word, segment_index: segment.segment_index })),
    );
    expect(uncertain.length).toBeGreaterThan(0);
    expect(transcript.uncertain_count).toBe(uncertain.length);
    expect(transcript.uncertain_words.map((entry: Msg) => ({ word: entry.word, segment_index: entry.segment_index }))).toEqual(uncertain);
    for (const entry of transcript.uncertain_words) {
      const segment = transcript.segments[entry.segment_index];
      expect(entry.media_fragment).toBe(fragment('studio', segment.start_seconds, segment.end_seconds));
    }
    const words = transcript.segments.reduce((n: number, segment: Msg) => n + segment.text.split(/\s+/).filter(Boolean).length, 0);
    const unsure = uncertain.reduce((n: number, entry: Msg) => n + entry.word.split(/\s+/).filter(Boolean).length, 0);
    expect(transcript.certainty_ratio).toBeCloseTo((words - unsure) / words, 3);
    expect(transcript.certainty_ratio).toBeLessThan(1);
  });

  it('opens the connection only once the WAV header has been read', async () => {
    const { node, out1 } = await loadLive({ output: 'text' });
    const sessionsBefore = sandbox.liveSessions.length;
    const audio = wav(16000, 3);
    const read = nextStatus(node, /^streaming/);
    // Up to the middle of the fmt chunk: no samples yet, so nothing to connect for.
    node.receive({ topic: 'slow', payload: audio.subarray(0, 30) });
    await read;
    expect(sandbox.liveSessions.length).toBe(sessionsBefore);
    node.receive({ topic: 'slow', payload: audio.subarray(30), complete: true });
    const [msg] = await out1.waitFor(1);
    expect(msg.complete).toBe(true);
    expect(sandbox.liveSessions.length).toBe(sessionsBefore + 1);
    expect(sandbox.liveSessions[sessionsBefore].totalBytes).toBe(audio.length);
  });

  it('refuses a 100-byte WAV claiming 787,288,968 Hz at once, without connecting', async () => {
    const { node, errors } = await loadLive({});
    const sessionsBefore = sandbox.liveSessions.length;
    node.receive({ topic: 'liar', payload: hostileWav(LYING_RATE) });
    const [error] = await errors.waitFor(1);
    expect(error.error.message).toMatch(
      /Invalid msg\.payload: found a WAV file whose header claims a sample rate of 787288968 Hz, expected a sample rate from 1000 Hz to 384000 Hz/,
    );
    expect(sandbox.liveSessions.length).toBe(sessionsBefore);
  });

  it('a stream that breaks off reaches the catch node with the segments received before (msg.segments)', async () => {
    const { node, errors } = await loadLive({});
    sandbox.faults.add({ type: 'ws-close', afterFrames: 11 });
    for (const piece of chunks(wav(16000, 14), 32000)) node.receive({ topic: 'broken', payload: piece });
    const [error] = await errors.waitFor(1);
    expect(error.error.message).toMatch(/closed before the transcription was finished/);
    expect(error.segments).toHaveLength(2);
    expect(error.segments.map((segment: Msg) => segment.segment_id)).toEqual([1, 2]);
    // Kept as a transcript's segments are: Harf's times, with the same times in seconds beside them.
    for (const segment of error.segments as Msg[]) {
      expect([segment.start_seconds, segment.end_seconds]).toEqual([parseTime(segment.start), parseTime(segment.end)]);
    }
    expect(error.segments[1].start_seconds).toBeGreaterThan(0);
  });

  it('streams a Telegram voice note (OGG/Opus) in chunks as 16 kHz mono 16-bit frames', async () => {
    const { node, out1 } = await loadLive({});
    const sessionsBefore = sandbox.liveSessions.length;
    const note = readFileSync(join(__dirname, '..', '..', 'fixtures', 'audio', 'voice-note.ogg'));
    for (const piece of chunks(note, 700)) node.receive({ topic: 'voice', payload: piece });
    node.receive({ topic: 'voice', complete: true });
    await until(() => out1.messages.some((msg) => msg.complete === true));
    const session = sandbox.liveSessions[sessionsBefore];
    expect(session.header).toEqual({ audioFormat: 'pcm', sampleRate: 16000, channels: 1, bitsPerSample: 16 });
    // Three seconds at 16 kHz, 16-bit: 96000 bytes of samples, in one-second frames.
    expect(Math.abs(session.audioBytes - 96000)).toBeLessThanOrEqual(64);
    expect(session.frames.slice(0, -1).every((size) => size === 32000)).toBe(true);
    expect(session.finalized).toBe(true);
  });

  it('refuses audio it cannot read (M4A) without connecting to the service', async () => {
    const { node, out1, errors } = await loadLive({});
    const sessionsBefore = sandbox.liveSessions.length;
    const m4a = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A isomiso2', 'latin1'), Buffer.alloc(4000, 0x55)]);
    // The first bytes alone cannot tell what the audio is; the next ones can.
    node.receive({ topic: 'song', payload: m4a.subarray(0, 6) });
    node.receive({ topic: 'song', payload: m4a.subarray(6), track: 3 });
    const [error] = await errors.waitFor(1);
    expect(error.topic).toBe('song');
    expect(error.track).toBe(3);
    expect(error.error.message).toBe(
      `BadInputError: Invalid msg.payload: found an MP4/M4A file (ftyp brand M4A), expected ${ACCEPTED_AUDIO}`,
    );
    expect(sandbox.liveSessions.length).toBe(sessionsBefore);
    expect(out1.messages).toHaveLength(0);
  });

  it('sends uncertain segments to the second output and SRT with the closing message, using the chosen properties', async () => {
    const { node, out1, out2 } = await loadLive({
      splitUncertain: true,
      outputs: 2,
      keyProperty: 'call.id',
      completeProperty: 'hangup',
      subtitles: 'srt',
    });
    node.receive({ call: { id: 77 }, payload: wav(16000, 26) });
    node.receive({ call: { id: 77 }, hangup: true });
    await until(() => out1.messages.some((msg) => msg.hangup === true));
    const closing = out1.messages.find((msg) => msg.hangup === true)!;
    const certain = out1.messages.filter((msg) => msg !== closing);
    expect(closing.call.id).toBe('77');
    expect(closing.srt).toContain('-->');
    const total = closing.payload.segments.length;
    expect(certain.length + out2.messages.length).toBe(total);
    expect(out2.messages.every((msg) => msg.payload.uncertain_words.length > 0)).toBe(true);
    expect(certain.every((msg) => msg.payload.uncertain_words.length === 0)).toBe(true);
    expect(out2.messages.length).toBeGreaterThan(0);
  });

  it('ends an idle stream after the timeout, finalizing its session', async () => {
    const { node, out1 } = await loadLive({ idleTimeout: 0.2, output: 'text' });
    const sessionsBefore = sandbox.liveSessions.length;
    node.receive({ topic: 'quiet', payload: wav(16000, 6) });
    await until(() => out1.messages.length === 1);
    const [msg] = out1.messages;
    expect(msg.idleTimeout).toBe(true);
    expect(msg.complete).toBe(true);
    expect(typeof msg.payload).toBe('string');
    const session = sandbox.liveSessions[sessionsBefore];
    expect(session.finalized).toBe(true);
    await until(() => session.closed);
  });

  it('closes every open session when the flow is redeployed', async () => {
    const { node } = await loadLive({});
    const sessionsBefore = sandbox.liveSessions.length;
    node.receive({ topic: 'one', payload: wav(16000, 2) });
    node.receive({ topic: 'two', payload: wav(16000, 2) });
    await until(
      () => sandbox.liveSessions.length === sessionsBefore + 2 && sandbox.liveSessions.slice(sessionsBefore).every((s) => s.totalBytes > 0),
    );
    await helper.unload();
    const sessions = sandbox.liveSessions.slice(sessionsBefore);
    await until(() => sessions.every((session) => session.closed));
    expect(sessions.every((session) => !session.finalized)).toBe(true);
  });

  it('refuses a chunk that is not a Buffer and a first chunk that is not WAV', async () => {
    const { node, errors } = await loadLive({});
    node.receive({ topic: 'x', payload: 'hello' });
    node.receive({ topic: 'y', payload: Buffer.from('this is not a wav file at all, just text bytes') });
    await errors.waitFor(2);
    const [first, second] = errors.messages;
    expect(first.error.message).toBe(
      'BadInputError: Invalid msg.payload: found the text "hello", expected a Buffer with the next chunk of an audio stream',
    );
    expect(second.topic).toBe('y');
    expect(second.error.message).toMatch(/^BadInputError: Invalid msg\.payload: found .+, expected WAV \(PCM .*OGG\/Opus.*Upload File/);
  });
});

describe('assemblyai-config', () => {
  it("takes empty or missing addresses as AssemblyAI's own, as the n8n credential does", async () => {
    const accounts = [
      { id: 'empty', type: 'assemblyai-config', baseUrl: '', syncBaseUrl: ' ' },
      { id: 'missing', type: 'assemblyai-config' },
      { id: 'given', type: 'assemblyai-config', baseUrl: `${sandbox.url}/`, syncBaseUrl: sandbox.url },
    ];
    await helper.load([assemblyAiConfig], flowWith(accounts), { empty: { apiKey: 'k' }, missing: { apiKey: 'k' }, given: { apiKey: 'k' } });
    const client = (id: string) => (helper.getNode(id) as unknown as AssemblyAiConfigNode).client();
    for (const id of ['empty', 'missing']) {
      expect({ id, baseUrl: client(id).baseUrl, syncBaseUrl: client(id).syncBaseUrl }).toEqual({
        id,
        baseUrl: ASSEMBLYAI_BASE_URL,
        syncBaseUrl: SYNC_BASE_URL,
      });
    }
    expect(client('given')).toMatchObject({ baseUrl: sandbox.url, syncBaseUrl: sandbox.url });
  });
});

describe('assemblyai-short-audio', () => {
  async function loadShort(node: Partial<FlowNode>, apiKey = sandbox.assemblyAiKey) {
    const wires = node.splitUncertain ? [['out1'], ['out2']] : [['out1']];
    await helper.load(
      [assemblyAiConfig, shortAudio],
      flowWith([
        { id: 'aai', type: 'assemblyai-config', baseUrl: sandbox.url, syncBaseUrl: sandbox.url },
        // These tests are about the legacy endpoint unless they say otherwise.
        {
          id: 'short',
          type: 'assemblyai-short-audio',
          assemblyai: 'aai',
          endpoint: 'legacy',
          sampleRate: 8000,
          threshold: 0.5,
          ...node,
          wires,
        },
      ]),
      { aai: { apiKey } },
    );
    return {
      node: helper.getNode('short'),
      out1: new Inbox(helper.getNode('out1')),
      out2: new Inbox(helper.getNode('out2')),
      errors: new Inbox(helper.getNode('errors')),
    };
  }

  it('sends a Telegram voice note (OGG/Opus) to the Sync API by default, with the model, languages and key terms', async () => {
    const { node, out1 } = await loadShort({ endpoint: undefined, languages: 'en, fa', keyTerms: 'Stella', prompt: 'shopping' });
    node.receive({ payload: readFileSync(join(__dirname, '..', '..', 'fixtures', 'audio', 'voice-note.ogg')), filename: 'voice.ogg' });
    const [msg] = await out1.waitFor(1);
    expect(msg.payload.media_url).toBe('voice.ogg');
    expect(msg.payload.session_id).toEqual(expect.any(String));
    expect(msg.payload.duration).toBe('0:00:03');
    const request = sandbox.syncRequests[sandbox.syncRequests.length - 1];
    expect(request.model).toBe('universal-3-5-pro');
    expect(request.config).toEqual({
      sample_rate: 16000,
      channels: 1,
      timestamps: true,
      language_codes: ['en', 'fa'],
      keyterms_prompt: ['Stella'],
      prompt: 'shopping',
    });
    // Decoded as it was sent: 16 kHz mono 16-bit raw PCM.
    expect(request.audio?.contentType).toBe('audio/pcm');
    expect((request.audio?.bytes as Buffer).length / 32000).toBeCloseTo(3, 2);
  });

  it('live mode: chunks of two recordings go up as they come, one request each, and each transcript follows its end', async () => {
    const { node, out1, errors } = await loadShort({ endpoint: 'sync', mode: 'live', keyProperty: 'topic', completeProperty: 'complete' });
    const before = sandbox.syncRequests.length;
    const note = chunks(readFileSync(join(__dirname, '..', '..', 'fixtures', 'audio', 'voice-note.ogg')), 2000);
    const call = chunks(wav(16000, 2), 8000);
    for (let i = 0; i < Math.max(note.length, call.length); i++) {
      if (note[i]) node.receive({ topic: 'telegram', payload: note[i], chat: 42 });
      if (call[i]) node.receive({ topic: 'call', payload: call[i] });
    }
    node.receive({ topic: 'telegram', complete: true });
    node.receive({ topic: 'call', complete: true });
    const messages = await out1.waitFor(2);
    const byKey = Object.fromEntries(messages.map((msg) => [msg.topic, msg]));
    expect(byKey.telegram.payload).toMatchObject({ media_url: 'telegram', duration: '0:00:03' });
    expect(byKey.telegram.chat).toBe(42);
    expect(byKey.telegram.complete).toBe(true);
    expect(byKey.call.payload).toMatchObject({ media_url: 'call', duration: '0:00:02' });
    expect(sandbox.syncRequests.length - before).toBe(2);
    expect(sandbox.syncRequests.slice(before).every((request) => request.audio?.contentType === 'audio/pcm')).toBe(true);
    expect(errors.messages).toHaveLength(0);
  });

  it('live mode: over 120 s ends in the limit error at the catch node, naming the length', async () => {
    const { node, errors } = await loadShort({ endpoint: 'sync', mode: 'live' });
    const header = Buffer.from(wav(16000, 0).subarray(0, 44));
    header.writeUInt32LE(0xffffffff, 4);
    header.writeUInt32LE(0xffffffff, 40);
    const second = wav(16000, 1).subarray(44);
    node.receive({ topic: 'mic', payload: header });
    for (let i = 0; i < 125; i++) node.receive({ topic: 'mic', payload: second });
    node.receive({ topic: 'mic', complete: true });
    const [failure] = await errors.waitFor(1);
    expect(failure.error.message).toMatch(/more than 120 seconds of audio, expected audio of at most 120 seconds/);
    expect(failure.topic).toBe('mic');
  });

  it('refuses M4A before sending, naming it and Upload File', async () => {
    const { node, errors } = await loadShort({ endpoint: 'sync' });
    const before = sandbox.syncRequests.length;
    node.receive({ payload: Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A isomiso2'), Buffer.alloc(64)]) });
    const [error] = await errors.waitFor(1);
    expect(error.error.message).toMatch(/MP4\/M4A file.*Upload File/);
    expect(sandbox.syncRequests.length).toBe(before);
  });

  it('says in its status that the API key was refused', async () => {
    const { node, errors } = await loadShort({}, 'aai-wrong-key-5521');
    const statuses = statusTexts(node);
    node.receive({ payload: wav(8000, 1) });
    const [error] = await errors.waitFor(1);
    expect(error.error.message).not.toContain('aai-wrong-key-5521');
    await until(() => statuses.length >= 2);
    expect(statuses).toEqual(['transcribing', 'API key refused']);
  });

  it('transcribes a short WAV into the shared output shape, keeping the answer fields', async () => {
    const { node, out1 } = await loadShort({});
    node.receive({ payload: wav(44100, 4, 2), filename: 'clip.wav', user: 'u1' });
    const [msg] = await out1.waitFor(1);
    expect(msg.user).toBe('u1');
    expect(msg.payload.media_url).toBe('clip.wav');
    expect(msg.payload.status).toBe('completed');
    expect(Array.isArray(msg.payload.words)).toBe(true);
    expect(msg.payload.segments.length).toBeGreaterThan(0);
    expect(typeof msg.payload.certainty_ratio).toBe('number');
  });

  it('splits per segment with a high threshold: every segment reaches exactly one output', async () => {
    const audio = wav(16000, 10);
    const direct = await new AssemblyAiClient({ apiKey: sandbox.assemblyAiKey, baseUrl: sandbox.url }).transcribeShortAudio(audio, {
      endpoint: 'legacy',
      sampleRate: 8000,
      uncertainBelow: 0.9,
    });
    const { node, out1, out2 } = await loadShort({ output: 'segment', splitUncertain: true, outputs: 2, threshold: 0.9 });
    node.receive({ payload: audio });
    await until(() => out1.messages.length + out2.messages.length >= direct.segments.length);
    expect(out1.messages.length + out2.messages.length).toBe(direct.segments.length);
    expect(out2.messages.length).toBe(direct.segments.filter((segment) => /\[[^\]]+\]/.test(segment.text)).length);
    expect(out2.messages.length).toBeGreaterThan(0);
    const indexes = [...out1.messages, ...out2.messages].map((msg) => msg.payload.segment_index).sort((x, y) => x - y);
    expect(indexes).toEqual(indexes.map((_v, i) => i));
    expect(out2.messages.every((msg) => msg.payload.uncertain_words.length > 0)).toBe(true);
    expect(out1.messages.every((msg) => msg.payload.uncertain_words.length === 0)).toBe(true);
  });

  it('refuses audio of exactly 15.0 seconds: the endpoint takes audio under 15 seconds', async () => {
    const { node, out1, errors } = await loadShort({});
    const requestsBefore = sandbox.log.filter((entry) => entry.path === '/v2/stream').length;
    node.receive({ payload: wav(16000, 15) });
    await until(() => errors.messages.length + out1.messages.length > 0);
    expect(out1.messages).toHaveLength(0);
    expect(errors.messages[0].error.message).toContain('15.0 seconds of audio');
    expect(sandbox.log.filter((entry) => entry.path === '/v2/stream').length).toBe(requestsBefore);
  });

  it('refuses audio longer than 15 seconds, giving its length and pointing to Harf', async () => {
    const { node, out1, errors } = await loadShort({});
    node.receive({ payload: wav(16000, 16) });
    const [error] = await errors.waitFor(1);
    expect(error.error.message).toContain('16.0 seconds of audio');
    expect(error.error.message).toContain("Harf's Upload File");
    expect(out1.messages).toHaveLength(0);
  });
});
