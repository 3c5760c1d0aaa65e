// One lint for the whole repository: typescript-eslint's recommended rules over every TypeScript
// file (lib, nodes, credentials, sandbox, tests), ESLint's recommended rules over the JavaScript
// (scripts, the build, the Node-RED editor script), n8n's community-node rules on the n8n side, and
// Prettier's formatting (eslint-config-prettier turns off the rules Prettier decides). Run: `npm run lint`.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const community = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;
const n8nFiles = ['credentials/**/*.ts', 'nodes/Harf/**/*.ts', 'nodes/AssemblyAi/**/*.ts', 'nodes/shared/**/*.ts'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.runtime/**',
      'coverage/**',
      'test/fixtures/**',
      'test/artifacts/**',
      'docs/**',
      'resources/harf-settings.js',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: {
      // `_name` marks a parameter or binding kept for its position or to leave it out of a rest.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Node-RED loads its nodes as CommonJS modules (`export =`); tests load them as Node-RED does.
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
    },
  },
  {
    // Tests read answers and messages of whatever shape a runtime gives, and load the project's scripts (CommonJS).
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Node-RED's own nodes keep `const node = this` for the callbacks registered on the node.
    files: ['nodes/node-red/**/*.ts'],
    rules: { '@typescript-eslint/no-this-alias': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node, sourceType: 'commonjs' },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
  {
    // The Node-RED editor's script runs in the browser beside jQuery and the editor's RED.
    files: ['resources/**/*.js'],
    languageOptions: { globals: { ...globals.browser, RED: 'readonly', $: 'readonly', HarfSettings: 'readonly' }, sourceType: 'script' },
  },
  { files: n8nFiles, ...community },
  {
    // The package.json rules read the manifest as a JavaScript object expression.
    files: ['package.json'],
    languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
    ...community,
  },
  {
    files: ['package.json'],
    rules: {
      // The live stream needs a websocket client (`ws`); Persian text is normalised with
      // `@persian-tools/persian-tools` rather than hand-written rules; compressed audio is decoded with
      // the `wasm-audio-decoders` family. n8n installs a community package's dependencies beside it, so
      // these are runtime dependencies by necessity.
      '@n8n/community-nodes/no-runtime-dependencies': 'off',
      // `prepare` builds the package from a git checkout, which the Node-RED palette manager and
      // `npm install <git url>` rely on. n8n installs from the registry tarball, which already holds
      // dist/ and runs no scripts (it installs with --ignore-scripts), so `prepare` never runs there.
      '@n8n/community-nodes/no-forbidden-lifecycle-scripts': 'off',
    },
  },
  prettier,
);
