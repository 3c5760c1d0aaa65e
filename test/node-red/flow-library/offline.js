// Loaded with `node -r` before node-red-dev: answers the look-ups its checks make on the network from
// what is on this machine, so that the scorecard is computed offline and the same on every run.
//  - catalogue.nodered.org/catalogue.json (P08 similar names, N01 duplicate node types): catalogue.json
//    beside this file, a few modules of the real catalogue;
//  - registry.npmjs.org/node-red (P06, P07): the Node-RED this repository tests against, as latest;
//  - npm-remote-ls (D02, the dependency tree): the package's runtime dependencies from package-lock.json;
//  - npm-check (D03, outdated dependencies): whether the locked version is within the declared range
//    (which release is the newest needs the registry).
// readline is stubbed too: node-red-dev opens one on stdin at load and never closes it.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const root = path.resolve(__dirname, '../../..');
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const nodeRed = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/node-red/package.json'), 'utf8'));
const semver = require(require.resolve('semver', { paths: [path.join(root, 'node_modules/node-red-dev/src')] }));

const answers = {
  'https://catalogue.nodered.org/catalogue.json': () => JSON.parse(fs.readFileSync(path.join(__dirname, 'catalogue.json'), 'utf8')),
  'https://registry.npmjs.org/node-red': () => ({
    'dist-tags': { latest: nodeRed.version },
    versions: { [nodeRed.version]: { engines: nodeRed.engines } },
  }),
};

const axios = {
  get: async (url) => {
    if (!answers[url]) throw new Error(`node-red-dev asked for ${url}, which the offline test does not answer`);
    return { data: answers[url]() };
  },
};

/** Every package the runtime dependencies bring, as `name@version`. */
function runtimeTree() {
  return Object.entries(lock.packages)
    .filter(([where, entry]) => where.startsWith('node_modules/') && !entry.dev && !entry.devOptional && !entry.optional)
    .map(([where, entry]) => `${where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${entry.version}`);
}

const npmRemoteLs = {
  config: () => {},
  ls: (_name, _version, _flatten, callback) => callback(runtimeTree()),
};

function npmCheck({ cwd }) {
  const pkg = JSON.parse(fs.readFileSync(path.join(cwd, 'package.json'), 'utf8'));
  const packages = Object.entries(pkg.dependencies || {}).map(([moduleName, range]) => {
    const installed = lock.packages[`node_modules/${moduleName}`]?.version;
    return { moduleName, packageJson: range, latest: installed, easyUpgrade: Boolean(installed && semver.satisfies(installed, range)) };
  });
  return Promise.resolve({ get: (key) => (key === 'packages' ? packages : undefined) });
}

const readline = { createInterface: () => ({ close() {}, on() {} }) };

const stubs = { axios, 'npm-remote-ls': npmRemoteLs, 'npm-check': npmCheck, readline };
const load = Module._load;
Module._load = function loadStubbed(request, parent, isMain) {
  const fromNodeRedDev = parent && parent.filename && parent.filename.includes(`${path.sep}node-red-dev${path.sep}src${path.sep}`);
  if (fromNodeRedDev && Object.prototype.hasOwnProperty.call(stubs, request)) return stubs[request];
  return load.call(this, request, parent, isMain);
};
