#!/usr/bin/env node
// `npm run bench`: speed and memory of the package's hot paths, each beside an anchor measured in the
// same run (curl, a bare websocket loop, sox, the codecs' own tools, the ideal time…), so a figure
// reads the same from one machine to the next. Runs the built code (dist/), built first when missing
// or stale. Timed pairs: one warm-up of each, then RUNS runs alternating which goes first; the
// median and the spread (fastest-slowest) are shown. Memory is the peak RSS above the start.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { execFile, execFileSync, spawnSync } = require('node:child_process');

require('./build').ensureBuilt();
const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const lib = require(path.join(dist, 'lib'));
const { startSandbox } = require(path.join(dist, 'sandbox'));
const { wavHeader, writeSparseWav, tone, quality } = require('./bench-wav');

const UPLOAD_MIB = Number(process.env.BENCH_UPLOAD_MIB || 1024);
const RUNS = Math.max(5, Number(process.env.BENCH_RUNS || 5));
// The sandbox's time for a task, and the polling interval: the ideal wait is one of each.
const TASK_DELAY_MS = 200;
const POLL_INTERVAL_MS = 100;
const FIXTURES = path.join(root, 'test', 'fixtures', 'audio');

async function measure(fn) {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = performance.now();
  const value = await fn();
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { value, ms, extraMiB: (peak - baseline) / 1024 / 1024 };
}

