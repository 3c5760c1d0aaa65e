// The package's cost inside the real runtimes, for `npm run bench`: the packed tarball installed as a
// user installs it into n8n 2.x (regular mode, filesystem binary data) and Node-RED 5, against the
// sandbox in this process. Uploads are timed by the sandbox's own clock (headers to last byte), so
// the node and curl are compared on the same server the same way; memory is the runtime process's RSS
// read from /proc while it works, above what it held just before.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { randomBytes } = require('node:crypto');

const root = path.resolve(__dirname, '..');
const { writeSparseWav } = require('./bench-wav');

const GiB = 1024 * 1024 * 1024;
// Each upload is timed this many times: on a small machine one run alone says little.
const RUNS = 3;

// The n8n support of the test suite is TypeScript; it is loaded here through TypeScript's own
// transpiler rather than kept twice.
function loadTypeScript(file) {
  const ts = require('typescript');
  if (!require.extensions['.ts']) {
    require.extensions['.ts'] = (module, filename) => {
      const source = fs.readFileSync(filename, 'utf8');
      const { outputText } = ts.transpileModule(source, {
        fileName: filename,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      });
      module._compile(outputText, filename);
    };
  }
  return require(file);
}

/** Samples a process's resident memory every 20 ms from /proc; `stop()` gives the peak. */
function watchRss(pid) {
  const read = () => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Number(match[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  };
  const baseline = read();
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, read())), 20);
  return {
    baseline,
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, read());
      return { baseline, peak, growthMiB: (peak - baseline) / 1024 / 1024 };
    },
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const size = (bytes) => (bytes % GiB === 0 ? `${bytes / GiB} GiB` : `${Math.round(bytes / 1024 / 1024)} MiB`);

function hasRoom(dir, bytes) {
  try {
    const stats = fs.statfsSync(dir);
    return stats.bavail * stats.bsize > bytes;
  } catch {
    return false;
  }
}

/** Ctrl-C or a kill while a runtime runs: it is stopped and its folders removed before this process ends. */
function onInterrupt(cleanup) {
  const handler = (signal) => {
    cleanup();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return {
    dispose() {
      process.removeListener('SIGINT', handler);
      process.removeListener('SIGTERM', handler);
    },
  };
}

async function until(condition, what, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
    await sleep(20);
  }
}

/** `runs` uploads one after another, by the sandbox's receive time; their median is the figure. */
async function uploads(runs, upload) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await upload());
  const sorted = [...all].sort((a, b) => a.receivedMs - b.receivedMs);
  return { receivedMs: sorted[Math.floor(runs / 2)].receivedMs, range: [sorted[0].receivedMs, sorted[runs - 1].receivedMs] };
}

/** The upload the sandbox records next, once its whole body has arrived. */
async function nextUpload(sandbox, before, what) {
  await until(() => sandbox.uploads.length > before, what);
  return sandbox.uploads[sandbox.uploads.length - 1];
}

/** curl sending the same file the same way (multipart field `media`): the sandbox's receive time. */
async function curlUpload(sandbox, file) {
  const before = sandbox.uploads.length;
  await new Promise((resolve, reject) => {
    execFile(
      'curl',
      [
        '-sS',
        '-o',
        '/dev/null',
        '-H',
        `Authorization: Token ${sandbox.token}`,
        '-F',
        `media=@${file};type=audio/wav`,
        `${sandbox.url}/api/transcribe_files/`,
      ],
      { maxBuffer: 1024 * 1024 },
      (error) => (error ? reject(error) : resolve()),
    );
  });
  const upload = await nextUpload(sandbox, before, "curl's upload");
  if (upload.bytes !== fs.statSync(file).size) throw new Error(`curl's upload arrived with ${upload.bytes} bytes`);
  return upload;
}

