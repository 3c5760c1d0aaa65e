// n8n's community-node rules for the n8n side of the package: the credentials, the Harf and
// AssemblyAI nodes with the kit they share (nodes/shared), and the package.json n8n reads. The Node-RED nodes, lib/, the sandbox and the
// tests follow other conventions and are not linted here. Run: `npx eslint` (no arguments).
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tsParser from '@typescript-eslint/parser';
import { globalIgnores } from 'eslint/config';

const community = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

export default [
  globalIgnores([
    '**/*',
    '!credentials/',
    '!credentials/**/',
    '!credentials/**/*.ts',
    '!nodes/',
    '!nodes/Harf/',
    '!nodes/Harf/**/',
    '!nodes/Harf/**/*.ts',
    '!nodes/AssemblyAi/',
    '!nodes/AssemblyAi/**/',
    '!nodes/AssemblyAi/**/*.ts',
    '!nodes/shared/',
    '!nodes/shared/**/',
    '!nodes/shared/**/*.ts',
    '!package.json',
  ]),
  {
    files: ['credentials/**/*.ts', 'nodes/Harf/**/*.ts', 'nodes/AssemblyAi/**/*.ts', 'nodes/shared/**/*.ts'],
    languageOptions: { parser: tsParser, sourceType: 'module' },
    ...community,
  },
  {
    // The package.json rules read the manifest as a JavaScript object expression.
    files: ['package.json'],
    languageOptions: { parser: tsParser, parserOptions: { extraFileExtensions: ['.json'] } },
    ...community,
  },
  {
    files: ['package.json'],
    rules: {
      // The live stream needs a websocket client (`ws`), and uploads of any size need streamed
      // multipart (`form-data`); n8n's request helpers offer neither. Persian text is normalised with
      // `@persian-tools/persian-tools` rather than hand-written rules. n8n installs a community
      // package's dependencies beside it, so these are runtime dependencies by necessity.
      '@n8n/community-nodes/no-runtime-dependencies': 'off',
      // `prepare` builds the package from a git checkout, which the Node-RED palette manager and
      // `npm install <git url>` rely on. n8n installs from the registry tarball, which already holds
      // dist/ and runs no scripts (it installs with --ignore-scripts), so `prepare` never runs there.
      '@n8n/community-nodes/no-forbidden-lifecycle-scripts': 'off',
    },
  },
];
