// The audio decoders ship as ES modules; Jest's CommonJS runtime needs them compiled (Node loads them as they are).
const ESM_PACKAGES = [
  'ogg-opus-decoder',
  'opus-decoder',
  'mpg123-decoder',
  '@wasm-audio-decoders',
  'codec-parser',
  '@eshaz',
  'simple-yenc',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
    [`/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022' }, isolatedModules: true },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