const rows = [];
function report(name, figure, { ms, extraMiB }, detail) {
  rows.push({ name, figure, ms, extraMiB, detail });
  const memory = extraMiB === undefined ? '' : `  +${extraMiB.toFixed(1).padStart(6)} MiB RSS`;
  console.log(`${name.padEnd(60)} ${figure.padEnd(34)} ${(ms / 1000).toFixed(2).padStart(7)} s${memory}`);
  if (detail) console.log(`${''.padEnd(60)} ${detail}`);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (ms) => (ms < 100 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`);
const spread = (values) => `${seconds(Math.min(...values))}-${seconds(Math.max(...values))}`;

/**
 * Times `ours` against `anchor` (each returning or resolving when done): one warm-up of
 * each, then RUNS of each, the order of the pair alternating. Reports ours as a ratio of the anchor's time.
 */
async function pair(name, anchorName, ours, anchor, { goal, memory, memoryGoal, note, runs = RUNS } = {}) {
  const time = async (fn) => {
    const started = performance.now();
    await fn();
    return performance.now() - started;
  };
  await time(ours);
  await time(anchor);
  const times = { ours: [], anchor: [] };
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? ['ours', 'anchor'] : ['anchor', 'ours'];
    for (const who of order) times[who].push(await time(who === 'ours' ? ours : anchor));
  }
  const [ourMs, anchorMs] = [median(times.ours), median(times.anchor)];
  const ratio = anchorMs / ourMs;
  const verdict =
    (goal === undefined ? '' : ` (goal >= ${goal}x: ${ratio >= goal ? 'met' : 'NOT met'})`) +
    (memoryGoal === undefined ? '' : ` (memory goal <= ${memoryGoal} MiB: ${memory <= memoryGoal ? 'met' : 'NOT met'})`);
  const detail =
    `median of ${runs}: ${seconds(ourMs)} (${spread(times.ours)}) vs ${anchorName} ${seconds(anchorMs)} (${spread(times.anchor)})` +
    `${note ? `; ${note}` : ''}`;
  report(name, `${ratio.toFixed(2)}x ${anchorName}'s speed${verdict}`, { ms: ourMs, extraMiB: memory }, detail);
  return { ourMs, anchorMs, ratio };
}

/** Whether a command-line tool is installed (the comparison is skipped, with a note, when it is not). */
function hasTool(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Installs Debian `packages` the way the test runtimes are when a `tools` is missing; false (with a note) when that fails. */
function ensureTools(name, packages, tools) {
  const present = () => tools.every(hasTool);
  if (present()) return true;
  try {
    require('./runtimes/apt').aptInstallOnce(name, packages, present);
    return true;
  } catch (error) {
    console.log(`${packages.join(' ')} could not be installed (${error.message.split('\n')[0]}): the cases that need them are skipped`);
    return false;
  }
}

/** sox, the conversion anchor. */
const ensureSox = () => ensureTools('sox', ['sox'], ['sox']);

/** Runs a command; resolves to its wall time and, where GNU time is installed, its peak RSS in MiB. */
function runTimed(command, args) {
  const gnuTime = fs.existsSync('/usr/bin/time');
  const [file, argv] = gnuTime ? ['/usr/bin/time', ['-f', '%M', command, ...args]] : [command, args];
  const started = performance.now();
  return new Promise((resolve, reject) =>
    execFile(file, argv, { maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) return reject(new Error(`${command} failed: ${stderr || error.message}`));
      const kib = gnuTime ? Number(stderr.trim().split('\n').pop()) : NaN;
      resolve({ ms: performance.now() - started, peakMiB: kib / 1024 });
    }),
  );
}

const soxConvert = (input, output) => runTimed('sox', [input, '-r', '16000', '-c', '1', output]);

/** Decodes through the package's stream converter in 64 KiB pieces, keeping nothing: bytes out. */
async function decodeAll(bytes) {
  const converter = new lib.AudioStreamConverter();
  let out = 0;
  for (let offset = 0; offset < bytes.length; offset += 65536) out += (await converter.push(bytes.subarray(offset, offset + 65536))).length;
  return out + (await converter.end()).length;
}

// One minute of each codec, encoded here with its own tool from the fixture's speech; then decoded by the
// package and by the codec's decoder. The tool's time includes starting its process.
const CODECS = [
  {
    name: 'OGG/Opus',
    fixture: 'voice-note.ogg',
    encode: ['opusenc', (i, o) => ['--quiet', '--bitrate', '24', i, o]],
    decode: ['opusdec', (i, o) => ['--quiet', i, o]],
  },
  {
    name: 'MP3',
    fixture: 'speech.mp3',
    encode: ['lame', (i, o) => ['--quiet', '-b', '48', i, o]],
    decode: ['lame', (i, o) => ['--quiet', '--decode', i, o]],
  },
  {
    name: 'FLAC',
    fixture: 'speech.flac',
    encode: ['flac', (i, o) => ['--silent', '--force', '-o', o, i]],
    decode: ['flac', (i, o) => ['--silent', '--force', '-d', '-o', o, i]],
  },
  {
    name: 'OGG/Vorbis',
    fixture: 'speech-vorbis.ogg',
    encode: ['oggenc', (i, o) => ['--quiet', '-q', '0', '-o', o, i]],
    decode: ['oggdec', (i, o) => ['--quiet', '-o', o, i]],
  },
];

/** The fixture's speech, decoded, repeated to `seconds`, as a 16 kHz mono WAV for an encoder. */
async function speechWav(seconds) {
  const one = await lib.decodeToPcm16(fs.readFileSync(path.join(FIXTURES, 'voice-note.ogg')), 16000);
  const copies = Math.ceil(seconds / one.durationSeconds);
  const pcm = Buffer.concat(Array.from({ length: copies }, () => one.pcm)).subarray(0, seconds * 16000 * 2);
  return Buffer.concat([wavHeader(16000, 1, 16, pcm.length), pcm]);
}

/** A scratch folder for `fn`, removed afterwards. */
async function inTempDir(fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harf-bench-'));
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The modules a job loads at start-up, each timed alone in fresh processes. */
function loadTargets() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return [
    { name: 'the library (dist/lib)', file: path.join(dist, 'lib', 'index.js') },
    ...pkg.n8n.nodes.map((file) => ({
      name: `n8n node ${path.basename(file)}`,
      file: path.join(root, file),
      host: 'n8n-workflow',
      startUp: START_UP.n8n,
    })),
    ...Object.entries(pkg['node-red'].nodes).map(([type, file]) => ({
      name: `Node-RED node ${type}`,
      file: path.join(root, file),
      startUp: START_UP.nodeRed,
    })),
  ];
}

// What the runtime does with a loaded file at start-up: n8n makes each node class once; Node-RED calls
// the registering function, given here a stand-in that takes any call.
const START_UP = {
  n8n: 'for (const made of Object.values(loaded)) if (typeof made === "function") new made();',
  nodeRed: 'const anything = new Proxy(function () {}, { get: () => anything, apply: () => anything }); loaded(anything);',
};

/** One cold start of `file` in a fresh process (after `host`, which the runtime has loaded already): ms. */
function coldRequire(file, host, startUp = '') {
  const script =
    `${host ? `require(${JSON.stringify(host)});` : ''}const { performance } = require('node:perf_hooks');` +
    `const started = performance.now(); const loaded = require(${JSON.stringify(file)}); ${startUp}` +
    'process.stdout.write(String(performance.now() - started));';
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: root }));
}

