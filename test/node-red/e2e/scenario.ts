/**
 * The end-to-end scenario run on each Node-RED runtime: the packed package installed into a fresh
 * user directory, Node-RED started headless, the package's own example flows deployed through the
 * admin API with credentials pointing at the sandbox, each one triggered through its inject node,
 * and its results read where a user reads them (the debug sidebar's feed, the files it writes).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSandbox, type Sandbox } from '../../../sandbox';
import {
  deploymentOf,
  examplesFromNodeRed,
  NODE_TYPES,
  nodeOf,
  PACKAGE_NAME,
  startNodeRed,
  startSocketCounter,
  userDirWithPackage,
  waitUntil,
  watchDebug,
  type DebugFeed,
  type DebugMessage,
  type FlowNode,
  type NodeRedRuntime,
  type RunningNodeRed,
  type SocketCounter,
} from './support';

const PERSIAN = /[\u0600-\u06FF]/;
const EXAMPLES = [
  '01 - Podcast episodes by URL with review',
  '02 - Voice note upload',
  '03 - Submit then check in a loop',
  '04 - Live stream from chunks',
  '05 - Align known text to audio',
  '06 - AssemblyAI short audio',
  '07 - Podcast hosts into SRT',
  '08 - Find a known host',
];

/** The words of a subtitle file, its cue numbers, times and right-to-left marks left out. */
function subtitleWords(subtitles: string): string {
  return subtitles
    .replace(/\u200F/g, '')
    .split(/\r?\n/)
    .filter((line) => line !== '' && line !== 'WEBVTT' && !/^\d+$/.test(line) && !line.includes(' --> '))
    .join(' ');
}

const named = (name: string) => (message: DebugMessage) => message.name === name;

/** A live stream that is left open: one chunk, no end, a long idle timeout. */
function heldOpenStream(harfConfigId: string): FlowNode[] {
  const z = 'e2e0held0open000';
  const chunk =
    'const rate = 16000, samples = rate;\n' +
    'const wav = Buffer.alloc(44 + samples * 2);\n' +
    "wav.write('RIFF', 0); wav.writeUInt32LE(0xffffffff, 4); wav.write('WAVE', 8); wav.write('fmt ', 12);\n" +
    'wav.writeUInt32LE(16, 16); wav.writeUInt16LE(1, 20); wav.writeUInt16LE(1, 22); wav.writeUInt32LE(rate, 24);\n' +
    "wav.writeUInt32LE(rate * 2, 28); wav.writeUInt16LE(2, 32); wav.writeUInt16LE(16, 34); wav.write('data', 36);\n" +
    'wav.writeUInt32LE(0xffffffff, 40);\n' +
    "return { topic: 'held-open', payload: wav };\n";
  return [
    { id: z, type: 'tab', label: 'held-open stream', disabled: false, info: '' },
    {
      id: 'e2e0held0inject0',
      type: 'inject',
      z,
      name: 'open a stream',
      props: [{ p: 'payload' }],
      payload: '',
      payloadType: 'date',
      repeat: '',
      crontab: '',
      once: false,
      onceDelay: 0.1,
      topic: '',
      x: 100,
      y: 100,
      wires: [['e2e0held0chunk00']],
    },
    {
      id: 'e2e0held0chunk00',
      type: 'function',
      z,
      name: 'first chunk only',
      func: chunk,
      outputs: 1,
      timeout: 0,
      noerr: 0,
      initialize: '',
      finalize: '',
      libs: [],
      x: 300,
      y: 100,
      wires: [['e2e0held0live000']],
    },
    {
      id: 'e2e0held0live000',
      type: 'harf-live-stream',
      z,
      name: 'held-open live',
      harf: harfConfigId,
      keyProperty: 'topic',
      completeProperty: 'complete',
      idleTimeout: 600,
      output: 'segment',
      splitUncertain: false,
      subtitles: 'none',
      outputs: 1,
      x: 500,
      y: 100,
      wires: [['e2e0held0debug00']],
    },
    {
      id: 'e2e0held0debug00',
      type: 'debug',
      z,
      name: 'held-open segment',
      active: true,
      tosidebar: true,
      console: false,
      tostatus: false,
      complete: 'payload',
      targetType: 'msg',
      statusVal: '',
      statusType: 'auto',
      x: 700,
      y: 100,
      wires: [],
    },
  ];
}

