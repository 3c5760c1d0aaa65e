#!/usr/bin/env node
// `npm run bench`: speed and memory of the package's hot paths, against the local sandbox.
// Runs the built code (dist/), built first when missing or stale.
// Each line: what was measured, the figure, and the memory it took (peak RSS above the start).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

require('./build').ensureBuilt();
const dist = path.resolve(__dirname, '..', 'dist');
const lib = require(path.join(dist, 'lib'));
const { startSandbox } = require(path.join(dist, 'sandbox'));
const { wavHeader, writeSparseWav } = require('./bench-wav');

const UPLOAD_MIB = Number(process.env.BENCH_UPLOAD_MIB || 1024);

function tone(rate, channels, seconds) {
  const frames = Math.round(rate * seconds);
  const data = Buffer.alloc(frames * channels * 2);
  for (let i = 0; i < frames; i++) {
    const value = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate));
    for (let c = 0; c < channels; c++) data.writeInt16LE(value, (i * channels + c) * 2);
  }
  return Buffer.concat([wavHeader(rate, channels, 16, data.length), data]);
}

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
function report(name, figure, { ms, extraMiB }) {
  rows.push({ name, figure, ms, extraMiB });
  console.log(`${name.padEnd(60)} ${figure.padEnd(26)} ${(ms / 1000).toFixed(2).padStart(7)} s  +${extraMiB.toFixed(1).padStart(6)} MiB RSS`);
}

const FIXTURES = path.resolve(__dirname, '..', 'test', 'fixtures', 'audio');
const { execFileSync, spawnSync } = require('node:child_process');