/** The sandbox's live socket driven by hand: each frame sent once the answer to the one before has come. */
async function bareLiveLoop(sandbox, audio) {
  const WebSocket = require('ws');
  const ws = new WebSocket(lib.liveUrl(sandbox.url), { headers: { Authorization: `Token ${sandbox.token}` }, perMessageDeflate: false });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let answered;
  ws.on('message', () => answered?.());
  const closed = new Promise((resolve) => ws.once('close', resolve));
  for (let offset = 0; offset < audio.length; offset += lib.FRAME_BYTES) {
    const answer = new Promise((resolve) => (answered = resolve));
    ws.send(audio.subarray(offset, offset + lib.FRAME_BYTES), { binary: true });
    await answer;
  }
  ws.send('finalize');
  await closed;
}

// Each case runs in a fresh process, so one case's freed memory never hides another's use.
const cases = {
  // Cold start: what n8n and Node-RED pay for loading the package at start-up, whether a flow uses it or not.
  async coldRequire() {
    for (const { name, file, host, startUp } of loadTargets()) {
      coldRequire(file, host, startUp); // a warm-up: the disk cache
      const times = [];
      for (let run = 0; run < RUNS; run++) times.push(coldRequire(file, host, startUp));
      const ms = median(times);
      const after = host ? `, after ${host} (loaded by the runtime)` : '';
      report(
        `cold require: ${name}`,
        `${ms.toFixed(1)} ms (goal <= 30 ms: ${ms <= 30 ? 'met' : 'NOT met'})`,
        { ms },
        `median of ${RUNS} fresh processes (${spread(times)}): the require${startUp ? " and the runtime's start-up call" : ''}${after}`,
      );
    }
  },
  // Decode speed against the codecs' own command-line decoders.
  async decode() {
    ensureTools('codec-tools', ['opus-tools', 'lame', 'flac', 'vorbis-tools'], ['opusenc', 'opusdec', 'lame', 'flac', 'oggenc', 'oggdec']);
    await inTempDir(async (dir) => {
      const wav = path.join(dir, 'speech.wav');
      fs.writeFileSync(wav, await speechWav(60));
      for (const codec of CODECS) {
        const [encoder, encodeArgs] = codec.encode;
        const [decoder, decodeArgs] = codec.decode;
        if (!hasTool(encoder) || !hasTool(decoder)) {
          console.log(
            `decode 1 min ${codec.name}: skipped (${hasTool(encoder) ? decoder : encoder} is not installed; ` +
              'apt-get install opus-tools lame flac vorbis-tools)',
          );
          continue;
        }
        const encoded = path.join(dir, `speech.${codec.fixture.split('.').pop()}`);
        execFileSync(encoder, encodeArgs(wav, encoded));
        const bytes = fs.readFileSync(encoded);
        const { extraMiB } = await measure(() => decodeAll(bytes));
        await pair(
          `decode 1 min ${codec.name}`,
          decoder,
          () => decodeAll(bytes),
          () => runTimed(decoder, decodeArgs(encoded, path.join(dir, 'out.wav'))),
          { memory: extraMiB },
        );
      }
    });
  },
  // Peak memory decoding a 1-hour file as a live stream does: bounded by the window, not the file.
  async decodeHour() {
    if (!ensureTools('codec-tools', ['opus-tools', 'lame', 'flac', 'vorbis-tools'], ['lame']))
      return console.log('decode 1 h MP3: skipped (lame is not installed)');
    await inTempDir(async (dir) => {
      // MP3 frames follow one another, so the fixture repeated is a valid 1-hour MP3 (about 21 MB).
      const one = fs.readFileSync(path.join(FIXTURES, 'speech.mp3'));
      const hour = Buffer.concat(Array.from({ length: Math.ceil(3600 / 3.056) }, () => one));
      fs.writeFileSync(path.join(dir, 'hour.mp3'), hour);
      const decoded = await measure(() => decodeAll(hour));
      const lame = await runTimed('lame', ['--quiet', '--decode', path.join(dir, 'hour.mp3'), path.join(dir, 'hour.wav')]);
      // A memory case (speed is the 1-minute pair's): the peak beside lame's, the times of this one run each for scale.
      const figure = `+${decoded.extraMiB.toFixed(1)} MiB RSS vs lame's peak ${lame.peakMiB.toFixed(1)} MiB`;
      const detail = `bounded by the window, not the hour; one run each: ${seconds(decoded.ms)} vs lame ${seconds(lame.ms)}`;
      report(`decode 1 h MP3 (${(hour.length / 1024 / 1024).toFixed(0)} MiB) in 64 KiB pieces: memory`, figure, decoded, detail);
    });
  },
  // Streamed upload of a large file: the library in this process against curl, the same file the same way.
  async upload(client, sandbox) {
    if (!hasTool('curl')) return console.log('upload: skipped (curl is not installed)');
    const { curlUpload } = require('./bench-runtimes');
    const file = writeSparseWav(path.join(os.tmpdir(), `harf-bench-${process.pid}.wav`), 44 + UPLOAD_MIB * 1024 * 1024);
    try {
      const { extraMiB } = await measure(() => client.uploadFile(file));
      const curl = () => curlUpload(sandbox, file);
      await pair(`upload ${UPLOAD_MIB} MiB WAV from a path`, 'curl', () => client.uploadFile(file), curl, {
        memory: extraMiB,
        goal: 0.9,
        memoryGoal: 64,
      });
    } finally {
      fs.rmSync(file);
    }
  },
  // A one-off job converting a 10-minute file (44.1 kHz stereo, 106 MB, to 16 kHz mono): a whole node process
  // against a whole sox process, and the peak memory of each (from a path, and from a stream).
  async convertProcess() {
    if (!ensureSox()) return;
    await inTempDir(async (dir) => {
      const input = path.join(dir, 'in.wav');
      fs.writeFileSync(input, tone(44100, 2, 600));
      const job = (from) => ['-e', `require(${JSON.stringify(path.join(dist, 'lib'))}).convertAudioFile(${from}, process.argv[2])`];
      const fromPath = () => runTimed(process.execPath, [...job('process.argv[1]'), input, path.join(dir, 'ours.wav')]);
      const fromStream = await runTimed(process.execPath, [
        ...job("require('fs').createReadStream(process.argv[1])"),
        input,
        path.join(dir, 'ours.wav'),
      ]);
      const [ours, sox] = [await fromPath(), await soxConvert(input, path.join(dir, 'sox.wav'))];
      const mib = (run) => `${run.peakMiB.toFixed(0)} MiB`;
      const note = `peak RSS from a path ${mib(ours)}, from a stream ${mib(fromStream)}, sox ${mib(sox)}`;
      const soxRun = () => soxConvert(input, path.join(dir, 'sox.wav'));
      await pair('convert 10 min 44.1 kHz stereo -> 16 kHz mono, a whole process', 'sox', fromPath, soxRun, { goal: 0.9, note });
    });
  },
  // The same conversion in a warm process, as a flow pays it: the whole file in memory, and in 4 KiB chunks as live input arrives.
  async convertWarm() {
    if (!ensureSox()) return;
    await inTempDir(async (dir) => {
      const cd = tone(44100, 2, 600);
      const input = path.join(dir, 'in.wav');
      fs.writeFileSync(input, cd);
      const soxRun = () => soxConvert(input, path.join(dir, 'sox.wav'));
      const whole = await measure(() => lib.toHarfWav(cd));
      await pair('convert the same in a warm process (toHarfWav)', 'sox', () => lib.toHarfWav(cd), soxRun, {
        goal: 0.5,
        memory: whole.extraMiB,
      });
      const chunks = () => {
        const converter = new lib.WavStreamConverter();
        let bytes = 0;
        for (let offset = 0; offset < cd.length; offset += 4096) bytes += converter.push(cd.subarray(offset, offset + 4096)).length;
        return bytes + converter.end().length;
      };
      const chunked = await measure(chunks);
      await pair('convert the same in 4 KiB chunks (WavStreamConverter)', 'sox', chunks, soxRun, { goal: 0.5, memory: chunked.extraMiB });
      const viaSox = (wav) => {
        fs.writeFileSync(path.join(dir, 'q.wav'), wav);
        execFileSync('sox', [path.join(dir, 'q.wav'), '-r', '16000', '-c', '1', path.join(dir, 'q16.wav')]);
        return fs.readFileSync(path.join(dir, 'q16.wav'));
      };
      reportQuality(
        quality((wav) => lib.toHarfWav(wav)),
        quality(viaSox),
      );
    });
  },
  // Live session over the websocket, against a bare `ws` loop that waits for each answer (the sandbox answers every frame).
  async live(_client, sandbox) {
    const speech = tone(16000, 1, 300);
    const { extraMiB } = await measure(() => lib.transcribeLive(speech, { token: sandbox.token, baseUrl: sandbox.url }));
    const ours = () => lib.transcribeLive(speech, { token: sandbox.token, baseUrl: sandbox.url });
    // A run takes about 50 ms, where the machine's noise is a large share: more runs steady the median.
    await pair('live stream 5 min of 16 kHz audio', 'a bare ws loop', ours, () => bareLiveLoop(sandbox, speech), {
      memory: extraMiB,
      goal: 1,
      runs: 4 * RUNS,
    });
  },
  // One write of 64 MB to a live session: linear in its size (it was quadratic: 86 s).
  async liveWrite64(_client, sandbox) {
    const audio = Buffer.alloc(64 * 1024 * 1024);
    wavHeader(16000, 1, 16, audio.length - 44).copy(audio, 0);
    const ours = async () => {
      const session = await lib.LiveSession.open({ token: sandbox.token, baseUrl: sandbox.url, maxFramesInFlight: 64 });
      await session.write(audio);
      await session.finalize();
    };
    await pair('live: one write of 64 MB, then finalize', 'a bare ws loop', ours, () => bareLiveLoop(sandbox, audio));
  },
  async hostileFile(_client, sandbox) {
    await hostileFiles(sandbox);
  },
  // Waiting for many tasks at once, bounded concurrency, against the ideal: each task seen done one
  // interval after the sandbox finishes it (200 ms), with the goal allowing one interval more.
  async poll(client) {
    const urls = Array.from({ length: 200 }, (_, i) => `https://media.example/episode-${i}.mp3?duration=60`);
    const waitOnce = async () => {
      const tasks = await client.submitUrls(urls);
      return await measure(() =>
        client.waitForTasks(
          tasks.map((t) => t.task_id),
          { intervalMs: POLL_INTERVAL_MS, concurrency: 8 },
        ),
      );
    };
    await waitOnce(); // a warm-up
    const runs = [];
    for (let run = 0; run < RUNS; run++) runs.push(await waitOnce());
    const times = runs.map((run) => run.ms);
    const ms = median(times);
    const checks = median(runs.map((run) => run.value.reduce((sum, outcome) => sum + outcome.checks, 0)));
    const idealMs = TASK_DELAY_MS + POLL_INTERVAL_MS;
    const figure = `${seconds(ms)} (ideal ${seconds(idealMs)}; goal within one interval: ${ms <= idealMs + POLL_INTERVAL_MS ? 'met' : 'NOT met'})`;
    const detail =
      `median of ${RUNS} (${spread(times)}); ${checks} status checks (at most 3 a task: at 0, 100 and 250 ms); ` +
      'the sandbox in this process';
    report('wait for 200 tasks, 8 requests at once', figure, { ms, extraMiB: Math.max(...runs.map((run) => run.extraMiB)) }, detail);
  },
  // Enrichment, shaping and subtitles of a long result (2 hours, ~1440 segments), against a JSON round trip of it.
  async shape(client) {
    const [long] = await client.transcribeUrls(['https://media.example/long.mp3?duration=7200']);
    const ours = () => {
      const file = lib.enrichFileResult(long);
      const { transcript, review } = lib.shapeOutput([file], { output: 'segment', splitUncertain: true });
      return transcript.length + review.length + lib.toSrt(file.segments).length;
    };
    const roundTrip = () => JSON.parse(JSON.stringify(long));
    await pair(`enrich + shape + SRT of a 2 h result (${long.segments.length} segments)`, 'a JSON round trip', ours, roundTrip);
  },
  // The AssemblyAI Sync API: a voice note's time to transcript through this package's client (decoded as it
  // is sent) beside AssemblyAI's own SDK sending the same audio already decoded to WAV, to the same sandbox.
  async assemblyAiSync(_client, sandbox) {
    if (!ensureTools('codec-tools', ['opus-tools', 'lame', 'flac', 'vorbis-tools'], ['opusenc']))
      return console.log('AssemblyAI Sync: skipped (opusenc is not installed)');
    const { AssemblyAI } = require('assemblyai');
    const ours = new lib.AssemblyAiClient({ apiKey: sandbox.assemblyAiKey, syncBaseUrl: sandbox.url });
    const sdk = new AssemblyAI({ apiKey: sandbox.assemblyAiKey, syncBaseUrl: sandbox.url });
    await inTempDir(async (dir) => {
      const note = async (seconds) => {
        const wav = path.join(dir, `note-${seconds}.wav`);
        const ogg = path.join(dir, `note-${seconds}.ogg`);
        fs.writeFileSync(wav, await speechWav(seconds));
        execFileSync('opusenc', ['--quiet', '--bitrate', '24', wav, ogg]);
        return fs.readFileSync(ogg);
      };
      const ogg = await note(60);
      const decoded = await lib.decodeToPcm16(ogg, 16000);
      const wav = Buffer.concat([wavHeader(16000, 1, 16, decoded.pcm.length), decoded.pcm]);
      const { extraMiB } = await measure(() => ours.transcribeShortAudio(ogg));
      // What the client's time should come to: the decoding alone, the upload overlapping it.
      const decodeTimes = [];
      for (let run = 0; run < 3; run++) decodeTimes.push((await measure(() => lib.decodeToPcm16(ogg, 16000))).ms);
      const decodeMs = median(decodeTimes);
      await pair(
        'AssemblyAI Sync: 60 s OGG/Opus voice note to transcript',
        'the official SDK sending it decoded',
        () => ours.transcribeShortAudio(ogg),
        () => sdk.sync.transcribe(wav, { timestamps: true }),
        { memory: extraMiB, note: `ours decodes the note as it sends it (decoding alone: ${seconds(decodeMs)}); the SDK is given the WAV` },
      );
      // Like for like: both given the same decoded WAV.
      await pair(
        'AssemblyAI Sync: the same note as a WAV, to transcript',
        'the official SDK',
        () => ours.transcribeShortAudio(wav),
        () => sdk.sync.transcribe(wav, { timestamps: true }),
      );
      const long = await note(120);
      global.gc?.();
      const peak = await measure(() => ours.transcribeShortAudio(long));
      report(
        'AssemblyAI Sync: peak memory of a 120 s voice note',
        `+${peak.extraMiB.toFixed(1)} MiB RSS`,
        peak,
        `${long.length} bytes of OGG/Opus`,
      );
    });
    ours.close();
  },
  // Inside the real runtimes (scripts/bench-runtimes.js): the same 1 GiB file through n8n's and
  // Node-RED's upload nodes against curl, and 50 live streams at once in one Node-RED.
  async n8nUpload(_client, sandbox) {
    if (!hasTool('curl')) return console.log('n8n upload: skipped (curl is not installed)');
    reportRuntime(await runtimes.n8nUpload(sandbox, UPLOAD_MIB * 1024 * 1024));
  },
  async nodeRedUpload(_client, sandbox) {
    if (!hasTool('curl')) return console.log('Node-RED upload: skipped (curl is not installed)');
    reportRuntime(await runtimes.nodeRedUpload(sandbox, UPLOAD_MIB * 1024 * 1024));
  },
  async nodeRedLiveStreams(_client, sandbox) {
    reportRuntime(await runtimes.nodeRedLiveStreams(sandbox));
  },
};

