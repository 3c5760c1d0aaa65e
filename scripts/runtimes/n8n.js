// A real n8n 2.x under Node 24, installed once into the runtime cache and reused by later runs.
//
// Why this version: 2.41.x (the newest) depends on @n8n/agents@0.26.2, which the registry does not
// serve, so it cannot install; 2.40.7 is the newest release whose whole tree resolves.
// linkedom 0.18.14+ depends on packages the registry does not serve either, hence the override to
// 0.18.13 (which n8n's own range ^0.18.13 accepts).
// Install scripts are skipped (several try to download prebuilt binaries, which cannot work here);
// afterwards every native module n8n needs at start-up is checked under Node 24 and built from source
// against Node 24's own headers only when it does not load.
const fs = require('node:fs');
const path = require('node:path');
const { cacheDir, run } = require('./cache');
const { ensureNode24, node24Env } = require('./node24');

const N8N_VERSION = '2.40.7';
const OVERRIDES = { linkedom: '0.18.13' };
// Loaded when n8n starts: sqlite3 for the default database, isolated-vm for the expression engine.
const NATIVE_MODULES = ['sqlite3', 'isolated-vm'];
const MARKER = '.harf-install-complete';

function log(message) {
  if (process.env.HARF_QUIET_RUNTIMES !== 'true') console.log(`[runtimes] ${message}`);
}

function loadsUnderNode24(node24, dir, moduleName) {
  try {
    run(node24, ['-e', `require(${JSON.stringify(moduleName)})`], { cwd: dir });
    return true;
  } catch {
    return false;
  }
}

/** Installs n8n (once) and returns how to run it. */
function ensureN8n() {
  const node24 = ensureNode24();
  const dir = cacheDir(`n8n-${N8N_VERSION}`);
  const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
  const result = { node24, n8nBin, version: N8N_VERSION, dir };
  if (fs.existsSync(path.join(dir, MARKER)) && fs.existsSync(n8nBin)) return result;

  const started = Date.now();
  const env = node24Env();
  const manifest = {
    name: 'harf-n8n-runtime',
    private: true,
    dependencies: { n8n: N8N_VERSION },
    overrides: OVERRIDES,
  };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  log(`installing n8n@${N8N_VERSION} into ${dir} (once; cached for later runs, takes minutes)`);
  run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env });

  const nodeDir = path.resolve(path.dirname(node24), '..');
  for (const moduleName of NATIVE_MODULES) {
    if (loadsUnderNode24(node24, dir, moduleName)) continue;
    log(`building ${moduleName} from source for Node 24`);
    run('npm', ['rebuild', moduleName, '--foreground-scripts', '--loglevel=error'], {
      cwd: dir,
      env: {
        ...env,
        // Headers of the Node 24 that will load the module; no download of headers or prebuilt binaries.
        npm_config_nodedir: nodeDir,
        npm_config_build_from_source: 'true',
      },
    });
    if (!loadsUnderNode24(node24, dir, moduleName)) {
      throw new Error(`${moduleName} was rebuilt but still does not load under Node 24 in ${dir}`);
    }
  }

  const reported = run(node24, [n8nBin, '--version'], { cwd: dir, env }).trim();
  if (reported !== N8N_VERSION) throw new Error(`n8n reports version "${reported}", expected ${N8N_VERSION}`);
  fs.writeFileSync(path.join(dir, MARKER), `n8n ${N8N_VERSION} on Node ${run(node24, ['--version']).trim()}\n`);
  log(`n8n@${N8N_VERSION} ready in ${Math.round((Date.now() - started) / 1000)} s`);
  return result;
}

module.exports = { ensureN8n, N8N_VERSION };

if (require.main === module) {
  const started = Date.now();
  const { n8nBin, node24, version } = ensureN8n();
  console.log(`n8n ${version}: ${node24} ${n8nBin} (${Date.now() - started} ms)`);
}