/** Whether a command-line tool is installed (the comparison is skipped, with a note, when it is not). */
function hasTool(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Decodes through the package's stream converter in 64 KiB pieces, keeping nothing: bytes out. */
async function decodeAll(bytes) {
  const converter = new lib.AudioStreamConverter();
  let out = 0;
  for (let offset = 0; offset < bytes.length; offset += 65536) out += (await converter.push(bytes.subarray(offset, offset + 65536))).length;
  return out + (await converter.end()).length;
}

// One minute of each codec, encoded here with its own tool from the fixture's speech; then decoded by the
// package and by the codec's decoder (one run each). The tool's time includes starting its process.
const CODECS = [
  { name: 'OGG/Opus', fixture: 'voice-note.ogg', encode: ['opusenc', (i, o) => ['--quiet', '--bitrate', '24', i, o]], decode: ['opusdec', (i, o) => ['--quiet', i, o]] },
  { name: 'MP3', fixture: 'speech.mp3', encode: ['lame', (i, o) => ['--quiet', '-b', '48', i, o]], decode: ['lame', (i, o) => ['--quiet', '--decode', i, o]] },
  { name: 'FLAC', fixture: 'speech.flac', encode: ['flac', (i, o) => ['--silent', '--force', '-o', o, i]], decode: ['flac', (i, o) => ['--silent', '--force', '-d', '-o', o, i]] },
  { name: 'OGG/Vorbis', fixture: 'speech-vorbis.ogg', encode: ['oggenc', (i, o) => ['--quiet', '-q', '0', '-o', o, i]], decode: ['oggdec', (i, o) => ['--quiet', '-o', o, i]] },
];

/** The fixture's speech, decoded, repeated to `seconds`, as a 16 kHz mono WAV for an encoder. */
async function speechWav(seconds) {
  const one = await lib.decodeToPcm16(fs.readFileSync(path.join(FIXTURES, 'voice-note.ogg')), 16000);
  const copies = Math.ceil(seconds / one.durationSeconds);
  const pcm = Buffer.concat(Array.from({ length: copies }, () => one.pcm)).subarray(0, seconds * 16000 * 2);
  return Buffer.concat([wavHeader(16000, 1, 16, pcm.length), pcm]);
}

// Each case runs in a fresh process, so one case's freed memory never hides another's use.
const cases = {
  // Decode speed against the codecs' own command-line decoders.
  async decode() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harf-bench-'));
    try {
      const wav = path.join(dir, 'speech.wav');
      fs.writeFileSync(wav, await speechWav(60));
      for (const codec of CODECS) {
        const [encoder, encodeArgs] = codec.encode;
        const [decoder, decodeArgs] = codec.decode;
        if (!hasTool(encoder) || !hasTool(decoder)) {
          console.log(`decode 1 min ${codec.name}: skipped (${hasTool(encoder) ? decoder : encoder} is not installed; apt-get install opus-tools lame flac vorbis-tools)`);
          continue;
        }
        const encoded = path.join(dir, `speech.${codec.fixture.split('.').pop()}`);
        execFileSync(encoder, encodeArgs(wav, encoded));
        const bytes = fs.readFileSync(encoded);
        const ours = await measure(() => decodeAll(bytes));
        const tool = await measure(() => execFileSync(decoder, decodeArgs(encoded, path.join(dir, 'out.wav'))));
        report(`decode 1 min ${codec.name} (vs ${decoder} ${(tool.ms / 1000).toFixed(2)} s)`, `${(60 / (ours.ms / 1000)).toFixed(0)}x real time, ${(ours.ms / tool.ms).toFixed(1)}x ${decoder}'s time`, ours);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
  // Peak memory decoding a 1-hour file as a live stream does: bounded by the window, not the file.
  async decodeHour() {
    // MP3 frames follow one another, so the fixture repeated is a valid 1-hour MP3 (about 21 MB).
    const one = fs.readFileSync(path.join(FIXTURES, 'speech.mp3'));
    const hour = Buffer.concat(Array.from({ length: Math.ceil(3600 / 3.056) }, () => one));
    const decoded = await measure(() => decodeAll(hour));
    report(`decode 1 h MP3 (${(hour.length / 1024 / 1024).toFixed(0)} MiB) in 64 KiB pieces`, `${(3600 / (decoded.ms / 1000)).toFixed(0)}x real time`, decoded);
  },

  // Streamed upload of a large file: memory must stay flat whatever the size.
  async upload(client) {
    const file = writeSparseWav(path.join(os.tmpdir(), `harf-bench-${process.pid}.wav`), 44 + UPLOAD_MIB * 1024 * 1024);
    try {
      const upload = await measure(() => client.uploadFile(file));
      report(`upload ${UPLOAD_MIB} MiB WAV from a path`, `${(UPLOAD_MIB / (upload.ms / 1000)).toFixed(0)} MiB/s`, upload);
    } finally {
      fs.rmSync(file);
    }
  },
  // Whole-file conversion, 10 minutes of 44.1 kHz stereo (106 MB) to 16 kHz mono (19 MB).
  async convert() {
    const cd = tone(44100, 2, 600);
    const convert = await measure(() => lib.toHarfWav(cd));
    report('convert 10 min 44.1 kHz stereo -> 16 kHz mono', `${(600 / (convert.ms / 1000)).toFixed(0)}x real time`, convert);
  },
  // The same, chunk by chunk, as live input arrives.
  async convertChunks() {
    const cd = tone(44100, 2, 600);
    const incremental = await measure(() => {
      const converter = new lib.WavStreamConverter();
      let bytes = 0;
      for (let offset = 0; offset < cd.length; offset += 4096) bytes += converter.push(cd.subarray(offset, offset + 4096)).length;
      return bytes + converter.end().length;
    });
    report('convert the same in 4 KiB chunks', `${(600 / (incremental.ms / 1000)).toFixed(0)}x real time`, incremental);
  },
  // Live session over the websocket, as fast as the sandbox answers.
  async live(_client, sandbox) {
    const speech = tone(16000, 1, 300);
    const live = await measure(() => lib.transcribeLive(speech, { token: sandbox.token, baseUrl: sandbox.url }));
    report('live stream 5 min of 16 kHz audio', `${(live.value.frames / (live.ms / 1000)).toFixed(0)} frames/s`, live);
  },
  // One write of 64 MB to a live session: linear in its size (it was quadratic: 86 s).
  async liveWrite64(_client, sandbox) {
    const audio = Buffer.alloc(64 * 1024 * 1024);
    wavHeader(16000, 1, 16, audio.length - 44).copy(audio, 0);
    const session = await lib.LiveSession.open({ token: sandbox.token, baseUrl: sandbox.url, maxFramesInFlight: 64 });
    const write = await measure(() => session.write(audio));
    report('live: one write of 64 MB', `${(64 / (write.ms / 1000)).toFixed(0)} MB/s`, write);
    await session.finalize();
  },
  // A 100-byte WAV whose header claims 787,288,968 Hz and 2 GB of data, on every path that reads audio;
  // then the same lie about the size at 1 kHz (an accepted rate): work bounded by the 56 bytes present.
  async hostileFile(_client, sandbox) {
    const hostile = (rate) => {
      const file = Buffer.alloc(100);
      wavHeader(rate, 1, 16, 0x7fffffc0).copy(file, 0);
      file.writeUInt32LE((rate * 2) >>> 0, 28);
      return file;
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
      toHarfWav: (file) => lib.toHarfWav(file),
      'toPcm16Mono 8 kHz (AssemblyAI)': (file) => lib.toPcm16Mono(file, 8000),
      'WavStreamConverter.push (live)': (file) => {
        const converter = new lib.WavStreamConverter();
        return Buffer.concat([converter.push(file), converter.end()]);
      },
      'transcribeLive (live, both runtimes)': async (file) => (await lib.transcribeLive(file, { token: sandbox.token, baseUrl: sandbox.url })).bytes,
    };
    for (const rate of [787_288_968, 1000]) {
      for (const [name, run] of Object.entries(paths)) {
        let figure = '';
        const timed = await measure(async () => (figure = await attempt(() => run(hostile(rate)))));
        report(`100-byte WAV claiming ${rate} Hz: ${name}`, `${figure}, ${timed.ms.toFixed(1)} ms`, timed);
      }
    }
  },
  // Waiting for many tasks at once, bounded concurrency.
  async poll(client) {
    const urls = Array.from({ length: 200 }, (_, i) => `https://media.example/episode-${i}.mp3?duration=60`);
    const tasks = await client.submitUrls(urls);
    let answers = 0;
    const wait = await measure(() =>
      client.waitForTasks(
        tasks.map((t) => t.task_id),
        { intervalMs: 100, concurrency: 8, onProgress: () => answers++ },
      ),
    );
    report('wait for 200 tasks, 8 requests at once', `${answers} status answers`, wait);
  },
  // Enrichment, shaping and subtitles of a long result (2 hours, ~1440 segments).
  async shape(client) {
    const [long] = await client.transcribeUrls(['https://media.example/long.mp3?duration=7200']);
    const shape = await measure(() => {
      let entries = 0;
      for (let i = 0; i < 50; i++) {
        const file = lib.enrichFileResult(long);
        const { transcript, review } = lib.shapeOutput([file], { output: 'segment', splitUncertain: true });
        entries += transcript.length + review.length + lib.toSrt(file.segments).length;
      }
      return entries;
    });
    report(`enrich + shape + SRT, 2 h file x50 (${long.segments.length} segments)`, `${(50 / (shape.ms / 1000)).toFixed(0)} files/s`, shape);
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

const runtimes = require('./bench-runtimes');
const RUNTIME_CASES = new Set(['n8nUpload', 'nodeRedUpload', 'nodeRedLiveStreams']);
function reportRuntime(lines) {
  for (const { name, figure, ms, extraMiB, detail } of [lines].flat()) {
    report(name, figure, { ms, extraMiB });
    console.log(`${''.padEnd(60)} ${detail}`);
  }
}

async function runCase(name) {
  const sandbox = await startSandbox({ taskDelayMs: 200, processingDelayMs: 0 });
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
  // BENCH_RUNTIMES=0 leaves out the cases that need n8n and Node-RED (installed on first use).
  const names = Object.keys(cases).filter((name) => process.env.BENCH_RUNTIMES !== '0' || !RUNTIME_CASES.has(name));
  for (const name of names) {
    // One case failing (a runtime that cannot be installed, say) does not lose the others' figures.
    const result = spawnSync(process.execPath, ['--expose-gc', __filename, '--case', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
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
