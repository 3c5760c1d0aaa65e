/**
 * The editor side of each node as Node-RED loads it: the .html beside the node, help and labels in
 * locales/en-US and locales/fa, every i18n key used by a dialog present in both languages, and the
 * package.json entries pointing at the built files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const dir = path.join(root, 'nodes/node-red');
const NODES = [
  'harf-config',
  'harf-transcribe-urls',
  'harf-upload-file',
  'harf-check-status',
  'harf-live-stream',
  'harf-align-text',
  'assemblyai-config',
  'assemblyai-short-audio',
];
const LANGUAGES = ['en-US', 'fa'];

function lookup(catalog: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((at, part) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined), catalog);
}

it('package.json registers every node with its built file', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  expect(Object.keys(pkg['node-red'].nodes).sort()).toEqual([...NODES].sort());
  for (const name of NODES) {
    expect(pkg['node-red'].nodes[name]).toBe(`dist/nodes/node-red/${name}.js`);
    expect(fs.existsSync(path.join(dir, `${name}.ts`))).toBe(true);
  }
});

describe.each(NODES)('%s', (name) => {
  const editor = fs.readFileSync(path.join(dir, `${name}.html`), 'utf8');

  it('registers its type with a dialog template and a palette icon that exists', () => {
    expect(editor).toContain(`RED.nodes.registerType("${name}"`);
    expect(editor).toContain(`data-template-name="${name}"`);
    const icon = /icon: "([^"]+)"/.exec(editor)?.[1];
    if (name.endsWith('-config')) {
      expect(editor).toContain('category: "config"');
      expect(editor).toMatch(/credentials: \{\s*(token|apiKey): \{ type: "password" \}/);
    } else {
      expect(editor).toContain('category: "Harf"');
      expect(icon && fs.existsSync(path.join(dir, 'icons', icon))).toBe(true);
    }
  });

  it('has every i18n key of its dialog in English and Persian', () => {
    const keys = new Set<string>();
    for (const match of editor.matchAll(/data-i18n="(?:\[[a-z]+\])?([^"]+)"/g)) keys.add(match[1]);
    for (const match of editor.matchAll(/this\._\("([^"]+)"\)/g)) keys.add(match[1]);
    const own = [...keys].filter((key) => !key.startsWith('node-red:'));
    expect(own.length).toBeGreaterThan(0);
    for (const language of LANGUAGES) {
      const catalog = JSON.parse(fs.readFileSync(path.join(dir, 'locales', language, `${name}.json`), 'utf8'));
      const missing = own.filter((key) => typeof lookup(catalog, key) !== 'string');
      expect({ language, missing }).toEqual({ language, missing: [] });
    }
  });

  it('has help in English and right-to-left Persian describing message properties', () => {
    for (const language of LANGUAGES) {
      const help = fs.readFileSync(path.join(dir, 'locales', language, `${name}.html`), 'utf8');
      expect(help).toContain(`data-help-name="${name}"`);
      expect(help).toContain('class="message-properties"');
      if (language === 'fa') {
        expect(help).toContain('dir="rtl"');
        expect(help).toMatch(/[\u0600-\u06FF]{3,}/);
      }
    }
  });

  const hidesSubtitlesPerSegment = /row-subtitles"\)\.toggle\(\$\("#node-input-output"\)\.val\(\) !== "segment"\)/.test(editor);
  if (hidesSubtitlesPerSegment) {
    it('says in its help that subtitles come only in the modes whose dialog offers them', () => {
      for (const language of LANGUAGES) {
        const help = fs.readFileSync(path.join(dir, 'locales', language, `${name}.html`), 'utf8');
        const catalog = JSON.parse(fs.readFileSync(path.join(dir, 'locales', language, `${name}.json`), 'utf8'));
        const entry = /<dt class="optional">srt \/ vtt[^]*?<dd>([^]*?)<\/dd>/.exec(help)?.[1].replace(/\s+/g, ' ');
        expect({ language, entry }).toEqual({ language, entry: expect.stringContaining(`<i>${lookup(catalog, `${name}.output.segment`)}</i>`) });
        expect(entry).toContain(`<i>${lookup(catalog, `${name}.output.file`)}</i>`);
      }
    });
  }

  if (!name.endsWith('-config') && name !== 'harf-align-text') {
    it('offers the review split as a second output set when the dialog is saved', () => {
      expect(editor).toContain('id="node-input-splitUncertain"');
      expect(editor).toContain('outputs: { value: 1 }');
      expect(editor).toMatch(/oneditsave: function\(\) \{[\s\S]*this\.outputs = [\s\S]*\? 2 : 1;/);
    });
  }
});
