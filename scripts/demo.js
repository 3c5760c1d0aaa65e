#!/usr/bin/env node
// `npm run demo`: the podcast example flow, end to end, in a headless Node-RED.
// Starts the Harf sandbox (no token needed) and Node-RED 4 with this package loaded, deploys
// examples/01 (podcast episodes by URL, review split, SRT files), runs it, prints the
// transcripts, the words needing review and where the SRT files were written, then exits.
// With HARF_TOKEN set it uses the real service (HARF_BASE_URL, HARF_MEDIA_URL optional).
const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { nodeRed4, startNodeRed, watchDebug } = require('./runtimes/node-red');
const { ensureBuilt } = require('./build');

const root = path.resolve(__dirname, '..');
const PACKAGE_NAME = 'n8n-nodes-harf';
const EXAMPLE = path.join(root, 'examples', '01 - Podcast episodes by URL with review.json');
// The recording Harf's own API documentation transcribes (a Golestan reading on ganjoor.net).
const DOCS_MEDIA_URL = 'https://i.ganjoor.net/a2/41417.mp3';

const useRealService = Boolean(process.env.HARF_TOKEN && process.env.HARF_TOKEN.trim());
const workDir = path.join(root, '.runtime', 'demo');
// Node-RED's file working directory: the example flow writes its SRT files into harf-transcripts/ here.
const filesDir = path.join(workDir, 'files');

const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const dim = (text) => (process.stdout.isTTY ? `\x1b[2m${text}\x1b[0m` : text);
const say = (text = '') => process.stdout.write(`${text}\n`);

/** A Node-RED user directory whose node_modules links to this package, as `npm install <folder>` does. */
function prepareUserDir() {
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(workDir, 'node_modules'), { recursive: true });
  fs.mkdirSync(filesDir, { recursive: true });
  fs.writeFileSync(
    path.join(workDir, 'package.json'),
    JSON.stringify({ name: 'harf-demo', private: true, dependencies: { [PACKAGE_NAME]: `file:${root}` } }, null, 2),
  );
  fs.symlinkSync(root, path.join(workDir, 'node_modules', PACKAGE_NAME), 'dir');
}

function mediaUrls(example) {
  if (process.env.HARF_MEDIA_URL) return process.env.HARF_MEDIA_URL.split(/[\s,]+/).filter(Boolean);
  if (useRealService) return [DOCS_MEDIA_URL];
  const inject = example.find((node) => node.type === 'inject');
  return JSON.parse(inject.payload);
}

function flowFor(example, { baseUrl, token, urls }) {
  const nodes = example.map((node) => structuredClone(node));
  const tab = nodes[0].z;
  for (const node of nodes) {
    if (node.type === 'harf-config') {
      if (baseUrl) node.baseUrl = baseUrl;
      node.credentials = { token };
    }
    if (node.type === 'inject') node.payload = JSON.stringify(urls);
  }
  return [{ id: tab, type: 'tab', label: 'Podcast episodes (demo)', disabled: false, info: '' }, ...nodes];
}

function printTranscript(file) {
  say(bold(`\n▸ ${file.media_url}`));
  say(
    dim(
      `  ${file.duration} · ${file.segments.length} segments · ${file.uncertain_count} uncertain words · certainty ${(file.certainty_ratio * 100).toFixed(1)}%`,
    ),
  );
  for (const segment of file.segments) {
    say(`  ${dim(`${segment.start} → ${segment.end}`)}  ${segment.text}`);
  }
}

function printReview(entries) {
  say(bold(`\nWords needing review (${entries.length} segments)`));
  if (entries.length === 0) say('  none: Harf was sure of every word.');
  for (const entry of entries) {
    // Times first: a line that starts left to right keeps its order in a terminal.
    say(`  ${dim(`${entry.start} → ${entry.end}`)}  ${entry.text}`);
    say(`    ${dim('unsure of:')} ${entry.uncertain_words.join('، ')}   ${dim(entry.media_fragment)}`);
  }
}

