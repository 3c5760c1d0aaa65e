// Debian's Chromium for the browser tests, installed with apt-get when it is missing.
const fs = require('node:fs');
const path = require('node:path');
const { run, cacheDir } = require('./cache');
const { aptGet } = require('./apt');

const CHROMIUM_PATH = process.env.HARF_CHROMIUM_PATH || '/usr/bin/chromium';

/** Returns the path of a Chromium binary, installing Debian's `chromium` package on first use. */
function ensureChromium() {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  // Serialise concurrent installers (two jest workers, or test.js and a test run alone).
  const lockDir = path.join(cacheDir('locks'), 'chromium.lock');
  const started = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch {
      if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
      const age = Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 20 * 60 * 1000) fs.rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() - started > 20 * 60 * 1000) throw new Error(`Timed out waiting for ${lockDir}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
  try {
    if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
    console.log('[runtimes] installing Debian chromium with apt-get (once)');
    aptGet(['update']);
    aptGet(['install', '-y', '--no-install-recommends', 'chromium', 'fonts-dejavu-core', 'fonts-noto-core']);
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`apt-get install chromium finished but ${CHROMIUM_PATH} is missing`);
  return CHROMIUM_PATH;
}

/**
 * Launch options every browser test uses (headless, no network chatter). The fresh, empty profile
 * directory goes to playwright's launchPersistentContext(userDataDir, options), which refuses
 * --user-data-dir in args.
 */
function chromiumLaunchOptions() {
  return {
    executablePath: ensureChromium(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  };
}

module.exports = { ensureChromium, chromiumLaunchOptions, CHROMIUM_PATH };

if (require.main === module) {
  const binary = ensureChromium();
  console.log(binary, run(binary, ['--version']).trim());
}
