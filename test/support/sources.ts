/** The repository's TypeScript sources read as a test reads them: files, their imports, cycles, long functions. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

export const root = path.resolve(__dirname, '..', '..');

export function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourcesUnder(relative));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(relative);
  }
  return out;
}

export interface Import {
  module: string;
  /** The repository file a relative import names. */
  target?: string;
  /** A relative import that names no source file: reported, never dropped from the checks. */
  unresolved?: boolean;
}

/** Each import of a file (type-only ones included): the module as written, and the repository file it names. */
export function importsOf(file: string): Import[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName: module }) => {
    if (!module.startsWith('.')) return { module };
    const base = path.join(path.dirname(file), module);
    const target = [`${base}.ts`, path.join(base, 'index.ts'), base.endsWith('.json') ? base : undefined]
      .filter((candidate): candidate is string => candidate !== undefined)
      .find((candidate) => fs.existsSync(path.join(root, candidate)));
    return target ? { module, target } : { module, unresolved: true };
  });
}

/** The import cycles among `files`, each as "a → b → a". */
export function cyclesIn(files: string[], graph: Map<string, Import[]>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
      return;
    }
    state.set(file, 'visiting');
    for (const use of graph.get(file) ?? []) if (use.target && graph.has(use.target)) visit(use.target, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of files) visit(file, []);
  return cycles;
}

/** Every function (declarations, methods, arrows) of `files` longer than `limit` lines, as "file:line name (N lines)". */
export function longFunctions(files: string[], limit: number): string[] {
  const found: string[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        const name = node.name?.getText(source) ?? '(anonymous)';
        if (end - start + 1 > limit) found.push(`${file}:${start + 1} ${name} (${end - start + 1} lines)`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
