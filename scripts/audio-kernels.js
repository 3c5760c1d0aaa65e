#!/usr/bin/env node
// Compiles the resampler's filter loops (lib/audio/wasm/resample.ts, AssemblyScript) to WebAssembly
// beside their source, where lib/audio/kernels.ts reads them in lib/ (tests) and in dist/ (the
// package; the build copies them there).
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const asc = path.join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
const source = path.join('lib', 'audio', 'wasm', 'resample.ts');
// No runtime and no assertions (nothing is allocated, and the resampler sizes every array); the
// memory is the resampler's own.
const flags = ['-O3', '--noAssert', '--runtime', 'stub', '--importMemory', '--enable', 'simd'];
execFileSync(process.execPath, [asc, source, ...flags, '--outFile', source.replace(/\.ts$/, '.wasm')], { cwd: root, stdio: 'inherit' });
