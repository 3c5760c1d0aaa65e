// The two Node-RED runtimes the package is proven on:
//   Node-RED 4 — the devDependency in node_modules/node-red, run on the machine's Node (20);
//   Node-RED 5 — installed once into the runtime cache and run on Node 24 (it refuses Node 20).
// Each runtime is described as { name, version, node, nodeRedDir, redJs, runtimePath, env }:
//   redJs       — node-red's command-line entry (`node <redJs> --settings … --userDir …`)
//   runtimePath — node-red's module entry (lib/red.js), what node-red-node-test-helper's init() takes
//   env         — environment for child processes (PATH with the runtime's node first,
//                 HARF_NODE_RED_PATH = runtimePath for the runtime tests)
const fs = require('node:fs');
const path = require('node:path');
const { cacheDir, run } = require('./cache');
const { ensureNode24, node24Env } = require('./node24');

const NODE_RED5_VERSION = '5.0.7';
const root = path.resolve(__dirname, '..', '..');

function describe(name, node, nodeRedDir, env) {
  const { version, main } = JSON.parse(fs.readFileSync(path.join(nodeRedDir, 'package.json'), 'utf8'));
  const runtimePath = path.join(nodeRedDir, main || 'lib/red.js');
  return {
    name,
    version,
    node,
    nodeRedDir,
    redJs: path.join(nodeRedDir, 'red.js'),
    runtimePath,
    env: { ...env, HARF_NODE_RED_PATH: runtimePath },
  };
}

/** Waits for another process's install to finish (a directory is an atomic lock). */
function withLock(lockDir, fn) {
  const started = Date.now();
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

/** Node-RED 5 (pinned) on Node 24, installed into the runtime cache on first use. */
function ensureNodeRed5() {
  const node24 = ensureNode24();
  const env = node24Env();
  const dir = cacheDir(`node-red-${NODE_RED5_VERSION}`);
  // Written only after a complete install, so an interrupted one is redone rather than trusted.
  const marker = path.join(dir, '.installed');
  if (!fs.existsSync(marker)) {
    withLock(path.join(cacheDir('locks'), `node-red-${NODE_RED5_VERSION}.lock`), () => {
      if (fs.existsSync(marker)) return;
      fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"harf-node-red-runtime","private":true}\n');
      console.log(`[runtimes] installing node-red@${NODE_RED5_VERSION} on Node 24 into ${dir} (once; cached)`);
      // Run npm itself on Node 24 so engine checks and any install scripts see the Node that will run it.
      run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--omit=dev', `node-red@${NODE_RED5_VERSION}`], {
        cwd: dir,
        env,
        timeout: 15 * 60 * 1000,
      });
      fs.writeFileSync(marker, `${NODE_RED5_VERSION}\n`);
    });
  }
  const runtime = describe('Node-RED 5', node24, path.join(dir, 'node_modules', 'node-red'), env);
  return { ...runtime, node24 };
}

/** Node-RED 4: the devDependency, on the Node running this script. */
function nodeRed4() {
  const nodeRedDir = path.join(root, 'node_modules', 'node-red');
  if (!fs.existsSync(path.join(nodeRedDir, 'package.json'))) {
    throw new Error(`node-red (devDependency) is missing from ${nodeRedDir}: run npm install`);
  }
  return describe('Node-RED 4', process.execPath, nodeRedDir, { ...process.env });
}

module.exports = { ensureNodeRed5, nodeRed4, NODE_RED5_VERSION };

if (require.main === module) {
  for (const runtime of [nodeRed4(), ensureNodeRed5()]) {
    const nodeVersion = run(runtime.node, ['--version']).trim();
    console.log(`${runtime.name} ${runtime.version} on Node ${nodeVersion}: ${runtime.redJs}`);
  }
}
