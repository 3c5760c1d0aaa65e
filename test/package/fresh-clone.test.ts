/**
 * The README's Quick start, run as written in a fresh clone of this commit: `npm install`, then
 * `npm run demo`. The install needs no build step of its own (the package has no install script),
 * the demo builds what it needs, and afterwards `git status` is clean: npm left the lock file as
 * committed and everything the commands wrote is ignored.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

jest.setTimeout(20 * 60_000);

let clone: string;
let parent: string;

/** Runs a README command in the clone; the npm cache is the machine's, so packages come from it. */
function readmeCommand(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, {
    cwd: clone,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      npm_config_prefer_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      // The demo uses the sandbox, not a real account the caller may have set.
      HARF_TOKEN: '',
      HARF_PACKED_TARBALL: '',
      FORCE_COLOR: '0',
    },
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

const gitStatus = () => execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: clone, encoding: 'utf8' });

beforeAll(() => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'harf-clone-'));
  clone = path.join(parent, 'n8n-nodes-harf');
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  execFileSync('git', ['clone', '--quiet', '--no-checkout', root, clone]);
  execFileSync('git', ['checkout', '--quiet', commit], { cwd: clone });
});

afterAll(() => {
  if (parent) fs.rmSync(parent, { recursive: true, force: true });
});

describe('Quick start in a fresh clone', () => {
  it('`npm install` installs without building and leaves git status clean (the lock file unchanged)', () => {
    const install = readmeCommand('npm', ['install']);
    expect({ status: install.status, tail: install.status === 0 ? '' : install.output.slice(-3000) }).toEqual({ status: 0, tail: '' });
    expect(gitStatus()).toBe('');
    expect(fs.existsSync(path.join(clone, 'dist'))).toBe(false);
  });

  it('`npm run demo` builds the package, transcribes the two episodes and says where the SRT files are', () => {
    const demo = readmeCommand('npm', ['run', 'demo']);
    expect({ status: demo.status, tail: demo.status === 0 ? '' : demo.output.slice(-3000) }).toEqual({ status: 0, tail: '' });
    expect(demo.output).toContain('Building the package');
    expect(demo.output).toContain('SRT subtitles written to');
    for (const episode of ['episode-41', 'episode-42']) {
      const srt = path.join('.runtime', 'demo', 'files', 'harf-transcripts', `${episode}.srt`);
      expect(demo.output).toContain(srt);
      expect(fs.readFileSync(path.join(clone, srt), 'utf8')).toMatch(/^1\r?\n\d\d:\d\d:\d\d,\d{3} --> /);
    }
    expect(fs.existsSync(path.join(clone, 'dist', 'nodes', 'node-red', 'harf-transcribe-urls.js'))).toBe(true);
    expect(gitStatus()).toBe('');
  });

  it('`npm run sandbox` starts on the fresh build without building again', async () => {
    // Its own process group, so the sandbox under npm and sh is stopped with it.
    const sandbox = spawn('npm', ['run', 'sandbox', '--', '--port', '0'], {
      cwd: clone,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    sandbox.stdout.on('data', (chunk) => (output += chunk));
    sandbox.stderr.on('data', (chunk) => (output += chunk));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`npm run sandbox printed no URL:\n${output}`)), 60_000);
        sandbox.stdout.on('data', () => {
          if (/http:\/\/127\.0\.0\.1:\d+/.test(output)) {
            clearTimeout(timer);
            resolve();
          }
        });
        sandbox.once('exit', (code) => reject(new Error(`npm run sandbox exited with ${code}:\n${output}`)));
      });
      expect(output).not.toContain('Building the package');
    } finally {
      process.kill(-sandbox.pid!, 'SIGTERM');
    }
  });
});
