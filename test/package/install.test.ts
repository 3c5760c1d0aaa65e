/**
 * The package a user receives: the packed tarball's contents and package.json, and the tarball
 * installed with npm (11 here) into a fresh n8n folder (~/.n8n/nodes) and a fresh Node-RED user
 * directory, the way the README says, with npm's output read for any warning about this package.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { wav } from '../support/wav';

const { packedTarballCopy } = require('../../scripts/pack');

const PACKAGE_NAME = 'n8n-nodes-harf';
const root = path.resolve(__dirname, '..', '..');
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare'];

jest.setTimeout(600_000);

let tarball: string;
let files: string[];
let packed: Record<string, any>;

beforeAll(() => {
  tarball = packedTarballCopy();
  files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((entry) => entry.replace(/^package\//, ''));
  packed = JSON.parse(execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' }));
});

/** `npm install <tarball>` in `dir` as a user runs it; HOME is the fresh one, the npm cache the machine's. */
function npmInstallOutput(dir: string, home: string): string {
  const cache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, HOME: home, npm_config_cache: cache },
  });
  if (result.status !== 0) throw new Error(`npm install failed in ${dir}:\n${result.stdout}\n${result.stderr}`);
  return `${result.stdout}\n${result.stderr}`;
}

/** npm's warnings that name this package (an unapproved install script, a deprecated field, …). */
const warningsAboutPackage = (output: string) => output.split('\n').filter((line) => /\bwarn/i.test(line) && line.includes(PACKAGE_NAME));

describe('the packed package', () => {
  it('carries no install-time script, so npm asks no one to approve one', () => {
    const present = INSTALL_SCRIPTS.filter((name) => packed.scripts && name in packed.scripts);
    expect(present).toEqual([]);
  });

  it('says its license and repository, and ships the LICENSE and CHANGELOG', () => {
    expect(packed.license).toBe('MIT');
    expect(packed.repository).toMatchObject({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\/[^/]+\/[^/]+\.git$/) });
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'CHANGELOG.md', 'README.md']));
    expect(fs.readFileSync(path.join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it('has every README image either at an absolute URL of a file in the package, or in the package', () => {
    const readme = execFileSync('tar', ['-xOzf', tarball, 'package/README.md'], { encoding: 'utf8' });
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1]);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      const inPackage = image.startsWith('https://')
        ? image.replace(new RegExp(`^https://cdn\\.jsdelivr\\.net/npm/${PACKAGE_NAME}/`), '')
        : image;
      expect({ image, shipped: files.includes(inPackage) }).toEqual({ image, shipped: true });
    }
  });

  it('ships the Node-RED example flows directly in examples/, and no n8n workflow', () => {
    const examples = files.filter((file) => file.startsWith('examples/'));
    expect(examples.length).toBeGreaterThan(0);
    for (const file of examples) expect(file).toMatch(/^examples\/[^/]+\.json$/);
    for (const file of examples) {
      const flow = JSON.parse(execFileSync('tar', ['-xOzf', tarball, `package/${file}`], { encoding: 'utf8' }));
      expect(flow.some((node: { type: string }) => /^(harf|assemblyai)-/.test(node.type))).toBe(true);
    }
    expect(files.filter((file) => file.startsWith('n8n-workflows/'))).toEqual([]);
  });
});

describe('installed with npm into fresh n8n and Node-RED folders', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'harf-home-'));
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it(`npm ${execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim()} installs it into ~/.n8n/nodes without a warning about it`, () => {
    const dir = path.join(home, '.n8n', 'nodes');
    fs.mkdirSync(dir, { recursive: true });
    const output = npmInstallOutput(dir, home);
    expect(warningsAboutPackage(output)).toEqual([]);
    expect(output).not.toContain('install-scripts');
    expect(fs.existsSync(path.join(dir, 'node_modules', PACKAGE_NAME, 'dist', 'nodes', 'Harf', 'Harf.node.js'))).toBe(true);
  });

  it('converts audio where it is installed: the resampler finds its WebAssembly in the package', () => {
    const dir = path.join(home, '.n8n', 'nodes');
    const input = path.join(home, 'stereo-44k.wav');
    fs.writeFileSync(input, wav(44100, 2, 2));
    // Converted by the installed package in a process of its own, from the folder n8n loads it from.
    const convert = `require(${JSON.stringify(PACKAGE_NAME)}).convertAudioFile(process.argv[1], process.argv[2]).then((r) => console.log(JSON.stringify(r.info)))`;
    const output = path.join(home, 'converted.wav');
    const printed = execFileSync(process.execPath, ['-e', convert, input, output], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(printed)).toMatchObject({ sampleRate: 44100, channels: 2 });
    const converted = fs.readFileSync(output);
    expect({ rate: converted.readUInt32LE(24), channels: converted.readUInt16LE(22), bytes: converted.length }).toEqual({
      rate: 16000,
      channels: 1,
      bytes: 44 + 2 * 16000 * 2,
    });
  });

  it('installs it into a Node-RED user directory without a warning, and `npx harf-sandbox` starts the sandbox there', async () => {
    const dir = path.join(home, '.node-red');
    fs.mkdirSync(dir, { recursive: true });
    const output = npmInstallOutput(dir, home);
    expect(warningsAboutPackage(output)).toEqual([]);
    expect(output).not.toContain('install-scripts');

    // Its own process group: npx runs the bin through a shell, so only a signal to the group reaches the server.
    const sandbox = spawn('npx', ['harf-sandbox', '--port', '0'], {
      cwd: dir,
      env: { ...process.env, HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const exited = new Promise((resolve) => sandbox.once('exit', resolve));
    let printed = '';
    sandbox.stdout.on('data', (chunk) => (printed += chunk));
    sandbox.stderr.on('data', (chunk) => (printed += chunk));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`npx harf-sandbox printed no URL:\n${printed}`)), 60_000);
        sandbox.stdout.on('data', () => {
          const match = printed.match(/http:\/\/127\.0\.0\.1:\d+/);
          if (match) {
            clearTimeout(timer);
            resolve(match[0]);
          }
        });
        sandbox.once('exit', (code) => reject(new Error(`npx harf-sandbox exited with ${code}:\n${printed}`)));
      });
      const answer = await fetch(`${url}/api/transcribe_files/`, { method: 'POST' });
      expect(answer.status).toBe(401);
    } finally {
      process.kill(-(sandbox.pid as number), 'SIGTERM');
      await exited;
    }
  });
});
