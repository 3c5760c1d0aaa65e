/**
 * The direction of dependencies, read from the sources' own import statements:
 * errors ← settings ← foundations (http, audio, transcript) ← services (harf, assemblyai) ← jobs ← the package entry,
 * and lib ← adapters. A service may not lean on another service, a foundation on a service, lib on
 * a runtime, and no file may take part in an import cycle.
 */
import * as path from 'node:path';
import { cyclesIn, importsOf, sourcesUnder, type Import } from '../support/sources';

function unresolvedIn(graph: Map<string, Import[]>): string[] {
  return [...graph].flatMap(([file, uses]) => uses.filter((use) => use.unresolved).map((use) => `${file} → ${use.module}`));
}

/** The part of lib a file belongs to: its folder under lib/, or the file itself at lib's top. */
function libPart(file: string): string | undefined {
  const parts = file.split(path.sep);
  if (parts[0] !== 'lib') return undefined;
  return parts.length > 2 ? parts[1] : parts[1].replace(/\.ts$/, '');
}

// Lower ranks are imported by higher ones, never the other way; parts of one rank import only themselves.
const RANK: Record<string, number> = {
  errors: 0,
  settings: 0.5,
  http: 1,
  audio: 1,
  transcript: 1,
  harf: 2,
  assemblyai: 2,
  jobs: 3,
  index: 9,
};

const libFiles = sourcesUnder('lib');
const graph = new Map(libFiles.map((file) => [file, importsOf(file)]));

describe('lib dependencies', () => {
  it('reads the sources and their imports: the checks below see real edges', () => {
    expect(libFiles.length).toBeGreaterThan(20);
    const edges = [...graph.values()].reduce((sum, uses) => sum + uses.filter((use) => use.target).length, 0);
    expect(edges).toBeGreaterThan(50);
    expect(graph.get(path.join('lib', 'jobs', 'tasks.ts'))?.map((use) => use.target)).toContain(path.join('lib', 'harf', 'client.ts'));
  });

  it('every relative import names a source file', () => {
    expect(unresolvedIn(graph)).toEqual([]);
  });

  it('every part of lib has a place in the layers', () => {
    const unknown = [...new Set(libFiles.map(libPart))].filter((part) => part === undefined || !(part in RANK));
    expect(unknown).toEqual([]);
  });

  it.each(['transcript', 'audio', 'http', 'assemblyai'])('lib/%s imports nothing of lib/harf', (part) => {
    const offending = libFiles
      .filter((file) => libPart(file) === part)
      .flatMap((file) =>
        graph
          .get(file)!
          .filter((use) => use.target && libPart(use.target) === 'harf')
          .map((use) => `${file} → ${use.module}`),
      );
    expect(offending).toEqual([]);
  });

  it('imports only point down the layers', () => {
    const offending: string[] = [];
    for (const [file, uses] of graph) {
      const from = libPart(file)!;
      for (const use of uses) {
        if (!use.target) continue;
        const to = libPart(use.target);
        if (to === undefined) offending.push(`${file} → ${use.module} (outside lib)`);
        else if (to !== from && RANK[to] >= RANK[from]) offending.push(`${file} (${from}) → ${use.module} (${to})`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('imports no runtime: lib runs without n8n or Node-RED', () => {
    const offending = [...graph].flatMap(([file, uses]) =>
      uses.filter((use) => /^(n8n-|node-red|@node-red)/.test(use.module)).map((use) => `${file} → ${use.module}`),
    );
    expect(offending).toEqual([]);
  });

  it('no file of lib is part of an import cycle', () => {
    expect(cyclesIn(libFiles, graph)).toEqual([]);
  });
});

describe('adapter dependencies', () => {
  const adapterFiles = [...sourcesUnder('nodes'), ...sourcesUnder('credentials')];
  const adapterGraph = new Map(adapterFiles.map((file) => [file, importsOf(file)]));

  it('reads the adapters and their imports', () => {
    expect(adapterFiles.length).toBeGreaterThan(20);
    expect(
      adapterGraph
        .get(path.join('nodes', 'Harf', 'Harf.node.ts'))
        ?.some((use) => use.target?.startsWith(path.join('nodes', 'Harf', 'actions'))),
    ).toBe(true);
  });

  it('every relative import of an adapter names a source file', () => {
    expect(unresolvedIn(adapterGraph)).toEqual([]);
  });

  it('no adapter file is part of an import cycle', () => {
    expect(cyclesIn(adapterFiles, adapterGraph)).toEqual([]);
  });

  it('the n8n nodes and the Node-RED nodes do not import each other', () => {
    const offending = adapterFiles.flatMap((file) => {
      const nodeRed = file.startsWith(path.join('nodes', 'node-red'));
      return importsOf(file)
        .filter((use) => use.target && use.target.startsWith('nodes') && use.target.startsWith(path.join('nodes', 'node-red')) !== nodeRed)
        .map((use) => `${file} → ${use.module}`);
    });
    expect(offending).toEqual([]);
  });

  it('lib imports no adapter', () => {
    const offending = [...graph].flatMap(([file, uses]) =>
      uses.filter((use) => use.target && /^(nodes|credentials)/.test(use.target)).map((use) => `${file} → ${use.module}`),
    );
    expect(offending).toEqual([]);
  });
});