export function describeNodeRedEndToEnd(label: string, getRuntime: () => NodeRedRuntime): void {
  describe(`${label}: the packed package in a headless Node-RED, example flows against the sandbox`, () => {
    jest.setTimeout(180_000);

    let runtime: NodeRedRuntime;
    let sandbox: Sandbox;
    let relay: SocketCounter;
    let nodeRed: RunningNodeRed;
    let debug: DebugFeed;
    let examples: Map<string, FlowNode[]>;
    let deployment: FlowNode[];
    const token = `sandbox-e2e-${randomBytes(12).toString('hex')}`;
    const assemblyAiKey = `aai-e2e-${randomBytes(12).toString('hex')}`;

    beforeAll(async () => {
      runtime = getRuntime();
      sandbox = await startSandbox({ token, assemblyAiKey });
      relay = await startSocketCounter(sandbox.url);
      const userDir = userDirWithPackage(runtime, label.replace(/\W+/g, '-').toLowerCase());
      nodeRed = await startNodeRed(runtime, { userDir, credentialSecret: randomBytes(16).toString('hex') });
      debug = await watchDebug(nodeRed.url);
    });

    afterAll(async () => {
      await debug?.close();
      await nodeRed?.stop();
      await relay?.close();
      await sandbox?.close();
      // Kept for reading after a failure; only in the OS temp directory.
      if (nodeRed) process.stdout.write(`${label} Node-RED log: ${nodeRed.logFile}\n`);
    });

    test(`runs on ${label === 'Node-RED 5' ? 'Node 24' : 'the machine Node'} and registers all nine node types from the tarball without error`, async () => {
      const versions = await nodeRed.api('GET', '/settings');
      expect(versions.status).toBe(200);
      // A runtime installed from npm may report "4.1.8-git"; the release is what counts.
      expect(versions.json.version.split('-')[0]).toBe(runtime.version);
      const sets = (await nodeRed.nodeSets()).filter((set) => set.module === PACKAGE_NAME);
      expect(sets.flatMap((set) => set.types).sort()).toEqual([...NODE_TYPES].sort());
      for (const set of sets) {
        expect({ id: set.id, enabled: set.enabled, err: set.err }).toEqual({ id: set.id, enabled: true, err: undefined });
      }
      const installed = JSON.parse(fs.readFileSync(path.join(nodeRed.userDir, 'package.json'), 'utf8'));
      expect(installed.dependencies[PACKAGE_NAME]).toMatch(/\.tgz$/);
    });

    test('serves the eight example flows where Import > Examples looks, without credentials', async () => {
      examples = await examplesFromNodeRed(nodeRed);
      expect([...examples.keys()].sort()).toEqual(EXAMPLES);
      for (const [name, flow] of examples) {
        for (const node of flow) {
          expect({ name, id: node.id, credentials: node.credentials }).toEqual({ name, id: node.id, credentials: undefined });
        }
        const types = new Set(flow.map((node) => node.type));
        expect(types.has('harf-config') || types.has('assemblyai-config')).toBe(true);
      }
    });

    test('lists the flows directly under the package in Import > Examples, with no folder to open first', async () => {
      const listing = await nodeRed.api('GET', `/library/examples/flows/${PACKAGE_NAME}`);
      expect(listing.status).toBe(200);
      const entries = listing.json as Array<string | { fn: string }>;
      expect(entries.filter((entry) => typeof entry === 'string')).toEqual([]);
      expect(entries.map((entry) => (entry as { fn: string }).fn.replace(/\.json$/, '')).sort()).toEqual(EXAMPLES);
    });

    test('deploys them through the admin API; the credentials are stored encrypted and never sent back', async () => {
      const flows = EXAMPLES.map((name) => examples.get(name)!);
      const harfConfig = nodeOf(flows[0], 'harf-config');
      deployment = deploymentOf(
        flows,
        { harfUrl: relay.url, harfToken: token, assemblyAiUrl: relay.url, assemblyAiKey },
        heldOpenStream(harfConfig.id),
      );
      await nodeRed.deploy(deployment);

      const stored = fs.readFileSync(path.join(nodeRed.userDir, 'flows_cred.json'), 'utf8');
      expect(JSON.parse(stored)).toHaveProperty('$');
      expect(stored).not.toContain(token);
      const served = await nodeRed.api('GET', '/flows');
      expect(served.text).not.toContain(token);
      const harf = await nodeRed.api('GET', `/credentials/harf-config/${harfConfig.id}`);
      expect(harf.json).toEqual({ has_token: true });
      const assemblyAiConfig = nodeOf(examples.get(EXAMPLES[5])!, 'assemblyai-config');
      const assemblyAi = await nodeRed.api('GET', `/credentials/assemblyai-config/${assemblyAiConfig.id}`);
      expect(assemblyAi.json).toEqual({ has_apiKey: true });
    });

    test('podcast example: one transcript per episode, every uncertain segment to review, an SRT file per episode', async () => {
      const flow = examples.get(EXAMPLES[0])!;
      const inject = nodeOf(flow, 'inject', 'podcast episodes');
      const urls: string[] = JSON.parse(inject.payload);
      await nodeRed.inject(inject.id);

      const written = await debug.waitFor(named('SRT written'), urls.length);
      const transcripts = await debug.waitFor(named('transcript'), urls.length);
      expect(transcripts.map((message) => message.msg.media_url).sort()).toEqual([...urls].sort());
      let uncertainSegments = 0;
      for (const { msg: file } of transcripts) {
        expect(file.text).toMatch(PERSIAN);
        expect(file.segments.length).toBeGreaterThan(0);
        expect(file.duration_seconds).toBeGreaterThan(0);
        expect(file.uncertain_count).toBe(file.uncertain_words.length);
        uncertainSegments += file.segments.filter((segment: { uncertain_words: string[] }) => segment.uncertain_words.length > 0).length;
      }
      expect(uncertainSegments).toBeGreaterThan(0);

      const review = await debug.waitFor(named('needs review'), uncertainSegments);
      expect(review).toHaveLength(uncertainSegments);
      for (const { msg: entry } of review) {
        expect(urls).toContain(entry.media_url);
        expect(entry.uncertain_words.length).toBeGreaterThan(0);
        for (const word of entry.uncertain_words) expect(entry.text).toContain(`[${word}]`);
        expect(entry.media_fragment).toBe(`${entry.media_url}#t=${entry.start_seconds},${entry.end_seconds}`);
      }

      expect(written.map((message) => message.msg).sort()).toEqual(['harf-transcripts/episode-41.srt', 'harf-transcripts/episode-42.srt']);
      for (const { msg: file } of transcripts) {
        const name = `${file.media_url
          .split('/')
          .pop()
          .replace(/\.mp3$/, '')}.srt`;
        const srt = fs.readFileSync(path.join(nodeRed.fileWorkingDirectory, 'harf-transcripts', name), 'utf8');
        expect(srt).toMatch(/^1\r?\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}/);
        // Cue lines are wrapped and carry right-to-left marks: every segment's words are there, in order.
        const spoken = srt
          .split(/\r?\n\r?\n/)
          .map((cue) =>
            cue
              .split(/\r?\n/)
              .slice(2)
              .map((line) => line.replace(/\u200f/g, '').trim())
              .join(' '),
          )
          .join(' ');
        for (const segment of file.segments) expect(spoken).toContain(segment.text);
      }
    });

    test('voice note example: the WAV Buffer is uploaded with its file name and the text comes back with msg.chat kept', async () => {
      const flow = examples.get(EXAMPLES[1])!;
      await nodeRed.inject(nodeOf(flow, 'inject').id);
      const [reply] = await debug.waitFor(named('reply text'));
      expect(typeof reply.msg.payload).toBe('string');
      expect(reply.msg.payload).toMatch(PERSIAN);
      expect(reply.msg.chat).toEqual({ id: 1001, from: 'listener' });
      expect(reply.msg.filename).toBe('voice-note.wav');
      // 3 s of 16 kHz mono WAV (96 044 bytes) reached the sandbox as a multipart upload.
      const uploads = sandbox.log.filter((entry) => entry.method === 'POST' && (entry.contentType ?? '').startsWith('multipart/form-data'));
      expect(uploads).toHaveLength(1);
      expect(uploads[0].bytes).toBeGreaterThan(96_044);
    });

    test('submit / check loop example: task ids first, then both transcripts after the loop; a failing file reaches the catch node', async () => {
      const flow = examples.get(EXAMPLES[2])!;
      const inject = nodeOf(flow, 'inject', 'long recordings');
      const urls: string[] = JSON.parse(inject.payload);
      await nodeRed.inject(inject.id);
      const [submitted] = await debug.waitFor(named('submitted tasks'));
      expect(submitted.msg.map((task: { media_url: string }) => task.media_url)).toEqual(urls);
      for (const task of submitted.msg) expect(task.task_id).toEqual(expect.any(String));
      const finished = await debug.waitFor(named('finished transcript'), urls.length);
      expect(finished.map((message) => message.msg.media_url).sort()).toEqual([...urls].sort());
      for (const { msg: file } of finished) expect(file.text).toMatch(PERSIAN);

      const failing = nodeOf(flow, 'inject', 'a file that fails');
      await nodeRed.inject(failing.id);
      const [caught] = await debug.waitFor(named('task errors'));
      expect(caught.msg.message).toMatch(/fail/i);
      expect(caught.msg.source.name).toBe('check once');
      expect(debug.messages.filter(named('finished transcript'))).toHaveLength(urls.length);
    });

    test('live stream example: segments as they arrive, then the whole transcript with msg.complete and WebVTT', async () => {
      const flow = examples.get(EXAMPLES[3])!;
      await nodeRed.inject(nodeOf(flow, 'inject', 'start call-1').id);
      const [whole] = await debug.waitFor(named('stream transcript'));
      expect(whole.msg.complete).toBe(true);
      expect(whole.msg.topic).toBe('call-1');
      expect(whole.msg.payload.stream).toBe('call-1');
      // 4 s of 44.1 kHz stereo arrive converted: 4 s of 16 kHz mono at the service.
      expect(whole.msg.payload.duration_seconds).toBeCloseTo(4, 1);
      expect(whole.msg.payload.text).toMatch(PERSIAN);
      expect(whole.msg.vtt).toMatch(/^WEBVTT/);
      const segments = debug.messages.filter(named('live segment'));
      expect(segments).toHaveLength(whole.msg.payload.segments.length);
      expect(segments.map((message) => message.msg.text)).toEqual(
        whole.msg.payload.segments.map((segment: { text: string }) => segment.text),
      );
      for (const segment of segments) expect(segment.topic).toBe('call-1');
      // What the service received: 16 kHz mono 16-bit WAV in 32000-byte frames (the tail shorter), then finalize.
      expect(sandbox.liveSessions).toHaveLength(1);
      const [session] = sandbox.liveSessions;
      expect(session.header).toEqual({ audioFormat: 'pcm', sampleRate: 16000, channels: 1, bitsPerSample: 16 });
      expect(session.frames.slice(0, -1).every((size) => size === 32000)).toBe(true);
      expect(session.frames[session.frames.length - 1]).toBeLessThanOrEqual(32000);
      expect(session.textFrames).toEqual(['finalize']);
      expect(session.finalized).toBe(true);
    });

    test('align example: one timed segment per word of the known text, and SRT subtitles', async () => {
      const flow = examples.get(EXAMPLES[4])!;
      const inject = nodeOf(flow, 'inject');
      const words = (JSON.parse(inject.payload).text as string).split(' ');
      await nodeRed.inject(inject.id);
      const [aligned] = await debug.waitFor(named('word timings'));
      expect(aligned.msg.payload.segments.map((segment: { text: string }) => segment.text)).toEqual(words);
      for (const segment of aligned.msg.payload.segments) expect(segment.end_seconds).toBeGreaterThanOrEqual(segment.start_seconds);
      expect(aligned.msg.srt).toContain(' --> ');
    });

    test('AssemblyAI example: a short WAV transcribed in the same shape, uncertain words to review', async () => {
      const flow = examples.get(EXAMPLES[5])!;
      await nodeRed.inject(nodeOf(flow, 'inject', 'short clip').id);
      const [clip] = await debug.waitFor(named('clip transcript'));
      expect(clip.msg.text.length).toBeGreaterThan(0);
      expect(Array.isArray(clip.msg.segments)).toBe(true);
      const uncertainSegments = clip.msg.segments.filter(
        (segment: { uncertain_words: string[] }) => segment.uncertain_words.length > 0,
      ).length;
      expect(clip.msg.uncertain_count).toBe(clip.msg.uncertain_words.length);
      if (uncertainSegments > 0) await debug.waitFor(named('clip needs review'), uncertainSegments);
      expect(debug.messages.filter(named('clip needs review'))).toHaveLength(uncertainSegments);
    });

    test('a Telegram voice note (OGG/Opus): to the Sync API as 16 kHz mono raw PCM, and streamed live in chunks', async () => {
      const short = examples.get(EXAMPLES[5])!;
      await nodeRed.inject(nodeOf(short, 'inject', 'voice note').id);
      const [note] = await debug.waitFor(named('voice note transcript'));
      expect(note.msg.media_url).toBe('voice.oga');
      expect(note.msg.session_id).toEqual(expect.any(String));
      expect(note.msg.duration_seconds).toBeCloseTo(3, 1);
      const request = sandbox.syncRequests.find((each) => each.audio?.filename === 'voice.pcm')!;
      expect(request.model).toBe('universal-3-5-pro');
      expect(request.config).toEqual({
        sample_rate: 16000,
        channels: 1,
        timestamps: true,
        language_codes: ['en'],
        keyterms_prompt: ['Stella'],
      });

      const live = examples.get(EXAMPLES[3])!;
      const sessionsBefore = sandbox.liveSessions.length;
      await nodeRed.inject(nodeOf(live, 'inject', 'voice note').id);
      await waitUntil(
        () => debug.messages.some((message) => named('stream transcript')(message) && message.msg.topic === 'voice-note'),
        () => "the voice note's whole transcript",
      );
      const session = sandbox.liveSessions[sessionsBefore];
      expect(session.header).toEqual({ audioFormat: 'pcm', sampleRate: 16000, channels: 1, bitsPerSample: 16 });
      expect(Math.abs(session.audioBytes - 3 * 32000)).toBeLessThanOrEqual(64);
      expect(session.finalized).toBe(true);
    });

    test("podcast hosts example: speaker segments, the text per turn under the hosts' names, an SRT file naming them", async () => {
      const flow = examples.get(EXAMPLES[6])!;
      await nodeRed.inject(nodeOf(flow, 'inject').id);
      const [{ msg: episode }] = await debug.waitFor(named('speaker transcript'));
      expect(episode.segments.length).toBeGreaterThan(3);
      expect(
        episode.segments.every(
          (segment: { speaker: string; start: number }) => /^speaker_[01]$/.test(segment.speaker) && typeof segment.start === 'number',
        ),
      ).toBe(true);
      const turns = String(episode.text).split('\n');
      expect(new Set(turns.map((line) => /^(Maryam|Reza): \S/.exec(line)?.[1]))).toEqual(new Set(['Maryam', 'Reza']));
      const [written] = await debug.waitFor(named('speaker SRT written'));
      expect(written.msg).toBe('two-hosts-episode-7-speakers.srt');
      const srt = fs.readFileSync(path.join(nodeRed.fileWorkingDirectory, written.msg), 'utf8');
      for (const cue of srt.trim().split(/\r?\n\r?\n/)) {
        const [, , ...lines] = cue.split(/\r?\n/);
        expect(lines.length).toBeLessThanOrEqual(2);
        expect(lines[0]).toMatch(/^\u200F(Maryam|Reza): /);
        for (const line of lines) expect(line.endsWith('\u200F') && line.replace(/\u200F/g, '').length <= 42).toBe(true);
      }
      for (const segment of episode.segments) expect(subtitleWords(srt)).toContain(segment.text);
    });

    test('known host example: Reza found among the sample voices, routed to "known host"', async () => {
      const flow = examples.get(EXAMPLES[7])!;
      await nodeRed.inject(nodeOf(flow, 'inject').id);
      const [{ msg: found }] = await debug.waitFor(named('known host'));
      expect(found).toMatchObject({ result: 'Identified', most_similar_speaker: 'Reza', identified: true, speaker: 'Reza' });
      expect(found.similarity).toBeGreaterThanOrEqual(0.65);
    });

    test('a redeploy closes an open live session and leaves no connection to the sandbox', async () => {
      await nodeRed.inject('e2e0held0inject0');
      const liveOpen = () => relay.open().filter((connection) => connection.firstLine.startsWith('GET /ws_api/'));
      await waitUntil(
        () => liveOpen().length === 1,
        () => `one open live connection; open: ${JSON.stringify(relay.open())}`,
      );

      await nodeRed.deploy(deployment);
      await waitUntil(
        () => liveOpen().length === 0,
        () => `live connection closed by the redeploy; open: ${JSON.stringify(relay.open())}`,
      );
      // Idle keep-alive connections end when the sandbox's keep-alive timeout passes; none may stay.
      await waitUntil(
        () => relay.open().length === 0,
        () => `no open connection; open: ${JSON.stringify(relay.open())}`,
        60_000,
      );
    });

    test('stopping Node-RED closes every node and exits cleanly; the token is in no log, message or output', async () => {
      await nodeRed.inject('e2e0held0inject0');
      await waitUntil(
        () => relay.open().length > 0,
        () => 'a connection from the held-open stream',
      );
      const exit = await nodeRed.stop();
      expect(exit).toEqual({ code: 0, signal: null });
      await waitUntil(
        () => relay.open().length === 0,
        () => `no open connection after stop; open: ${JSON.stringify(relay.open())}`,
      );

      const log = nodeRed.log();
      expect(log).toContain('Started flows');
      for (const secret of [token, assemblyAiKey]) {
        expect(log).not.toContain(secret);
        expect(nodeRed.output()).not.toContain(secret);
        expect(JSON.stringify(debug.messages)).not.toContain(secret);
      }
      // The only errors are the example's failing file, reported by the node that checked it.
      const errors = log.split('\n').filter((line) => / error /.test(line));
      for (const line of errors) expect(line).toMatch(/harf-check-status:check once/);
    });
  });
}