/** The conversion's quality beside sox's, on the same tones. */
function reportQuality(ours, sox) {
  const met = ours.snrDb >= sox.snrDb && ours.aliasDb <= sox.aliasDb;
  const db = (value) => value.toFixed(1);
  const figure = `SNR ${db(ours.snrDb)} vs ${db(sox.snrDb)} dB, 9 kHz ${db(ours.aliasDb)} vs ${db(sox.aliasDb)} dB`;
  const detail =
    `44.1 kHz stereo -> 16 kHz mono, ours vs sox (goal: at least sox's: ${met ? 'met' : 'NOT met'}); SNR of a 1 kHz tone; ` +
    'all that comes out of a 9 kHz tone (16 kHz cannot hold it), ' +
    `of which the 7 kHz alias ${db(ours.foldedToneDb)} vs ${db(sox.foldedToneDb)} dB`;
  report('conversion quality (10 s tones at half of full scale)', figure, { ms: 0 }, detail);
}

/**
 * A 100-byte WAV whose header claims 787,288,968 Hz and 2 GB of data, on every path that reads audio;
 * then the same lie about the size at 1 kHz (an accepted rate): work bounded by the 56 bytes present.
 * The anchor: the same path given an honest 100-byte WAV.
 */
async function hostileFiles(sandbox) {
  const file = (rate, claimed) => {
    const bytes = Buffer.alloc(100);
    wavHeader(rate, 1, 16, claimed).copy(bytes, 0);
    bytes.writeUInt32LE((rate * 2) >>> 0, 28);
    return bytes;
  };
  const attempt = async (fn) => {
    try {
      const out = await fn();
      return `${typeof out === 'number' ? out : (out.pcm ?? out).length} bytes out`;
    } catch (error) {
      return `refused (${error.name})`;
    }
  };
  const paths = {
    toHarfWav: (bytes) => lib.toHarfWav(bytes),
    'toPcm16Mono 8 kHz (AssemblyAI)': (bytes) => lib.toPcm16Mono(bytes, 8000),
    'WavStreamConverter.push (live)': (bytes) => {
      const converter = new lib.WavStreamConverter();
      return Buffer.concat([converter.push(bytes), converter.end()]);
    },
    'transcribeLive (live, both runtimes)': async (bytes) =>
      (await lib.transcribeLive(bytes, { token: sandbox.token, baseUrl: sandbox.url })).bytes,
  };
  for (const rate of [787_288_968, 1000]) {
    for (const [name, run] of Object.entries(paths)) {
      const outcome = await attempt(() => run(file(rate, 0x7fffffc0)));
      const honestRate = Math.min(rate, 48000);
      const ours = () => attempt(() => run(file(rate, 0x7fffffc0)));
      await pair(
        `100-byte WAV claiming ${rate} Hz: ${name}`,
        'an honest 100-byte WAV',
        ours,
        () => attempt(() => run(file(honestRate, 56))),
        { note: outcome },
      );
    }
  }
}

