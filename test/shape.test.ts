/**
 * The shape of the whole repository, read from its sources: no import cycle anywhere, and no function
 * over 80 lines in lib/, nodes/ or sandbox/, so each piece stays small enough to read and to change.
 */
import * as path from 'node:path';
import { cyclesIn, importsOf, longFunctions, sourcesUnder } from './support/sources';

const MAX_FUNCTION_LINES = 80;
const everything = ['lib', 'nodes', 'credentials', 'sandbox', 'test'].flatMap(sourcesUnder);
const graph = new Map(everything.map((file) => [file, importsOf(file)]));

it('reads every source and its imports: the checks below see real edges', () => {
  expect(everything).toContain(path.join('sandbox', 'index.ts'));
  expect(everything).toContain(path.join('lib', 'http', 'requester.ts'));
  const edges = [...graph.values()].reduce((sum, uses) => sum + uses.filter((use) => use.target).length, 0);
  expect(edges).toBeGreaterThan(300);
});

it('no file anywhere is part of an import cycle (type-only imports included)', () => {
  expect(cyclesIn(everything, graph)).toEqual([]);
});

it.each(['lib', 'nodes', 'sandbox'])(`%s/ has no function over ${MAX_FUNCTION_LINES} lines`, (folder) => {
  expect(longFunctions(sourcesUnder(folder), MAX_FUNCTION_LINES)).toEqual([]);
});

it('the check finds a long function when there is one', () => {
  expect(longFunctions([path.join('test', 'support', 'sources.ts')], 5).length).toBeGreaterThan(0);
});
