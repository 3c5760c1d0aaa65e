// Runtimes the tests need (Node 24, n8n, Node-RED 5, Chromium) are installed once into a cache
// outside the repo and reused by later runs.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const cacheRoot = process.env.HARF_RUNTIME_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-harf');

function cacheDir(...parts) {
  const dir = path.join(cacheRoot, ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs a command, showing its output only when it fails. */
function run(command, args, options = {}) {
  try {
    return execFileSync(command, args, { stdio: 'pipe', encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  } catch (error) {
    const output = `${error.stdout || ''}\n${error.stderr || ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed:\n${output}`);
  }
}

/** Installs `spec` (npm package specs) into `dir` unless `marker` (a file inside dir) already exists. */
function npmInstallOnce(dir, specs, marker, extraArgs = []) {
  if (fs.existsSync(path.join(dir, marker))) return;
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"harf-test-runtime","private":true}\n');
  }
  console.log(`[runtimes] installing ${specs.join(' ')} into ${dir} (once; cached for later runs)`);
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...extraArgs, ...specs], { cwd: dir });
}

/** Runs `fn` while holding `lockDir` (creating a directory is atomic); waits for another holder to finish. */
function withLock(lockDir, fn) {
  const started = Date.now();
  // Without its parent the lock could never be taken (mkdir fails with ENOENT, not EEXIST).
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch {
      const stat = fs.statSync(lockDir, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs > 20 * 60 * 1000) fs.rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() - started > 20 * 60 * 1000) throw new Error(`Timed out waiting for ${lockDir}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

module.exports = { cacheRoot, cacheDir, run, npmInstallOnce, withLock };
