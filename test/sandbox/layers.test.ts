/**
 * The sandbox's shape, read from its sources: no import cycle among its files (type-only imports
 * included), and no function longer than 80 lines, so a route or a fault is added beside the others.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..', '..');
const folder = path.join(root, 'sandbox');
const MAX_FUNCTION_LINES = 80;

const files = fs
  .readdirSync(folder, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
  .map((name) => path.join('sandbox', name));

/** The sandbox files a file imports (relative imports only). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  return ts.preProcessFile(text, true, true).importedFiles.flatMap(({ fileName }) => {
    if (!fileName.startsWith('.')) return [];
    const base = path.join(path.dirname(file), fileName);
    return [`${base}.ts`, path.join(base, 'index.ts')].filter((candidate) => files.includes(candidate)).slice(0, 1);
  });
}

function cycles(): string[] {
  const graph = new Map(files.map((file) => [file, importsOf(file)]));
  const found: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (file: string, trail: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      found.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
      return;
    }
    state.set(file, 'visiting');
    for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of files) visit(file, []);
  return found;
}

/** Every function (declarations, methods, arrows) longer than the limit, as "file:line name (N lines)". */
function longFunctions(): string[] {
  const found: string[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        const name = node.name?.getText(source) ?? '(anonymous)';
        if (end - start + 1 > MAX_FUNCTION_LINES) found.push(`${file}:${start + 1} ${name} (${end - start + 1} lines)`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('the sandbox sources', () => {
  it('are read, with their imports', () => {
    expect(files).toContain(path.join('sandbox', 'index.ts'));
    expect(importsOf(path.join('sandbox', 'index.ts')).length).toBeGreaterThan(3);
  });

  it('import each other without a cycle', () => {
    expect(cycles()).toEqual([]);
  });

  it(`have no function over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(longFunctions()).toEqual([]);
  });
});
