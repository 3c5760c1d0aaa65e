/**
 * The Node-RED flow library's checker, `node-red-dev validate`, on the packed package as the library
 * receives it: it parses every node's editor file (registerType with an object literal), finds an
 * example flow for each, and scores the package. Offline: offline.js answers its network look-ups
 * from this machine (see there). Two checks stay unmet, for reasons the package cannot drop:
 *  - P07: the package needs Node 20.19 or later (the audio decoders are ES modules loaded with
 *    require()), while Node-RED 4 also runs on Node 18;
 *  - D01: seven runtime dependencies, one more than the library's six: the websocket client, Persian
 *    normalizing, four audio decoders, and the FLAC frame parser, which lib drives itself so that a
 *    file's last frame is never lost (multipart uploads are lib's own).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const { packedTarballCopy } = require('../../../scripts/pack');

jest.setTimeout(240_000);

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const FLOW_NODES = Object.keys(pkg['node-red'].nodes).filter((name) => !name.endsWith('-config'));
/** The checks the package does not meet, and why (see above). */
const UNMET = ['D01', 'P07'];

let work: string;
let scorecard: Record<string, any>;
let output: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'harf-node-red-dev-'));
  const unpacked = path.join(work, 'package');
  fs.mkdirSync(unpacked);
  const untar = spawnSync('tar', ['-xzf', packedTarballCopy(), '-C', unpacked, '--strip-components=1'], { encoding: 'utf8' });
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  const scoreFile = path.join(work, 'scorecard.json');
  const bin = path.join(root, 'node_modules/node-red-dev/bin/run');
  const run = spawnSync(process.execPath, ['-r', path.join(__dirname, 'offline.js'), bin, 'validate', '-p', unpacked, '-o', scoreFile], {
    cwd: work,
    encoding: 'utf8',
    timeout: 120_000,
  });
  output = `${run.stdout}\n${run.stderr}`;
  if (run.status !== 0 || !fs.existsSync(scoreFile)) throw new Error(`node-red-dev validate failed (${run.status}):\n${output}`);
  scorecard = JSON.parse(fs.readFileSync(scoreFile, 'utf8'));
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

it('parses all nine editor files: none is left out', () => {
  expect(output).not.toContain('Unable to parse');
  // The nodes with an example are those it parsed, config nodes aside.
  expect([...scorecard.N02.nodes].sort()).toEqual([...FLOW_NODES].sort());
  expect(scorecard.N02.test).toBe(true);
  expect(scorecard.N01.test).toBe(true);
});

it('passes every check of the scorecard but the two the package cannot meet', () => {
  const checks = Object.keys(scorecard).filter((key) => /^[PND]\d\d$/.test(key));
  expect(checks).toEqual(expect.arrayContaining(['P01', 'P03', 'P04', 'P05', 'P06', 'P08', 'N01', 'N02', 'D02', 'D03', ...UNMET]));
  const failing = checks.filter((key) => scorecard[key].test !== true).sort();
  expect(failing).toEqual(UNMET);
  expect(scorecard.P06.versions.length).toBeGreaterThan(0);
  expect(scorecard.P07.version).toBe(pkg.engines.node);
  expect(scorecard.D01.total).toBe(Object.keys(pkg.dependencies).length);
});
