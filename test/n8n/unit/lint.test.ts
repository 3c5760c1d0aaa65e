/**
 * n8n's community-node lint rules (eslint.config.mjs) over the n8n side of the package: the
 * credentials, the Harf and AssemblyAI nodes and package.json; not the Node-RED nodes, which the
 * repository's lint covers with the general rules only.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const eslintBin = path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');

interface LintResult {
  filePath: string;
  errorCount: number;
  warningCount: number;
  messages: Array<{ ruleId: string | null; severity: number; message: string; line: number; column: number }>;
}

function eslint(args: string[], input?: string): { status: number | null; results: LintResult[]; stderr: string } {
  const run = spawnSync(process.execPath, [eslintBin, '--format', 'json', ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  let results: LintResult[] = [];
  try {
    results = JSON.parse(run.stdout) as LintResult[];
  } catch {
    throw new Error(`eslint printed no JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  return { status: run.status, results, stderr: run.stderr };
}

function filesUnder(dir: string, suffix: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(suffix))
    .map((name) => path.join(dir, name));
}

function describeProblems(results: LintResult[]): string {
  return results
    .flatMap((result) =>
      result.messages.map(
        (message) =>
          `${path.relative(root, result.filePath)}:${message.line}:${message.column} ${message.severity === 2 ? 'error' : 'warning'} ${message.ruleId}: ${message.message}`,
      ),
    )
    .join('\n');
}

describe("n8n's community-node lint rules", () => {
  jest.setTimeout(120_000);

  test('the credentials, the Harf and AssemblyAI nodes, their shared kit and package.json pass with no error and no warning', () => {
    const { status, results } = eslint(['credentials', 'nodes/Harf', 'nodes/AssemblyAi', 'nodes/shared', 'package.json']);
    const linted = results.map((result) => path.relative(root, result.filePath)).sort();
    const expected = [
      ...filesUnder('credentials', '.ts'),
      ...filesUnder('nodes/Harf', '.ts'),
      ...filesUnder('nodes/AssemblyAi', '.ts'),
      ...filesUnder('nodes/shared', '.ts'),
      'package.json',
    ].sort();
    expect(linted).toEqual(expected);
    // n8n's rules are in force on the n8n side only.
    const n8nRules = (file: string) => {
      const config = spawnSync(process.execPath, [eslintBin, '--print-config', file], { cwd: root, encoding: 'utf8' });
      return Object.keys((JSON.parse(config.stdout) as { rules: Record<string, unknown> }).rules).filter((rule) =>
        rule.startsWith('@n8n/'),
      );
    };
    expect(n8nRules(path.join('nodes', 'Harf', 'Harf.node.ts')).length).toBeGreaterThan(10);
    expect(n8nRules(path.join('nodes', 'node-red', 'harf-config.ts'))).toEqual([]);
    expect(describeProblems(results)).toBe('');
    expect(status).toBe(0);
  });

  test('the rules are in force: a credential without a test or a password field is refused', () => {
    const credential = [
      "import type { ICredentialType, INodeProperties } from 'n8n-workflow';",
      'export class LeakyApi implements ICredentialType {',
      "  name = 'leakyApi';",
      "  displayName = 'Leaky API';",
      "  documentationUrl = 'https://example.org/docs';",
      "  icon = 'file:../icons/harf.svg' as const;",
      "  properties: INodeProperties[] = [{ displayName: 'API Key', name: 'apiKey', type: 'string', default: '' }];",
      '}',
    ].join('\n');
    const { status, results } = eslint(['--stdin', '--stdin-filename', 'credentials/LeakyApi.credentials.ts'], credential);
    const rules = results.flatMap((result) => result.messages.map((message) => message.ruleId));
    expect(rules).toEqual(
      expect.arrayContaining(['@n8n/community-nodes/credential-test-required', '@n8n/community-nodes/credential-password-field']),
    );
    expect(status).toBe(1);
  });
});
