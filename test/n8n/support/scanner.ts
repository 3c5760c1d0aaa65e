/**
 * n8n's community-package scanner (`@n8n/scan-community-package`), installed once into the runtime
 * cache and run offline on a directory with its own `analyzePackage`. It is not a devDependency:
 * its tree has an install script that insists on pnpm (`eslint-plugin-n8n-nodes-base`) and a native
 * module (`isolated-vm`) that does not build on Node 20, so `npm install` of this package would fail.
 * Installed with scripts skipped, it runs: the rules need neither.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const { cacheDir, npmInstallOnce } = require('../../../scripts/runtimes/cache') as {
  cacheDir: (...parts: string[]) => string;
  npmInstallOnce: (dir: string, specs: string[], marker: string, extraArgs?: string[]) => void;
};

export const SCANNER_VERSION = '0.32.0';

/** One finding of the scanner: the file (relative to the scanned directory), the rule and its message. */
export interface Finding {
  file: string;
  rule: string;
  message: string;
}

function scannerDir(): string {
  const dir = cacheDir(`scan-community-package-${SCANNER_VERSION}`);
  const marker = path.join('node_modules', '@n8n', 'scan-community-package', 'scanner', 'scanner.mjs');
  npmInstallOnce(dir, [`@n8n/scan-community-package@${SCANNER_VERSION}`], marker, ['--ignore-scripts']);
  return dir;
}

// Runs analyzePackage with the scanner's own file patterns for a source checkout, and prints its report.
const SCRIPT = `
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import('@n8n/scan-community-package/scanner/scanner.mjs');
const result = await analyzePackage(process.argv[1], SOURCE_FILE_PATTERNS);
process.stdout.write(JSON.stringify({ passed: result.passed, message: result.message, details: result.details ?? '' }));
`;

/** Runs the scanner on `packageDir` and returns whether it passed and every finding it reported. */
export function scanPackage(packageDir: string): { passed: boolean; message?: string; findings: Finding[] } {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT, packageDir], {
    cwd: scannerDir(),
    // Jest sets NODE_ENV=test, under which eslint-plugin-n8n-nodes-base runs rules its own tests need.
    env: { ...process.env, NODE_ENV: 'production' },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const result = JSON.parse(output) as { passed: boolean; message?: string; details: string };
  return { passed: result.passed, message: result.message, findings: parseStylish(result.details, packageDir) };
}

/** The findings of ESLint's stylish report: a file's path on its own line, then `line:col  error  message  rule`. */
function parseStylish(report: string, packageDir: string): Finding[] {
  const findings: Finding[] = [];
  let file = '';
  // eslint-disable-next-line no-control-regex
  for (const line of report.replace(/\u001b\[[0-9;]*m/g, '').split('\n')) {
    if (line.startsWith('/')) file = path.relative(packageDir, line.trim());
    const match = /^\s+\d+:\d+\s+(?:error|warning)\s+(.*?)\s{2,}(\S+)\s*$/.exec(line);
    if (match && file) findings.push({ file, rule: match[2], message: match[1] });
  }
  return findings;
}