function ratioLine(name, ours, curl, memory, goal) {
  const seconds = (ms) => (ms / 1000).toFixed(2);
  const range = ({ range: [low, high] }) => `${seconds(low)}-${seconds(high)} s`;
  return {
    name,
    figure: `${(ours.receivedMs / curl.receivedMs).toFixed(2)}x curl's time${goal.time ? ` (goal <= ${goal.time}x)` : ''}`,
    ms: ours.receivedMs,
    extraMiB: memory.growthMiB,
    detail:
      `median of ${RUNS}: ${seconds(ours.receivedMs)} s (${range(ours)}) vs curl ${seconds(curl.receivedMs)} s (${range(curl)}); ` +
      `RSS +${memory.growthMiB.toFixed(1)} MiB${goal.memoryMiB ? ` (goal <= ${goal.memoryMiB} MiB)` : ''}`,
  };
}

// ---------------------------------------------------------------------------------------------
// n8n: Webhook -> Read/Write Files from Disk -> Harf (Upload File), in one regular-mode process.

async function n8nUpload(sandbox, bytes) {
  const support = loadTypeScript(path.join(root, 'test', 'n8n', 'support', 'n8n.ts'));
  const server = loadTypeScript(path.join(root, 'test', 'n8n', 'support', 'server.ts'));
  const { packTarball } = require('./pack');
  const runtime = support.provisionN8n();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'harf-bench-n8n-'));
  const files = path.join(work, 'files');
  fs.mkdirSync(files);
  let userFolder;
  let binaryStore;
  let n8n;
  const interrupted = onInterrupt(() => {
    n8n?.kill('SIGKILL');
    for (const dir of [work, userFolder, binaryStore]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  try {
    // In memory where /dev/shm has room for a few copies (each run's is removed after it).
    binaryStore = fs.mkdtempSync(path.join(hasRoom('/dev/shm', 4 * bytes) ? '/dev/shm' : work, 'harf-bench-n8n-binary-'));
    const folder = await support.freshUserFolder('harf-bench-n8n-user-', packTarball(), randomBytes(16).toString('hex'));
    userFolder = folder.userFolder;
    const port = await support.freePort();
    const env = {
      ...folder.env,
      N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
      // In memory where the machine has /dev/shm: the Read File node's 1 GiB copy is still being written
      // back to disk while the Harf node reads it, which times the disk, not the node.
      N8N_BINARY_DATA_STORAGE_PATH: binaryStore,
      N8N_RESTRICT_FILE_ACCESS_TO: files,
      N8N_DISABLED_MODULES: 'mcp-registry',
      N8N_PORT: String(port),
      N8N_LISTEN_ADDRESS: '127.0.0.1',
      WEBHOOK_URL: `http://127.0.0.1:${port}/`,
    };
    const cli = async (args) => {
      const result = await support.runCommand(runtime.node24, [runtime.n8nBin, ...args], { cwd: userFolder, env, timeoutMs: 300_000 });
      if (result.code !== 0) {
        throw new Error(`n8n ${args[0]} exited with ${result.code ?? result.signal}:\n${support.tail(result.stdout + result.stderr)}`);
      }
    };
    const credential = {
      id: 'harfBenchAccount01',
      name: 'Harf sandbox',
      type: 'harfApi',
      data: { token: sandbox.token, baseUrl: sandbox.url },
    };
    // The same job twice: through the Harf node, and through n8n's own HTTP Request node sending the
    // same multipart form, so n8n's own cost of streaming a binary is measured beside the node's.
    const uploader = {
      harf: {
        name: 'Harf',
        type: 'n8n-nodes-harf.harf',
        typeVersion: 1,
        credentials: { harfApi: { id: credential.id, name: credential.name } },
        parameters: { operation: 'uploadFile', binaryPropertyName: 'data', output: 'file', options: {} },
      },
      httpRequest: {
        name: 'HTTP Request',
        type: 'n8n-nodes-base.httpRequest',
        typeVersion: 4.2,
        parameters: {
          method: 'POST',
          url: `${sandbox.url}/api/transcribe_files/`,
          sendHeaders: true,
          headerParameters: { parameters: [{ name: 'Authorization', value: `Token ${sandbox.token}` }] },
          sendBody: true,
          contentType: 'multipart-form-data',
          bodyParameters: { parameters: [{ parameterType: 'formBinaryData', name: 'media', inputDataFieldName: 'data' }] },
          options: {},
        },
      },
    };
    const workflows = Object.entries(uploader).map(([key, node], index) => ({
      id: `harfBenchUpload00${index + 1}`,
      name: `bench: upload a file from disk with ${node.name}`,
      settings: { executionOrder: 'v1' },
      nodes: [
        {
          id: `bench-webhook-${key}`,
          name: 'Webhook',
          type: 'n8n-nodes-base.webhook',
          typeVersion: 2,
          position: [0, 0],
          webhookId: `harf-bench-${key}-hook`,
          parameters: {
            httpMethod: 'POST',
            path: `harf-bench-${key}`,
            responseMode: 'lastNode',
            responseData: 'firstEntryJson',
            options: {},
          },
        },
        {
          id: `bench-read-${key}`,
          name: 'Read File',
          type: 'n8n-nodes-base.readWriteFile',
          typeVersion: 1.1,
          position: [220, 0],
          parameters: { operation: 'read', fileSelector: '={{ $json.body.path }}', options: {} },
        },
        { id: `bench-upload-${key}`, position: [440, 0], ...node },
      ],
      connections: {
        Webhook: { main: [[{ node: 'Read File', type: 'main', index: 0 }]] },
        'Read File': { main: [[{ node: node.name, type: 'main', index: 0 }]] },
      },
    }));
    fs.writeFileSync(path.join(work, 'credentials.json'), JSON.stringify([credential]));
    fs.mkdirSync(path.join(work, 'workflows'));
    for (const workflow of workflows) fs.writeFileSync(path.join(work, 'workflows', `${workflow.id}.json`), JSON.stringify(workflow));
    await cli(['import:credentials', `--input=${path.join(work, 'credentials.json')}`]);
    fs.rmSync(path.join(work, 'credentials.json'));
    await cli(['import:workflow', '--separate', `--input=${path.join(work, 'workflows')}`]);
    for (const workflow of workflows) await cli(['publish:workflow', `--id=${workflow.id}`]);

    n8n = server.startProcess(runtime, 'main', ['start'], env, userFolder);
    await server.waitReady(n8n, `http://127.0.0.1:${port}/healthz/readiness`, /Editor is now accessible via/);
    const run = async (key, file, { waitForWebhook = false } = {}) => {
      const before = sandbox.uploads.length;
      const post = () =>
        fetch(`http://127.0.0.1:${port}/webhook/harf-bench-${key}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ path: file }),
        });
      let answer = await post();
      // n8n may answer before it has registered a published workflow's webhook.
      for (let tries = 0; waitForWebhook && answer.status === 404 && tries < 60; tries++) {
        await answer.arrayBuffer();
        await sleep(1000);
        answer = await post();
      }
      const result = await answer.json();
      if (answer.status !== 200 || !result.media_url) {
        throw new Error(
          `n8n answered ${answer.status}: ${JSON.stringify(result).slice(0, 500)}\n--- n8n ---\n${support.tail(n8n.output(), 40)}`,
        );
      }
      const upload = await nextUpload(sandbox, before, `the ${uploader[key].name} node's upload`);
      if (upload.bytes !== fs.statSync(file).size)
        throw new Error(`${uploader[key].name}'s upload arrived with ${upload.bytes} bytes, expected ${fs.statSync(file).size}`);
      // The execution is over: its copy of the file goes, so the store never holds more than one.
      for (const entry of fs.readdirSync(binaryStore)) fs.rmSync(path.join(binaryStore, entry), { recursive: true, force: true });
      return upload;
    };
    // Warm: the first execution loads the nodes' code; the figures are for the ones after.
    const warm = writeSparseWav(path.join(files, 'warm-up.wav'), 64 * 1024);
    for (const key of Object.keys(uploader)) await run(key, warm, { waitForWebhook: true });
    await sleep(2000);
    const big = writeSparseWav(path.join(files, 'big.wav'), bytes);
    await curlUpload(sandbox, big); // the first read of a new file is slower for every client
    const curl = await uploads(RUNS, () => curlUpload(sandbox, big));
    const lines = [];
    for (const key of Object.keys(uploader)) {
      const rss = watchRss(n8n.child.pid);
      const timed = await uploads(RUNS, () => run(key, big));
      const memory = rss.stop();
      const label = key === 'harf' ? 'the Harf node (Upload File)' : "n8n's own HTTP Request node, same form";
      lines.push(
        ratioLine(
          `n8n ${runtime.version}: ${size(bytes)} from disk, ${label}`,
          timed,
          curl,
          memory,
          key === 'harf' ? { time: 1.3, memoryMiB: 100 } : {},
        ),
      );
    }
    return lines;
  } finally {
    if (n8n) await server.stopProcess(n8n);
    for (const dir of [work, userFolder, binaryStore]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
    interrupted.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// Node-RED: the packed package in a fresh user directory, flows deployed through the admin API.

async function withNodeRed(sandbox, label, flows, fn) {
  const nodeRed = require('./runtimes/node-red');
  const { packTarball } = require('./pack');
  const runtime = nodeRed.ensureNodeRed5();
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), `harf-bench-node-red-${label}-`));
  let instance;
  let debug;
  const interrupted = onInterrupt(() => {
    instance?.process.kill('SIGKILL');
    fs.rmSync(userDir, { recursive: true, force: true });
  });
  try {
    nodeRed.installIntoUserDir(runtime, userDir, packTarball());
    instance = await nodeRed.startNodeRed(runtime, { userDir, credentialSecret: randomBytes(16).toString('hex') });
    const config = { id: 'bench-harf', type: 'harf-config', name: 'sandbox', baseUrl: sandbox.url, credentials: { token: sandbox.token } };
    await instance.deploy([
      { id: 'bench-tab', type: 'tab', label: 'bench' },
      config,
      ...flows.map((node) => ({ z: 'bench-tab', ...node })),
    ]);
    debug = await nodeRed.watchDebug(instance.url);
    return await fn({ runtime, instance, debug });
  } finally {
    await debug?.close();
    await instance?.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
    interrupted.dispose();
  }
}

async function nodeRedUpload(sandbox, bytes) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harf-bench-files-'));
  try {
    const warm = writeSparseWav(path.join(dir, 'warm-up.wav'), 64 * 1024);
    const big = writeSparseWav(path.join(dir, 'big.wav'), bytes);
    const inject = (id, file) => ({
      id,
      type: 'inject',
      props: [{ p: 'payload' }],
      payload: file,
      payloadType: 'str',
      repeat: '',
      once: false,
      wires: [['bench-upload']],
    });
    const flows = [
      inject('bench-warm', warm),
      inject('bench-big', big),
      {
        id: 'bench-upload',
        type: 'harf-upload-file',
        harf: 'bench-harf',
        output: 'file',
        splitUncertain: false,
        subtitles: 'none',
        outputs: 1,
        wires: [['bench-out']],
      },
      { id: 'bench-out', type: 'debug', active: true, tosidebar: true, complete: 'payload.media_url', targetType: 'msg', wires: [] },
    ];
    return await withNodeRed(sandbox, 'upload', flows, async ({ runtime, instance, debug }) => {
      const run = async (id, file) => {
        const before = sandbox.uploads.length;
        const answered = debug.messages.length;
        await instance.inject(id);
        const upload = await nextUpload(sandbox, before, "the Node-RED node's upload");
        await until(() => debug.messages.length > answered, "the upload node's message");
        if (upload.bytes !== fs.statSync(file).size) throw new Error(`Node-RED's upload arrived with ${upload.bytes} bytes`);
        return upload;
      };
      await run('bench-warm', warm);
      await sleep(1000);
      await curlUpload(sandbox, big); // the first read of a new file is slower for every client
      const curl = await uploads(RUNS, () => curlUpload(sandbox, big));
      const rss = watchRss(instance.process.pid);
      const ours = await uploads(RUNS, () => run('bench-big', big));
      const memory = rss.stop();
      // The same call the node makes, in a bare process on the same Node: what the runtime adds.
      const bare = await uploads(RUNS, () => bareUpload(sandbox, big, runtime.node));
      const line = ratioLine(`Node-RED ${runtime.version}: harf-upload-file, ${size(bytes)} from a path`, ours, curl, memory, {
        time: 1.2,
      });
      line.detail += `; lib alone on Node ${nodeVersionOf(runtime.node)}, no Node-RED: ${(bare.receivedMs / 1000).toFixed(2)} s (${(bare.receivedMs / curl.receivedMs).toFixed(2)}x)`;
      return line;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const nodeVersionOf = (node) =>
  require('node:child_process').execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();

/** lib's HarfClient.uploadFile(path) in a process of its own on `node`, as the Node-RED node calls it. */
async function bareUpload(sandbox, file, node) {
  const before = sandbox.uploads.length;
  const script = `
    const { HarfClient } = require(${JSON.stringify(path.join(root, 'dist', 'lib'))});
    const client = new HarfClient({ token: process.env.HARF_TOKEN, baseUrl: process.env.HARF_URL });
    client.uploadFile(process.argv[1], { onProgress() {} }).then(() => client.close(), (error) => { console.error(error.message); process.exit(1); });`;
  await new Promise((resolve, reject) =>
    execFile(
      node,
      ['-e', script, file],
      { env: { ...process.env, HARF_TOKEN: sandbox.token, HARF_URL: sandbox.url } },
      (error, _out, stderr) => (error ? reject(new Error(`the bare upload failed: ${stderr}`)) : resolve()),
    ),
  );
  return await nextUpload(sandbox, before, 'the bare upload');
}

// 50 streams at once through one harf-live-stream node, keyed by msg.topic: each stream a different
// length, its 1 s chunks interleaved with the others' (one round of 50 every 100 ms, 10x real time).
const STREAMS = 50;
const CHUNK = 32000;

/**
 * Piece `offset` of stream `i` (a WAV header first, then a tone of the stream's own pitch), made as it
 * is sent so that the feeder holds no audio. Self-contained: its source also runs in a function node.
 */
function streamPiece(i, offset) {
  const seconds = 20 + i * 0.2;
  const total = 44 + Math.round(seconds * 16000) * 2;
  if (offset >= total) return null;
  const bytes = Buffer.alloc(Math.min(offset + 32000, total) - offset);
  let at = 0;
  if (offset === 0) {
    const fields = [
      [0, 'RIFF'],
      [8, 'WAVEfmt '],
      [36, 'data'],
    ];
    for (const [position, text] of fields) bytes.write(text, position);
    bytes.writeUInt32LE(total - 8, 4);
    bytes.writeUInt32LE(16, 16);
    bytes.writeUInt16LE(1, 20);
    bytes.writeUInt16LE(1, 22);
    bytes.writeUInt32LE(16000, 24);
    bytes.writeUInt32LE(32000, 28);
    bytes.writeUInt16LE(2, 32);
    bytes.writeUInt16LE(16, 34);
    bytes.writeUInt32LE(total - 44, 40);
    at = 44;
  }
  for (; at + 1 < bytes.length; at += 2) {
    const frame = (offset + at - 44) / 2;
    bytes.writeInt16LE(Math.round(6000 * Math.sin((2 * Math.PI * (200 + 10 * i) * frame) / 16000)), at);
  }
  return { bytes, last: offset + bytes.length >= total };
}

/** SHA-256 of stream `i`'s audio after its header: what the sandbox must have heard on that stream's session. */
function streamAudioSha256(i) {
  const hash = require('node:crypto').createHash('sha256');
  for (let offset = 0, piece; (piece = streamPiece(i, offset)); offset += CHUNK)
    hash.update(offset === 0 ? piece.bytes.subarray(44) : piece.bytes);
  return hash.digest('hex');
}

// One round of one piece per stream every 100 ms, the streams interleaved, each ended by msg.complete.
const FEEDER = `
const streamPiece = ${streamPiece.toString()};
let offset = 0;
const round = () => {
  let more = false;
  for (let i = 0; i < ${STREAMS}; i++) {
    const piece = streamPiece(i, offset);
    if (!piece) continue;
    node.send({ topic: 'stream-' + i, payload: piece.bytes });
    if (piece.last) node.send({ topic: 'stream-' + i, complete: true });
    else more = true;
  }
  offset += ${CHUNK};
  if (more) setTimeout(round, 100);
};
round();
return null;
`;

async function nodeRedLiveStreams(sandbox) {
  const flows = [
    {
      id: 'bench-go',
      type: 'inject',
      props: [{ p: 'payload' }],
      payload: '',
      payloadType: 'date',
      repeat: '',
      once: false,
      wires: [['bench-feed']],
    },
    { id: 'bench-feed', type: 'function', func: FEEDER, outputs: 1, timeout: 0, noerr: 0, wires: [['bench-live']] },
    {
      id: 'bench-live',
      type: 'harf-live-stream',
      harf: 'bench-harf',
      keyProperty: 'topic',
      completeProperty: 'complete',
      idleTimeout: 30,
      output: 'file',
      splitUncertain: false,
      subtitles: 'none',
      outputs: 1,
      wires: [['bench-out']],
    },
    { id: 'bench-out', type: 'debug', active: true, tosidebar: true, complete: 'true', targetType: 'full', wires: [] },
  ];
  return await withNodeRed(sandbox, 'live', flows, async ({ runtime, instance, debug }) => {
    const sessionsBefore = sandbox.liveSessions.length;
    await sleep(1000);
    const rss = watchRss(instance.process.pid);
    const started = Date.now();
    await instance.inject('bench-go');
    const closing = await debug.waitFor((entry) => entry.msg && entry.msg.complete === true, STREAMS, 600_000);
    const ms = Date.now() - started;
    const memory = rss.stop();
    // No cross-talk: the one session that heard exactly stream i's audio (by its SHA-256) made the
    // transcript that stream i's closing message carries.
    const sessions = sandbox.liveSessions.slice(sessionsBefore);
    if (sessions.length !== STREAMS) throw new Error(`the sandbox saw ${sessions.length} live sessions, expected ${STREAMS}`);
    const textOf = (session) =>
      session.answers
        .flatMap((answer) => (Array.isArray(answer) ? answer : answer && Array.isArray(answer.segments) ? answer.segments : [answer]))
        .filter((segment) => segment && typeof segment.text === 'string');
    let mixed = 0;
    for (const entry of closing) {
      const index = Number(String(entry.msg.topic).replace('stream-', ''));
      const heard = sessions.filter((session) => session.audioSha256 === streamAudioSha256(index));
      const transcript = entry.msg.payload;
      const theirs =
        heard.length === 1 ? [...new Map(textOf(heard[0]).map((s) => [s.segment_id ?? s.start, s.text])).values()].join(' ') : undefined;
      const durationOk = Math.abs(transcript.duration_seconds - (20 + index * 0.2)) < 0.05;
      if (!durationOk || !theirs || transcript.text !== theirs) mixed++;
    }
    if (closing.length !== STREAMS || new Set(closing.map((entry) => entry.msg.topic)).size !== STREAMS)
      throw new Error('a stream ended twice or not at all');
    if (mixed > 0) throw new Error(`${mixed} of ${STREAMS} streams got another stream's audio or transcript`);
    return {
      name: `Node-RED ${runtime.version}: ${STREAMS} live streams at once in one node`,
      figure: `no cross-talk, ${(memory.growthMiB / STREAMS).toFixed(2)} MiB per stream`,
      ms,
      extraMiB: memory.growthMiB,
      detail: `each of the ${STREAMS} transcripts made from exactly its own stream's audio (SHA-256); ${(ms / 1000).toFixed(1)} s for ${(sessions.reduce((sum, s) => sum + s.audioBytes, 0) / 32000 / 60).toFixed(0)} min of audio`,
    };
  });
}

module.exports = { n8nUpload, nodeRedUpload, nodeRedLiveStreams, curlUpload };
