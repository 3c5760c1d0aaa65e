#!/usr/bin/env node
// `npm test`: everything, on a fresh machine too.
//  1. build and pack the package as a user receives it;
//  2. install what the real-runtime tests need (Node 24, n8n, Node-RED 5, Chromium, Redis, PostgreSQL);
//  3. run the whole jest suite on this Node, then the Node-RED runtime tests again on Node-RED 5 / Node 24;
//  4. print one closing line with the counts of all runs.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { packTarball } = require('./pack');

const root = path.resolve(__dirname, '..');
const jestBin = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const summaryFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'harf-test-')), 'summary.jsonl');
const extraArgs = process.argv.slice(2);

function step(title, fn) {
  const started = Date.now();
  console.log(`\n== ${title}`);
  const result = fn();
  console.log(`== ${title}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

function jest(node, args, env) {
  const result = spawnSync(node, [jestBin, ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env, HARF_TEST_SUMMARY: summaryFile, FORCE_COLOR: '0' },
  });
  return result.status === 0;
}

// The field's habits first: typescript-eslint, n8n's community rules and Prettier over all code.
const linted = step('lint (ESLint and Prettier)', () => {
  const eslint = path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const prettier = path.join(root, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
  const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status === 0;
  const eslintPassed = run([eslint, '.']);
  const prettierPassed = run([prettier, '--check', '--log-level', 'warn', '**/*.{ts,js,mjs}']);
  return eslintPassed && prettierPassed;
});

const tarball = step('build and pack', () => packTarball());
console.log(`packed ${path.relative(root, tarball)}`);

const runtimes = step('runtimes (installed once, cached)', () => {
  const { ensureNode24 } = require('./runtimes/node24');
  const { ensureN8n } = require('./runtimes/n8n');
  const { ensureNodeRed5 } = require('./runtimes/node-red');
  const { ensureChromium } = require('./runtimes/chromium');
  const { ensureRedis, ensurePostgres } = require('./runtimes/services');
  const node24 = ensureNode24();
  const n8n = ensureN8n();
  const nodeRed5 = ensureNodeRed5();
  const chromium = ensureChromium();
  // For n8n in queue mode (test/n8n/queue): started per run as throwaway instances.
  const redis = ensureRedis();
  const postgres = ensurePostgres();
  console.log(
    `Node 24: ${node24}\nn8n ${n8n.version}\nNode-RED ${nodeRed5.version}\nChromium: ${chromium}\nRedis: ${redis}\nPostgreSQL: ${postgres}`,
  );
  return { node24, nodeRed5 };
});

const env = { HARF_PACKED_TARBALL: tarball };
let ok = step(`jest on Node ${process.versions.node}`, () => jest(process.execPath, ['--runInBand', ...extraArgs], env));
if (extraArgs.length === 0) {
  ok =
    step(`Node-RED runtime tests on Node-RED ${runtimes.nodeRed5.version} / Node 24`, () =>
      jest(runtimes.node24, ['--runInBand', 'test/node-red/runtime'], { ...env, HARF_NODE_RED_PATH: runtimes.nodeRed5.runtimePath }),
    ) && ok;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, 'utf8').trim().split('\n').filter(Boolean) : [];
for (const line of lines) {
  const counts = JSON.parse(line);
  for (const key of Object.keys(totals)) totals[key] += counts[key];
}
if (lines.length === 0 || totals.passed === 0) ok = false;
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
if (!linted) console.log('lint: failed (see above)');
process.exit(ok && linted && totals.failed === 0 ? 0 : 1);
