/**
 * The packed package in a real n8n 2.x (pinned, on Node 24): installed as a community package into a
 * fresh user folder, credentials pointing at the local Harf sandbox imported with `n8n import:credentials`,
 * every example workflow imported with `n8n import:workflow` and run with `n8n execute --id`, and the
 * output items checked as a user would read them.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssemblyAi } from '../../../nodes/AssemblyAi/AssemblyAi.node';
import { Harf } from '../../../nodes/Harf/Harf.node';
import { startSandbox, type Sandbox } from '../../../sandbox';
import {
  crashedOnlyAtExit,
  createN8nInstance,
  exampleWorkflows,
  outputItems,
  PACKAGE_NAME,
  packedTarball,
  parseExecutionOutput,
  provisionN8n,
  readStoredBinary,
  runsOf,
  type ExecutionResult,
  type N8nInstance,
  type N8nRuntime,
  type NodeExecutionData,
} from '../support/n8n';
import { droppedParameters } from '../support/parameters';
import {
  continueOnFailWorkflow,
  FAILING_URLS,
  ownNodesWorkflow,
  refusedTokenContinueWorkflow,
  refusedTokenWorkflow,
  sandboxCredentials,
  testWorkflows,
} from '../support/workflows';

const PERSIAN = /[\u0600-\u06FF]/;
const REFUSED_TOKEN = 'revoked-harf-token-7f3a9c2e51d8';
const EXAMPLE_FILES = [
  '01-podcast-episodes-by-url-with-review.json',
  '02-voice-message-upload.json',
  '03-submit-wait-check-once-loop.json',
  '04-live-stream-wav.json',
  '05-align-text.json',
  '06-assemblyai-short-audio.json',
  '07-podcast-speakers-srt.json',
  '08-find-known-host.json',
];

const RLM = '\u200F';
const PACKAGE_NODES = { harf: new Harf(), assemblyAi: new AssemblyAi() } as Record<string, Harf | AssemblyAi>;

/** The words of a subtitle file, its cue numbers, times and right-to-left marks left out. */
function subtitleWords(subtitles: string): string {
  return subtitles
    .replace(/\u200F/g, '')
    .split(/\r?\n/)
    .filter((line) => line !== '' && line !== 'WEBVTT' && !/^\d+$/.test(line) && !line.includes(' --> '))
    .join(' ');
}

const json = (items: NodeExecutionData[]) => items.map((item) => item.json);

function exampleId(file: string): string {
  const example = exampleWorkflows().find((candidate) => candidate.file === file);
  if (!example) throw new Error(`n8n-workflows/${file} is missing`);
  return example.workflow.id;
}

/** Every uncertain word of a review item is bracketed in its text, and its link points at its times. */
function expectReviewItem(item: Record<string, any>, mediaUrls: string[]): void {
  expect(mediaUrls).toContain(item.media_url);
  expect(item.uncertain_words.length).toBeGreaterThan(0);
  for (const word of item.uncertain_words) expect(item.text).toContain(`[${word}]`);
  expect(item.end_seconds).toBeGreaterThan(item.start_seconds);
  expect(item.media_fragment).toBe(`${item.media_url}#t=${item.start_seconds},${item.end_seconds}`);
  expect(typeof item.segment_index).toBe('number');
}

