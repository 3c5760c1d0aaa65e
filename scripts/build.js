#!/usr/bin/env node
// Builds dist/ only when it is missing or older than the sources, so `npm run demo`, `sandbox`,
// `bench` and `test` work right after `npm install` (the package has no install-time build: a
// user installing it from the registry must not be asked to approve a script).
// The build records a hash of its inputs in .runtime/build-stamp; a different hash means stale.
const fs = require('node:fs');
const path = require('node:path');
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const stampFile = path.join(root, '.runtime', 'build-stamp');
const INPUT_DIRS = ['lib', 'nodes', 'credentials', 'sandbox', 'icons', 'resources'];
const INPUT_FILES = [
  'package.json',
  'tsconfig.json',
  'gulpfile.js',
  'scripts/n8n-descriptions.js',
  'scripts/lazy-barrels.js',
  'scripts/node-red-help.js',
  'scripts/audio-kernels.js',
];
// Written by the build itself, so not an input.
const GENERATED = new Set([path.join('resources', 'harf-settings.js'), path.join('lib', 'audio', 'wasm', 'resample.wasm')]);
const BUILT = [
  'dist/lib/index.js',
  'dist/lib/audio/wasm/resample.wasm',
  'dist/sandbox/cli.js',
  'dist/nodes/node-red/harf-config.js',
  'dist/nodes/Harf/Harf.node.js',
];

function inputFiles() {
  const files = [...INPUT_FILES];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (!GENERATED.has(relative)) files.push(relative);
    }
  };
  for (const dir of INPUT_DIRS) if (fs.existsSync(path.join(root, dir))) walk(dir);
  return files.sort();
}

/** One hash over the names and contents of everything the build reads. */
function sourceHash() {
  const hash = createHash('sha256');
  for (const file of inputFiles())
    hash
      .update(file)
      .update('\0')
      .update(fs.readFileSync(path.join(root, file)))
      .update('\0');
  return hash.digest('hex');
}

function writeBuildStamp() {
  fs.mkdirSync(path.dirname(stampFile), { recursive: true });
  fs.writeFileSync(stampFile, `${sourceHash()}\n`);
}

/** Why dist/ needs building, or undefined when it is up to date. */
function staleReason() {
  const missing = BUILT.find((file) => !fs.existsSync(path.join(root, file)));
  if (missing) return `${missing} is missing`;
  const stamp = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : '';
  if (stamp !== sourceHash()) return 'the sources changed since the last build';
  return undefined;
}

/**
 * Runs `npm run build` when dist/ is missing or stale; progress goes to stderr, or with `quiet`
 * only the output of a failed build (in the thrown error).
 */
function ensureBuilt({ quiet = false } = {}) {
  const reason = staleReason();
  if (!reason) return false;
  if (!quiet) {
    process.stderr.write(`Building the package (${reason})…\n`);
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] });
    return true;
  }
  try {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    throw new Error(`npm run build failed (${reason}):\n${`${error.stdout || ''}\n${error.stderr || ''}`.trim()}`);
  }
  return true;
}

module.exports = { ensureBuilt, staleReason, writeBuildStamp, sourceHash };

if (require.main === module) {
  if (process.argv[2] === '--stamp') writeBuildStamp();
  else ensureBuilt();
}
