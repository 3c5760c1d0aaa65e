// Builds and packs the package as a user would receive it; returns the tarball's path.
// scripts/test.js packs once and passes HARF_PACKED_TARBALL to every test that installs it.
const fs = require('node:fs');
const path = require('node:path');
const { run } = require('./runtimes/cache');

const root = path.resolve(__dirname, '..');

function packTarball({ build = true } = {}) {
  if (process.env.HARF_PACKED_TARBALL && fs.existsSync(process.env.HARF_PACKED_TARBALL)) {
    return process.env.HARF_PACKED_TARBALL;
  }
  if (build) run('npm', ['run', 'build', '--silent'], { cwd: root });
  const outDir = path.join(root, '.runtime', 'pack');
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  // --ignore-scripts: the build above already ran; prepare would build a second time.
  const out = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir], { cwd: root });
  const [{ filename }] = JSON.parse(out.slice(out.indexOf('[')));
  const tarball = path.join(outDir, path.basename(filename));
  process.env.HARF_PACKED_TARBALL = tarball;
  return tarball;
}

module.exports = { packTarball };

if (require.main === module) console.log(packTarball());