describe('n8n: the packed package in a real n8n, example workflows against the sandbox', () => {
  let runtime: N8nRuntime;
  let sandbox: Sandbox;
  let n8n: N8nInstance;

  beforeAll(async () => {
    // Minutes on a fresh machine (install, native build); a fraction of a second once cached.
    runtime = provisionN8n();
    const tarball = packedTarball();
    sandbox = await startSandbox({ taskDelayMs: 1500, processingDelayMs: 50 });
    n8n = await createN8nInstance({ runtime, tarball });
    await n8n.importCredentials(sandboxCredentials(sandbox, REFUSED_TOKEN));
    await n8n.importWorkflows([...exampleWorkflows().map((example) => example.workflow), ...testWorkflows]);
  }, 1_800_000);

  afterAll(async () => {
    await sandbox?.close();
    n8n?.remove();
  });

  beforeEach(() => {
    sandbox.faults.clear();
    sandbox.configure({ taskDelayMs: 1500, processingDelayMs: 50 });
  });

  jest.setTimeout(240_000);

  test('the pinned n8n 2.x runs on Node 24', async () => {
    expect(runtime.version).toMatch(/^2\.\d+\.\d+$/);
    const reported = await n8n.run(['--version']);
    expect(reported.stdout.trim()).toBe(runtime.version);
    expect(execFileSync(runtime.node24, ['--version'], { encoding: 'utf8' }).trim()).toMatch(/^v24\./);
  });

  test("n8n's own nodes (Manual Trigger + Set) run through import, execute --id and the output parser", async () => {
    const result = await n8n.execute(ownNodesWorkflow.id);
    expect(result.finished).toBe(true);
    expect(json(outputItems(result, 'Set greeting'))).toEqual([{ greeting: 'سلام 42', answer: 42 }]);
  });

  test('the package is installed where n8n installs community packages, without its dev or peer dependencies', () => {
    const installed = path.join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    expect(manifest.n8n.nodes).toEqual(expect.arrayContaining(['dist/nodes/Harf/Harf.node.js']));
    for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
      expect(fs.existsSync(path.join(installed, file))).toBe(true);
    }
    expect(manifest.devDependencies).toBeUndefined();
    expect(manifest.peerDependencies).toBeUndefined();
    // n8n-workflow comes from n8n itself, so the node sees the same classes n8n checks errors against.
    expect(fs.existsSync(path.join(installed, 'node_modules', 'n8n-workflow'))).toBe(false);
    for (const dependency of Object.keys(manifest.dependencies)) {
      expect(fs.existsSync(path.join(installed, 'node_modules', dependency, 'package.json'))).toBe(true);
    }
    const nodesManifest = JSON.parse(fs.readFileSync(path.join(n8n.userFolder, '.n8n', 'nodes', 'package.json'), 'utf8'));
    expect(nodesManifest.dependencies).toEqual({ [PACKAGE_NAME]: manifest.version });
  });

  test('every example workflow in n8n-workflows/ is run by this test and starts from a Manual Trigger', () => {
    const examples = exampleWorkflows();
    expect(examples.map((example) => example.file)).toEqual(EXAMPLE_FILES);
    for (const { workflow } of examples) {
      expect(workflow.nodes.some((node) => node.type === 'n8n-nodes-base.manualTrigger')).toBe(true);
      expect(workflow.id.length).toBeLessThanOrEqual(21);
    }
  });

  test("every package node in the examples is at its node's default version, with only parameters that version shows", () => {
    const ours = exampleWorkflows().flatMap(({ file, workflow }) =>
      workflow.nodes.filter((node) => node.type.startsWith(`${PACKAGE_NAME}.`)).map((node) => ({ file, node })),
    );
    expect(ours.length).toBeGreaterThanOrEqual(EXAMPLE_FILES.length);
    for (const { file, node } of ours) {
      const { description } = PACKAGE_NODES[node.type.slice(PACKAGE_NAME.length + 1)];
      const seen = {
        file,
        node: node.name,
        version: node.typeVersion,
        dropped: droppedParameters(description, node.parameters, node.typeVersion),
      };
      expect(seen).toEqual({ ...seen, version: description.defaultVersion, dropped: [] });
    }
  });

  test('01 podcast episodes by URL: one transcript per episode, uncertain segments on the Needs Review output', async () => {
    const result = await n8n.execute(exampleId(EXAMPLE_FILES[0]));
    const episodes = json(outputItems(result, 'Podcast feed episodes'));
    const urls = episodes.map((episode) => episode.enclosure.url as string);
    expect(urls).toHaveLength(3);

    const files = outputItems(result, 'Transcribe episodes', 0);
    const review = outputItems(result, 'Transcribe episodes', 1);
    expect(files.map((file) => file.json.media_url)).toEqual(urls);
    files.forEach((file, index) => {
      expect(file.pairedItem).toEqual({ item: index });
      expect(file.json.task_id).toEqual(expect.any(String));
      expect(file.json.duration_seconds).toBe(Number(new URL(urls[index]).searchParams.get('duration')));
      expect(file.json.text).toMatch(PERSIAN);
      expect(file.json.stats.words).toBeGreaterThan(0);
    });

    // Per file, every segment with uncertain words is on the review output, and nothing else is.
    expect(review.length).toBeGreaterThan(0);
    for (const file of files) {
      const uncertainSegments = file.json.segments.filter((segment: any) => segment.uncertain_words.length > 0);
      const reviewOfFile = json(review).filter((item) => item.media_url === file.json.media_url);
      expect(reviewOfFile.map((item) => item.segment_index)).toEqual(uncertainSegments.map((segment: any) => segment.segment_index));
    }
    for (const item of json(review)) expectReviewItem(item, urls);

    // The Set node after the Harf node reaches back to each episode's title through pairedItem.
    const transcripts = json(outputItems(result, 'Episode transcripts'));
    expect(transcripts.map((item) => item.title)).toEqual(episodes.map((episode) => episode.title));
    transcripts.forEach((item, index) => {
      expect(item.text).toBe(files[index].json.text);
      expect(item.uncertain_count).toBe(files[index].json.uncertain_count);
      expect(item.certainty_ratio).toBeGreaterThan(0);
      expect(item.certainty_ratio).toBeLessThanOrEqual(1);
    });
    expect(json(outputItems(result, 'Segments to review'))).toEqual(json(review));
  });

  test('02 voice message from binary data: the WAV is uploaded, transcribed, and subtitles come back as files', async () => {
    const uploadsBefore = sandbox.log.filter((entry) => entry.contentType?.startsWith('multipart/form-data')).length;
    const result = await n8n.execute(exampleId(EXAMPLE_FILES[1]));
    const sent = outputItems(result, 'Voice message as a file')[0].binary!.data;
    const wavBytes = readStoredBinary(n8n, sent).length;

    const [item] = outputItems(result, 'Transcribe voice message');
    expect(outputItems(result, 'Transcribe voice message')).toHaveLength(1);
    expect(item.json.file_name).toBe('voice-message.wav');
    // The sandbox reads the duration from the uploaded WAV's header: the real bytes arrived.
    expect(item.json.duration_seconds).toBe(4);
    expect(item.json.media_url).toMatch(/\/voice-message\.wav$/);
    expect(item.json.text).toMatch(PERSIAN);

    const uploads = sandbox.log.filter((entry) => entry.contentType?.startsWith('multipart/form-data'));
    expect(uploads).toHaveLength(uploadsBefore + 1);
    expect(uploads[uploads.length - 1].bytes).toBeGreaterThan(wavBytes);

    const srt = item.binary!.srt;
    const vtt = item.binary!.vtt;
    expect(srt).toMatchObject({ mimeType: 'application/x-subrip', fileName: 'voice-message.srt' });
    expect(vtt).toMatchObject({ mimeType: 'text/vtt', fileName: 'voice-message.vtt' });
    const srtText = readStoredBinary(n8n, srt).toString('utf8');
    // A segment longer than a subtitle line is split into cues; the file still ends at 4 s.
    expect(srtText).toMatch(/^1\r?\n00:00:00,000 --> 00:00:0\d,\d{3}\r?\n\u200F/);
    expect(srtText).toMatch(/ --> 00:00:04,000\r?\n(?:\u200F[^\n]*\u200F\r?\n){1,2}$/);
    expect(subtitleWords(srtText)).toContain(item.json.segments[0].text);
    expect(readStoredBinary(n8n, vtt).toString('utf8')).toMatch(/^WEBVTT/);
  });

  test('03 submit, wait, check once: pending tasks loop back through the Wait node until their transcripts are done', async () => {
    // Tasks stay PENDING until the first Check Once has been answered; then they finish at once.
    // So the loop is taken at least once whatever the machine's speed.
    sandbox.configure({ taskDelayMs: 3_600_000 });
    sandbox.log.splice(0);
    const release = setInterval(() => {
      const answeredChecks = sandbox.log.filter((entry) => entry.path === '/api/transcribe_files/' && entry.status === 200);
      // The submit is one request, the first round of checks two more.
      if (answeredChecks.length >= 3) sandbox.configure({ taskDelayMs: 0 });
    }, 50);
    let result: ExecutionResult;
    try {
      result = await n8n.execute(exampleId(EXAMPLE_FILES[2]));
    } finally {
      clearInterval(release);
    }

    const submitted = json(outputItems(result, 'Submit lectures'));
    expect(submitted).toHaveLength(2);
    for (const task of submitted)
      expect(task).toEqual({ task_id: expect.any(String), media_url: expect.stringMatching(/^https:/), state: 'PENDING' });

    const checks = runsOf(result, 'Check once');
    expect(checks.length).toBeGreaterThanOrEqual(2);
    expect(json(checks[0].data!.main[0]!)).toEqual(submitted.map((task) => ({ task_id: task.task_id, state: 'PENDING' })));
    expect(runsOf(result, 'Wait a little').length).toBe(checks.length);

    const done = json(outputItems(result, 'Transcribed lectures'));
    expect(done.map((item) => item.task_id).sort()).toEqual(submitted.map((task) => task.task_id).sort());
    for (const item of done) {
      expect(item.state).toBe('SUCCESS');
      expect(item.text).toMatch(PERSIAN);
      expect(submitted.map((task) => task.media_url)).toContain(item.media_url);
    }
  });

  test('04 WAV streamed live: converted to 16 kHz mono, sent in one-second frames, segments back in order', async () => {
    const sessionsBefore = sandbox.liveSessions.length;
    const result = await n8n.execute(exampleId(EXAMPLE_FILES[3]));

    const segments = json(outputItems(result, 'Stream live'));
    expect(segments.length).toBeGreaterThanOrEqual(2);
    segments.forEach((segment, index) => {
      expect(segment.segment_index).toBe(index);
      expect(segment.media_url).toBe('recording-22khz-stereo.wav');
      expect(segment.text).toMatch(PERSIAN);
      expect(segment.end_seconds).toBeGreaterThan(segment.start_seconds);
      if (index > 0) expect(segment.start_seconds).toBeCloseTo(segments[index - 1].end_seconds, 3);
    });
    expect(segments[segments.length - 1].end_seconds).toBeCloseTo(12, 1);

    // Two sessions: the WAV, and the Telegram voice note (OGG/Opus) decoded as it streams.
    expect(sandbox.liveSessions).toHaveLength(sessionsBefore + 2);
    const sessions = sandbox.liveSessions.slice(sessionsBefore);
    const session = sessions.find((each) => each.audioBytes === 12 * 32000)!;
    expect(session).toBeDefined();
    expect(session.header).toEqual({ audioFormat: 'pcm', sampleRate: 16000, channels: 1, bitsPerSample: 16 });
    const voice = sessions.find((each) => each !== session)!;
    expect(voice.header).toEqual({ audioFormat: 'pcm', sampleRate: 16000, channels: 1, bitsPerSample: 16 });
    expect(Math.abs(voice.audioBytes - 3 * 32000)).toBeLessThanOrEqual(64);
    expect(voice.finalized).toBe(true);
    const [note] = json(outputItems(result, 'Stream voice note'));
    expect(note.media_url).toBe('voice.oga');
    expect(note.duration_seconds).toBeCloseTo(3, 1);
    expect(session.frames.slice(0, -1).every((size) => size === 32000)).toBe(true);
    expect(session.frames.reduce((sum, size) => sum + size, 0)).toBe(session.totalBytes);
    expect(session.textFrames).toEqual(['finalize']);
    expect(session.finalized).toBe(true);
  });

  test('05 align text: one item per word, in the order of the text, with times', async () => {
    const workflow = exampleWorkflows().find((example) => example.file === EXAMPLE_FILES[4])!.workflow;
    const words = String(workflow.nodes.find((node) => node.name === 'Align the poem')!.parameters.text).split(' ');
    const result = await n8n.execute(workflow.id);
    const aligned = json(outputItems(result, 'Align the poem'));
    expect(aligned.map((item) => item.text)).toEqual(words);
    aligned.forEach((item, index) => {
      expect(item.segment_index).toBe(index);
      expect(item.start).toMatch(/^\d+:\d{2}:\d{2}\.\d{6}$/);
      expect(item.end_seconds).toBeGreaterThan(item.start_seconds);
      if (index > 0) expect(item.start_seconds).toBeGreaterThanOrEqual(aligned[index - 1].end_seconds);
    });
  });

  test('06 AssemblyAI short clip: the same transcript shape, low-confidence words on the review output', async () => {
    const result = await n8n.execute(exampleId(EXAMPLE_FILES[5]));
    const [clip] = json(outputItems(result, 'Transcribe short clip', 0));
    expect(outputItems(result, 'Transcribe short clip', 0)).toHaveLength(1);
    expect(clip.session_id).toEqual(expect.any(String));
    expect(clip.text).toMatch(/[a-z]/);
    expect(clip.duration_seconds).toBeGreaterThan(0);
    expect(clip.duration_seconds).toBeLessThanOrEqual(5);
    const lowConfidence = clip.words.filter((word: any) => word.confidence < 0.5).map((word: any) => word.text);
    expect(lowConfidence.length).toBeGreaterThan(0);

    const review = json(outputItems(result, 'Transcribe short clip', 1));
    expect(review.length).toBeGreaterThan(0);
    for (const item of review) expectReviewItem(item, ['short-clip.wav']);
    expect(review.flatMap((item) => item.uncertain_words).sort()).toEqual([...lowConfidence].sort());
    expect(json(outputItems(result, 'Low-confidence words'))).toEqual(review);
    expect(json(outputItems(result, 'Clip transcript'))).toEqual([clip]);

    // The Telegram voice note (OGG/Opus) reached the Sync API decoded as it was sent: 16 kHz mono raw PCM, config first.
    const [note] = json(outputItems(result, 'Transcribe voice note'));
    expect(note.media_url).toBe('voice.oga');
    expect(note.session_id).toEqual(expect.any(String));
    expect(note.audio_duration_ms).toBe(3000);
    const request = sandbox.syncRequests.find((each) => each.audio?.filename === 'voice.pcm')!;
    expect(request.model).toBe('universal-3-5-pro');
    expect(request.config).toEqual({
      sample_rate: 16000,
      channels: 1,
      timestamps: true,
      language_codes: ['en'],
      keyterms_prompt: ['Stella'],
    });
    expect(request.audio?.contentType).toBe('audio/pcm');
    expect(request.parts).toEqual(['config', 'audio']);
  });

  test("07 two-host podcast: speaker segments, the text per turn under the hosts' names, an SRT naming them", async () => {
    const result = await n8n.execute(exampleId(EXAMPLE_FILES[6]));
    const [item] = outputItems(result, 'Who speaks when');
    expect(outputItems(result, 'Who speaks when')).toHaveLength(1);
    const episode = item.json as Record<string, any>;
    expect(episode.segments.length).toBeGreaterThan(3);
    for (const segment of episode.segments) {
      expect(segment.speaker).toMatch(/^speaker_[01]$/);
      expect(segment.speaker_name).toBe(segment.speaker === 'speaker_0' ? 'Maryam' : 'Reza');
      expect(typeof segment.start).toBe('number');
      expect(segment.end_seconds).toBeGreaterThan(segment.start_seconds);
    }
    const turns = String(episode.text).split('\n');
    expect(turns.every((line) => /^(Maryam|Reza): \S/.test(line))).toBe(true);
    expect(new Set(turns.map((line) => line.split(':')[0]))).toEqual(new Set(['Maryam', 'Reza']));

    const srt = readStoredBinary(n8n, item.binary!.srt).toString('utf8');
    expect(item.binary!.srt).toMatchObject({ mimeType: 'application/x-subrip', fileName: 'two-hosts-episode-7.srt' });
    const cues = srt.trim().split(/\r?\n\r?\n/);
    expect(cues.length).toBeGreaterThanOrEqual(episode.segments.length);
    for (const cue of cues) {
      const [, times, ...lines] = cue.split(/\r?\n/);
      expect(times).toMatch(/^\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}$/);
      expect(lines.length).toBeLessThanOrEqual(2);
      expect(lines[0]).toMatch(/^\u200F(Maryam|Reza): /);
      for (const line of lines) {
        expect(line.startsWith(RLM) && line.endsWith(RLM)).toBe(true);
        expect(line.replace(/\u200F/g, '').length).toBeLessThanOrEqual(42);
      }
    }
    expect(srt).not.toMatch(/\[(Maryam|Reza|speaker_)/);
    expect(json(outputItems(result, 'Episode with speakers'))).toEqual([episode]);
  });

  test("08 known host: Reza is found among the sample voices, with Harf's verdict and the similarity", async () => {
    const result = await n8n.execute(exampleId(EXAMPLE_FILES[7]));
    const found = json(outputItems(result, 'Identify the host'));
    expect(found).toEqual([
      {
        media_url: 'https://example.com/clips/call-in-3.mp3?voice=reza',
        result: 'Identified',
        most_similar_speaker: 'Reza',
        similarity: expect.any(Number),
        identified: true,
        speaker: 'Reza',
      },
    ]);
    expect(found[0].similarity).toBeGreaterThanOrEqual(0.65);
    expect(found[0].similarity).toBeLessThanOrEqual(1);
    expect(json(outputItems(result, 'Host found'))).toEqual(found);
  });

  test('continue on fail: FAILURE and TIMEOUT episodes become error items in place, the others are transcribed', async () => {
    const result = await n8n.execute(continueOnFailWorkflow.id);
    const items = outputItems(result, 'Harf');
    expect(items.map((item) => item.pairedItem)).toEqual(FAILING_URLS.map((_, index) => ({ item: index })));
    const [first, failed, timedOut, last] = json(items);
    for (const [item, url] of [
      [first, FAILING_URLS[0]],
      [last, FAILING_URLS[3]],
    ] as const) {
      expect(item.media_url).toBe(url);
      expect(item.text).toMatch(PERSIAN);
      expect(item.error).toBeUndefined();
    }
    expect(failed).toMatchObject({ state: 'FAILURE', error_type: 'TaskFailedError', task_id: expect.any(String) });
    expect(failed.error).toContain('FAILURE');
    expect(failed.description).toContain(failed.task_id);
    expect(timedOut).toMatchObject({ state: 'TIMEOUT', error_type: 'TaskTimedOutError', task_id: expect.any(String) });
    expect(timedOut.description).toMatch(/shorter parts/);
  });

  test('a refused token with continue on fail: each item carries the 401 as an error a user can act on', async () => {
    const result = await n8n.execute(refusedTokenContinueWorkflow.id);
    const items = json(outputItems(result, 'Harf'));
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(item).toMatchObject({ http_code: 401, error_type: 'AuthenticationError', request_id: expect.any(String) });
      expect(FAILING_URLS).toContain(item.media_url);
      expect(item.error).toBe('The Harf token was refused — check the credential');
      expect(item.description).toContain('credential');
    }
  });

  test('a refused token without continue on fail: the execution fails with a NodeApiError naming the credential', async () => {
    const outcome = await n8n.executeAllowingFailure(refusedTokenWorkflow.id);
    // n8n exits with 1 after a failed execution (or, rarely, dies on exit after printing it all).
    if (!crashedOnlyAtExit(outcome)) expect({ code: outcome.code, signal: outcome.signal }).toEqual({ code: 1, signal: null });
    const execution = parseExecutionOutput(outcome.stdout);
    expect(execution.status).toBe('error');
    const [run] = runsOf(execution, 'Harf');
    expect(run.error).toMatchObject({
      name: 'NodeApiError',
      httpCode: '401',
      message: 'The Harf token was refused — check the credential',
    });
    expect(outcome.stdout).toContain('The Harf token was refused — check the credential');
  });

  test('no token or API key appears in anything n8n printed, nor in the stored workflows', () => {
    expect(n8n.transcript.length).toBeGreaterThan(EXAMPLE_FILES.length);
    const printed = n8n.transcript.map((command) => command.stdout + command.stderr).join('\n');
    expect(printed).toContain('"status": "success"');
    for (const secret of [sandbox.token, REFUSED_TOKEN, sandbox.assemblyAiKey]) {
      expect(printed).not.toContain(secret);
    }
    // The decrypted credential file given to import:credentials is gone; the database holds only ciphertext.
    expect(fs.readdirSync(n8n.userFolder).filter((name) => name.startsWith('credentials'))).toEqual([]);
    for (const file of ['database.sqlite', 'database.sqlite-wal']) {
      const stored = path.join(n8n.userFolder, '.n8n', file);
      if (fs.existsSync(stored)) expect(fs.readFileSync(stored).includes(sandbox.token)).toBe(false);
    }
  });
});
