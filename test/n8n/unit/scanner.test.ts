import * as path from 'node:path';

import { scanPackage, SCANNER_VERSION } from '../support/scanner';

const root = path.resolve(__dirname, '..', '..', '..');

// n8n's scanner lints a package's source before it may be verified. The one rule this package
// breaks by necessity is the one against runtime dependencies: the live stream needs a websocket
// client (`ws`), uploads of any size a streamed multipart body (`form-data`), short audio the audio
// decoders, and Persian text its normaliser. Such a package runs on self-hosted n8n, not n8n Cloud.
describe(`n8n's community-package scanner ${SCANNER_VERSION}`, () => {
  it('finds nothing in the n8n nodes and credentials, and only the runtime dependencies in package.json', () => {
    const { findings } = scanPackage(root);
    const n8nFiles = findings.filter((finding) => /^(nodes\/(Harf|AssemblyAi|shared)|credentials)\//.test(finding.file));
    expect(n8nFiles).toEqual([]);
    const manifest = findings.filter((finding) => finding.file === 'package.json');
    expect(manifest.map((finding) => finding.rule)).toEqual(['@n8n/community-nodes/no-runtime-dependencies']);
  }, 600_000);
});
