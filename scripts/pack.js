// Builds and packs the package as a user would receive it; returns the tarball's path.
// scripts/test.js packs once and passes HARF_PACKED_TARBALL to every test that installs it.
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const { run, withLock } = require('./runtimes/cache');
const { ensureBuilt } = require('./build');

const root = path.resolve(__dirname, '..');

function packTarball({ build = true } = {}) {
  if (process.env.HARF_PACKED_TARBALL && fs.existsSync(process.env.HARF_PACKED_TARBALL)) {
    return process.env.HARF_PACKED_TARBALL;
  }
  if (build) ensureBuilt({ quiet: true });
  const outDir = path.join(root, '.runtime', 'pack');
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const out = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir], { cwd: root });
  const [{ filename }] = JSON.parse(out.slice(out.indexOf('[')));
  const tarball = path.join(outDir, path.basename(filename));
  process.env.HARF_PACKED_TARBALL = tarball;
  return tarball;
}

/**
 * The packed package for a test that installs it: HARF_PACKED_TARBALL when `npm test` packed it
 * already, else packed here under a lock (jest may run several such test files at once, and a pack
 * replaces the shared tarball). Each caller gets its own copy.
 */
function packedTarballCopy() {
  const given = process.env.HARF_PACKED_TARBALL;
  if (given && fs.existsSync(given)) return given;
  return withLock(path.join(root, '.runtime', 'pack.lock'), () => {
    delete process.env.HARF_PACKED_TARBALL;
    const packed = packTarball();
    const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'harf-tarball-')), path.basename(packed));
    fs.copyFileSync(packed, copy);
    process.env.HARF_PACKED_TARBALL = copy;
    return copy;
  });
}

module.exports = { packTarball, packedTarballCopy };

if (require.main === module) console.log(packTarball());
