/**
 * What loading the built package costs n8n and Node-RED at start-up, when no flow has run yet: the
 * modules each entry point loads in a fresh process, and the library's barrels, which load a module
 * on the first use of one of its names. Load times are measured by `npm run bench`, not here.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const dist = path.join(root, 'dist');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

// What only a running job needs: sending, uploads, live sessions, decoding and converting audio,
// transcripts' shaping and normalisation, AssemblyAI's client, and the libraries behind them.
const JOB_MODULES = [
  'lib/harf/client.js',
  'lib/harf/live.js',
  'lib/http/requester.js',
  'lib/http/multipart.js',
  'lib/audio/anyFormat.js',
  'lib/audio/decoders.js',
  'lib/audio/resampler.js',
  'lib/audio/kernels.js',
  'lib/transcript/normalize.js',
  'lib/transcript/subtitles.js',
  'lib/jobs/tasks.js',
  'lib/jobs/liveStreams.js',
  'lib/assemblyai/client.js',
];
const JOB_LIBRARIES = ['ws', 'codec-parser', 'ogg-opus-decoder', 'mpg123-decoder', '@wasm-audio-decoders', '@persian-tools'];

beforeAll(() => require('../../scripts/build').ensureBuilt({ quiet: true }), 300_000);

/** The package's modules and the libraries a fresh process holds after running `script` (after `host`, which the runtime loads). */
function loadedBy(script: string, host?: string): { modules: string[]; libraries: string[] } {
  const probe =
    `${host ? `require(${JSON.stringify(host)});` : ''}const before = new Set(Object.keys(require.cache));` +
    `${script};process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((file) => !before.has(file))));`;
  const files: string[] = JSON.parse(execFileSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8' }));
  const libraries = files
    .filter((file) => file.includes('/node_modules/'))
    .map((file) => file.split('/node_modules/').pop()!.split('/')[0]);
  return {
    modules: files.filter((file) => file.startsWith(dist)).map((file) => path.relative(dist, file)),
    libraries: [...new Set(libraries)],
  };
}

const requireOf = (file: string) => `require(${JSON.stringify(path.join(root, file))})`;

describe('loading the package at start-up', () => {
  const entryPoints: Array<[string, string, string | undefined]> = [
    ...pkg.n8n.nodes.map((file: string): [string, string, string] => [`n8n node ${path.basename(file)}`, file, 'n8n-workflow']),
    ...pkg.n8n.credentials.map((file: string): [string, string, string] => [`n8n credential ${path.basename(file)}`, file, 'n8n-workflow']),
    ...Object.entries(pkg['node-red'].nodes).map(([type, file]): [string, string, undefined] => [
      `Node-RED node ${type}`,
      file as string,
      undefined,
    ]),
  ];

  it.each(entryPoints)('%s loads none of what only a running job needs', (_name, file, host) => {
    const { modules, libraries } = loadedBy(requireOf(file), host);
    expect(modules).toContain(path.relative('dist', file));
    expect(modules.filter((module) => JOB_MODULES.includes(module))).toEqual([]);
    expect(libraries.filter((library) => JOB_LIBRARIES.includes(library))).toEqual([]);
  });

  it('the library loads its index alone, and a module on the first use of one of its names', () => {
    expect(loadedBy(requireOf('dist/lib/index.js')).modules).toEqual(['lib/index.js']);
    const { modules } = loadedBy(`${requireOf('dist/lib/index.js')}.toSrt`);
    expect(modules).toEqual(expect.arrayContaining(['lib/transcript/index.js', 'lib/transcript/subtitles.js']));
    expect(modules.filter((module) => module.startsWith('lib/audio/') || module.startsWith('lib/harf/'))).toEqual([]);
  });

  it('a job that sends media URLs loads neither the upload form, nor the audio decoders, nor the live session', () => {
    // The client is made and its sending prepared; nothing is sent (no job runs in this probe).
    const { modules, libraries } = loadedBy(
      `const lib = ${requireOf('dist/lib/index.js')}; new lib.HarfClient({ token: 't', baseUrl: 'http://127.0.0.1:9' }).transcribeUrls; lib.pollTasks`,
    );
    expect(modules).toEqual(expect.arrayContaining(['lib/harf/client.js', 'lib/jobs/tasks.js']));
    expect(
      modules.filter((module) => module.startsWith('lib/audio/') || ['lib/harf/live.js', 'lib/http/multipart.js'].includes(module)),
    ).toEqual([]);
    expect(libraries).toEqual([]);
  });
});

describe("the library's barrels", () => {
  it('give their names to ES modules too (import { … } from the package)', () => {
    const probe = `import { HarfClient, toSrt, SYNC_LIMITS } from ${JSON.stringify(path.join(dist, 'lib', 'index.js'))};
      process.stdout.write([typeof HarfClient, typeof toSrt, SYNC_LIMITS.maxSeconds].join(' '));`;
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: root, encoding: 'utf8' })).toBe(
      'function function 120',
    );
  });

  // ts-jest loads the sources eagerly: the names the built barrels expose must be theirs, each of the same kind.
  const barrels = ['lib', 'lib/harf', 'lib/assemblyai', 'lib/audio', 'lib/transcript', 'lib/jobs'];

  it.each(barrels)('%s exposes the names of its sources, each of the same kind', (barrel) => {
    const source = require(path.join(root, barrel)) as Record<string, unknown>;
    const built = require(path.join(dist, barrel)) as Record<string, unknown>;
    const names = (exports: Record<string, unknown>) =>
      Object.keys(exports)
        .filter((name) => name !== '__esModule')
        .sort();
    expect(names(built)).toEqual(names(source));
    for (const name of names(source)) expect([name, typeof built[name]]).toEqual([name, typeof source[name]]);
  });
});
