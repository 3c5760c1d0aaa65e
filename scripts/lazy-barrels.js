#!/usr/bin/env node
// Rewrites the compiled index.js files of dist/lib (modules that only re-export others) so that each
// module they re-export loads on the first use of one of its names. n8n and Node-RED load every
// installed package at start-up; this way they pay only for the modules a flow uses, when it runs.
// The .d.ts files are tsc's, unchanged: the names and types are the same, only the loading moves.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const libDir = path.join(root, 'dist', 'lib');

function barrelsIn(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return barrelsIn(file);
    return entry.name === 'index.js' ? [file] : [];
  });
}

/** The relative paths a compiled barrel requires, in the order tsc wrote them. */
function requiredPaths(source) {
  return [...source.matchAll(/require\("(\.[^"]+)"\)/g)].map((match) => match[1]);
}

/** Which required module each exported name of the barrel comes from: the first that exports the same value. */
function sourcesOf(barrel) {
  const exported = require(barrel);
  const modules = requiredPaths(fs.readFileSync(barrel, 'utf8')).map((relative) => ({
    relative,
    exports: require(path.resolve(path.dirname(barrel), relative)),
  }));
  const names = new Map(modules.map(({ relative }) => [relative, []]));
  for (const name of Object.keys(exported)) {
    if (name === '__esModule') continue;
    const from = modules.find((module) => name in module.exports && module.exports[name] === exported[name]);
    if (!from) throw new Error(`${path.relative(root, barrel)}: no required module exports ${name}`);
    names.get(from.relative).push(name);
  }
  return [...names].filter(([, list]) => list.length > 0);
}

function lazyBarrel(sources) {
  const lines = [
    '"use strict";',
    '// Each module loads on the first use of one of its names (scripts/lazy-barrels.js).',
    'Object.defineProperty(exports, "__esModule", { value: true });',
    'function reexport(load, names) {',
    '    let loaded;',
    '    for (const name of names)',
    '        Object.defineProperty(exports, name, { enumerable: true, get: () => (loaded ??= load())[name] });',
    '}',
  ];
  for (const [relative, names] of sources) lines.push(`reexport(() => require(${JSON.stringify(relative)}), ${JSON.stringify(names)});`);
  // Never runs: Node reads a CommonJS module's export names from its text for `import { … }` from ES modules.
  lines.push(`0 && (module.exports = { ${sources.flatMap(([, names]) => names).join(', ')} });`);
  return `${lines.join('\n')}\n`;
}

function main() {
  // Every barrel's sources are read from tsc's eager output before any file is rewritten.
  const plans = barrelsIn(libDir).map((barrel) => [barrel, sourcesOf(barrel)]);
  for (const [barrel, sources] of plans) fs.writeFileSync(barrel, lazyBarrel(sources));
  return plans.length;
}

module.exports = { sourcesOf, lazyBarrel };

if (require.main === module) main();
