#!/usr/bin/env node
// `npm run bench`: speed and memory of the package's hot paths, against the local sandbox.
// Runs the built code (dist/), so run `npm run build` first (npm install does it).
// Each line: what was measured, the figure, and the memory it took (peak RSS above the start).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const dist = path.resolve(__dirname, '..', 'dist');
const lib = require(path.join(dist, 'lib'));
const { startSandbox } = require(path.join(dist, 'sandbox'));

const UPLOAD_MIB = Number(process.env.BENCH_UPLOAD_MIB || 1024);

function wavHeader(rate, channels, bits, dataBytes) {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE((rate * channels * bits) / 8, 28);
  header.writeUInt16LE((channels * bits) / 8, 32);
  header.writeUInt16LE(bits, 34);
  header.write('data', 36);
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

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
  console.log(`${name.padEnd(48)} ${figure.padEnd(26)} ${(ms / 1000).toFixed(2).padStart(7)} s  +${extraMiB.toFixed(1).padStart(6)} MiB RSS`);
}

async function main() {
  console.log(`n8n-nodes-harf benchmarks on Node ${process.versions.node}, ${os.cpus().length} cores\n`);
  const sandbox = await startSandbox({ taskDelayMs: 200, processingDelayMs: 0 });
  const client = new lib.HarfClient({ token: sandbox.token, baseUrl: sandbox.url });
  try {
    // 1. Streamed upload of a large file: memory must stay flat whatever the size.
    const file = path.join(os.tmpdir(), `harf-bench-${process.pid}.wav`);
    const dataBytes = UPLOAD_MIB * 1024 * 1024;
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, wavHeader(16000, 1, 16, Math.min(dataBytes, 0xffffffff - 36)));
    fs.ftruncateSync(fd, 44 + dataBytes);
    fs.closeSync(fd);
    const upload = await measure(() => client.uploadFile(file));
    fs.rmSync(file);
    report(`upload ${UPLOAD_MIB} MiB WAV from a path`, `${(UPLOAD_MIB / (upload.ms / 1000)).toFixed(0)} MiB/s`, upload);

    // 2. Whole-file conversion, 10 minutes of 44.1 kHz stereo to 16 kHz mono.
    const cd = tone(44100, 2, 600);
    const convert = await measure(() => lib.toHarfWav(cd));
    report('convert 10 min 44.1 kHz stereo -> 16 kHz mono', `${(600 / (convert.ms / 1000)).toFixed(0)}x real time`, convert);

    // 3. The same, chunk by chunk, as live input arrives.
    const incremental = await measure(() => {
      const converter = new lib.WavStreamConverter();
      let bytes = 0;
      for (let offset = 0; offset < cd.length; offset += 4096) bytes += converter.push(cd.subarray(offset, offset + 4096)).length;
      return bytes + converter.end().length;
    });
    report('convert the same in 4 KiB chunks', `${(600 / (incremental.ms / 1000)).toFixed(0)}x real time`, incremental);

    // 4. Live session over the websocket, as fast as the sandbox answers.
    const speech = tone(16000, 1, 300);
    const live = await measure(() => lib.transcribeLive(speech, { token: sandbox.token, baseUrl: sandbox.url }));
    report('live stream 5 min of 16 kHz audio', `${(live.value.frames / (live.ms / 1000)).toFixed(0)} frames/s`, live);

    // 5. Waiting for many tasks at once, bounded concurrency.
    const urls = Array.from({ length: 200 }, (_, i) => `https://media.example/episode-${i}.mp3?duration=60`);
    const tasks = await client.submitUrls(urls);
    let requests = 0;
    const wait = await measure(() =>
      client.waitForTasks(
        tasks.map((t) => t.task_id),
        { intervalMs: 100, concurrency: 8, onProgress: () => requests++ },
      ),
    );
    report('wait for 200 tasks, 8 requests at once', `${requests} status answers`, wait);

    // 6. Enrichment and shaping of a long result (2 hours, ~1440 segments).
    const [long] = await client.transcribeUrls(['https://media.example/long.mp3?duration=7200']);
    const shape = await measure(() => {
      let entries = 0;
      for (let i = 0; i < 50; i++) {
        const file = lib.enrichFileResult(long);
        const { transcript, review } = lib.shapeOutput([file], { output: 'segment', splitUncertain: true });
        entries += transcript.length + review.length + (lib.toSrt(file.segments) ? 1 : 0);
      }
      return entries;
    });
    report(`enrich + shape + SRT, 2 h file x50 (${long.segments.length} segments)`, `${(50 / (shape.ms / 1000)).toFixed(0)} files/s`, shape);
  } finally {
    await sandbox.close();
  }
  const file = process.env.BENCH_JSON;
  if (file) fs.writeFileSync(file, JSON.stringify(rows, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