async function main() {
  const started = Date.now();
  ensureBuilt();
  const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
  const urls = mediaUrls(example);

  let sandbox;
  let baseUrl = process.env.HARF_BASE_URL;
  let token = process.env.HARF_TOKEN;
  if (useRealService) {
    say(`Using the Harf service at ${baseUrl || example.find((node) => node.type === 'harf-config').baseUrl} (HARF_TOKEN is set).`);
  } else {
    const { startSandbox, SANDBOX_NOTICE } = require(path.join(root, 'dist', 'sandbox'));
    token = `sandbox-demo-${randomBytes(8).toString('hex')}`;
    sandbox = await startSandbox({ token });
    baseUrl = sandbox.url;
    say(`${SANDBOX_NOTICE}`);
    say(dim(`Sandbox at ${sandbox.url}. Set HARF_TOKEN (and HARF_MEDIA_URL) to use the real service.`));
  }

  prepareUserDir();
  const runtime = nodeRed4();
  say(dim(`Starting Node-RED ${runtime.version} (headless) with ${PACKAGE_NAME}…`));
  const nodeRed = await startNodeRed(runtime, {
    userDir: workDir,
    fileWorkingDirectory: filesDir,
    credentialSecret: randomBytes(16).toString('hex'),
  });
  let debug;
  const cleanUp = async () => {
    await debug?.close();
    await nodeRed.stop();
    await sandbox?.close();
  };
  process.once('SIGINT', () => {
    cleanUp().finally(() => process.exit(130));
  });

  try {
    debug = await watchDebug(nodeRed.url);
    await nodeRed.deploy(flowFor(example, { baseUrl, token, urls }));
    const inject = example.find((node) => node.type === 'inject');
    say(`Transcribing ${urls.length} file(s) with the example flow "${path.basename(EXAMPLE, '.json')}"…`);
    await nodeRed.inject(inject.id);

    const named = (name) => (message) => message.name === name;
    const timeoutMs = useRealService ? 35 * 60_000 : 120_000;
    // A node's error is logged by Node-RED; stop at the first one instead of waiting for results.
    let failedTimer;
    const failed = new Promise((_, reject) => {
      failedTimer = setInterval(() => {
        const error = nodeRed
          .log()
          .split('\n')
          .find((line) => / error \[(harf|assemblyai)-/.test(line));
        if (error) reject(new Error(error.replace(/^\S+ error /, '')));
      }, 100);
    });
    let written;
    try {
      const results = debug.waitFor(named('SRT written'), urls.length, timeoutMs);
      results.catch(() => {}); // ended by close() when a node reported an error first
      written = await Promise.race([results, failed]);
    } finally {
      clearInterval(failedTimer);
    }
    failed.catch(() => {});
    const transcripts = await debug.waitFor(named('transcript'), urls.length, 10_000);
    const uncertainSegments = transcripts.reduce(
      (sum, { msg }) => sum + msg.segments.filter((segment) => segment.uncertain_words.length > 0).length,
      0,
    );
    const review = uncertainSegments > 0 ? await debug.waitFor(named('needs review'), uncertainSegments, 10_000) : [];

    for (const { msg } of transcripts) printTranscript(msg);
    printReview(review.map((message) => message.msg));
    say(bold('\nSRT subtitles written to'));
    for (const { msg: filename } of written) say(`  ${path.relative(process.cwd(), path.join(filesDir, filename))}`);
    say(dim(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Node-RED log: ${path.relative(process.cwd(), nodeRed.logFile)}`));
  } catch (error) {
    process.exitCode = 1;
    process.stderr.write(`\nThe demo failed: ${error.message}\n(Node-RED log: ${path.relative(process.cwd(), nodeRed.logFile)})\n`);
  } finally {
    await cleanUp();
  }
}

main().catch((error) => {
  process.exitCode = 1;
  process.stderr.write(`The demo failed: ${error.stack || error.message}\n`);
});