const runtimes = require('./bench-runtimes');
const RUNTIME_CASES = new Set(['n8nUpload', 'nodeRedUpload', 'nodeRedLiveStreams']);
function reportRuntime(lines) {
  for (const { name, figure, ms, extraMiB, detail } of [lines].flat()) report(name, figure, { ms, extraMiB }, detail);
}

async function runCase(name) {
  const sandbox = await startSandbox({ taskDelayMs: TASK_DELAY_MS, processingDelayMs: 0 });
  const client = new lib.HarfClient({ token: sandbox.token, baseUrl: sandbox.url });
  try {
    await cases[name](client, sandbox);
  } finally {
    client.close();
    await sandbox.close();
  }
  process.stdout.write(`${JSON.stringify(rows)}\n`);
}

function main() {
  const only = process.argv.indexOf('--case');
  if (only !== -1) return runCase(process.argv[only + 1]);
  console.log(`n8n-nodes-harf benchmarks on Node ${process.versions.node}, ${os.cpus().length} cores (each case in its own process)\n`);
  const all = [];
  const failed = [];
  // BENCH_RUNTIMES=0 leaves out the cases that need n8n and Node-RED (installed on first use);
  // BENCH_CASES=a,b runs only those.
  const chosen = process.env.BENCH_CASES ? new Set(process.env.BENCH_CASES.split(',')) : undefined;
  const names = Object.keys(cases).filter(
    (name) => (process.env.BENCH_RUNTIMES !== '0' || !RUNTIME_CASES.has(name)) && (!chosen || chosen.has(name)),
  );
  for (const name of names) {
    // One case failing (a runtime that cannot be installed, say) does not lose the others' figures.
    const result = spawnSync(process.execPath, ['--expose-gc', __filename, '--case', name], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const lines = (result.stdout || '').trim().split('\n');
    if (result.status !== 0) {
      failed.push(name);
      console.log(`${lines.join('\n')}\n${name}: failed (exit ${result.status ?? result.signal}); its error is above`);
      continue;
    }
    all.push(...JSON.parse(lines.pop()));
    console.log(lines.join('\n'));
  }
  if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(all, null, 2));
  if (failed.length > 0) {
    console.log(`\n${failed.length} case(s) failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
  return Promise.resolve();
}

Promise.resolve(main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
