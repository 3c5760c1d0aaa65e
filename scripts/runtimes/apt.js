// Debian packages the tests need (Chromium, Redis, PostgreSQL), installed with apt-get when missing.
const fs = require('node:fs');
const path = require('node:path');
const { run, cacheDir, withLock } = require('./cache');

function sudoPrefix() {
  if (typeof process.getuid === 'function' && process.getuid() === 0) return [];
  // Non-root machines need passwordless sudo; `sudo -n` fails fast instead of prompting.
  return ['sudo', '-n'];
}

function aptGet(args) {
  const prefix = sudoPrefix();
  const command = prefix.length ? prefix[0] : 'apt-get';
  const fullArgs = prefix.length ? [...prefix.slice(1), 'apt-get', ...args] : args;
  return run(command, fullArgs, {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'a' },
    timeout: 15 * 60 * 1000,
  });
}

/**
 * Installs Debian `packages` unless `present()` already finds what they bring; installers in
 * parallel (two jest workers, test.js and a test run alone) wait for each other under one lock.
 */
function aptInstallOnce(name, packages, present) {
  if (present()) return;
  withLock(path.join(cacheDir('locks'), `apt-${name}.lock`), () => {
    if (present()) return;
    console.log(`[runtimes] installing Debian ${packages.join(' ')} with apt-get (once)`);
    aptGet(['update']);
    aptGet(['install', '-y', '--no-install-recommends', ...packages]);
  });
  if (!present()) throw new Error(`apt-get install ${packages.join(' ')} finished but ${name} is still missing`);
}

const exists = (file) => fs.existsSync(file);

module.exports = { aptGet, aptInstallOnce, exists };
