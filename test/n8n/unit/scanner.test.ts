import * as path from 'node:path';

import { scanPackage, SCANNER_VERSION } from '../support/scanner';

const root = path.resolve(__dirname, '..', '..', '..');

// n8n's scanner lints a package's source before it may be verified for n8n Cloud. The one rule this
// package breaks by necessity is the one against runtime dependencies: the live stream needs a websocket
// client (`ws`), voice notes, MP3 and FLAC the audio decoders, and Persian text its normaliser. Such a
// package runs on self-hosted n8n, not n8n Cloud.
describe(`n8n's community-package scanner ${SCANNER_VERSION}`, () => {
  it('finds nothing in the source (n8n and Node-RED nodes, credentials) but the runtime dependencies in package.json', () => {
    const { findings } = scanPackage(root);
    expect(findings.map(({ file, rule }) => ({ file, rule }))).toEqual([
      { file: 'package.json', rule: '@n8n/community-nodes/no-runtime-dependencies' },
    ]);
  }, 600_000);
});
