#!/usr/bin/env node
// `npm run fuzz`: the property tests (test/lib/properties.test.ts) with 100 000 cases each, or
// HARF_FUZZ_RUNS of them (HARF_FUZZ_CONVERSION_RUNS for the whole-conversion property alone, which
// costs tens of ms a case); HARF_FUZZ_SEED replays a run. Each property fails on an untyped
// throw, on a case over 1 s, or on a broken property, and prints the smallest input that breaks it.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const runs = process.env.HARF_FUZZ_RUNS || '100000';
const jest = require.resolve('jest/bin/jest');
console.log(`fuzzing with ${runs} cases per property`);
const result = spawnSync(process.execPath, [jest, '--runInBand', '--verbose', 'test/lib/properties.test.ts'], {
  cwd: path.resolve(__dirname, '..'),
  stdio: 'inherit',
  env: { ...process.env, HARF_FUZZ_RUNS: runs },
});
process.exit(result.status ?? 1);
