/**
 * The Node-RED help as the package ships it: assembled by the build from each node's help and the
 * sections the nodes share (written once per language), with lib's limits filled in.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SYNC_LIMITS } from '../../../lib/assemblyai';
import { AUDIO_KIND_NAMES } from '../../../lib/audio/detect';
import { SETTINGS } from '../../../lib/jobs';
import { assembleHelp, HELP_LANGUAGES, HELP_SOURCE_DIR, readSections, SHARED_HELP_DIR } from '../../../nodes/node-red/help';

const { builtHelp } = require('../../../scripts/node-red-help') as {
  builtHelp: (root: string) => Array<{ language: string; node: string; file: string; text: string }>;
};

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const NODES = Object.keys(pkg['node-red'].nodes) as string[];
const FLOW_NODES = NODES.filter((name) => !name.endsWith('-config'));
const BUILT = builtHelp(root);

function sections(language: string): Map<string, string> {
  const file = path.join(SHARED_HELP_DIR, `${language}.html`);
  return readSections(fs.readFileSync(path.join(root, file), 'utf8'), file);
}

/** A section's text without its markup and spacing, to find it wherever it is written. */
function words(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe.each(HELP_LANGUAGES)('help in %s', (language) => {
  const shared = sections(language);
  /** A shared section as it reads in the built help. */
  const section = (name: string) => assembleHelp(shared.get(name)!.trimEnd(), shared, `section ${name}`, language);
  const built = (name: string) => BUILT.find((entry) => entry.language === language && entry.node === name)!.text;

  it("the package ships every node's help as the build assembles it", () => {
    expect(
      BUILT.filter((entry) => entry.language === language)
        .map((entry) => entry.node)
        .sort(),
    ).toEqual([...NODES].sort());
    for (const name of NODES) {
      // Written by `npm run build`, which every test run starts with.
      const shipped = fs.readFileSync(path.join(root, 'dist', HELP_SOURCE_DIR, language, `${name}.html`), 'utf8');
      expect({ name, same: shipped === built(name) }).toEqual({ name, same: true });
      expect(shipped).not.toMatch(/<!-- include:|\{\{/);
      expect(shipped).toContain(`data-help-name="${name}"`);
    }
  });

  it("the dialogs' words ship with lib's limits put in, the AssemblyAI node's durations among them", () => {
    const digits = (value: number) => (language === 'fa' ? value.toLocaleString('fa-IR', { useGrouping: false }) : String(value));
    for (const name of NODES) {
      const shipped = fs.readFileSync(path.join(root, 'dist', HELP_SOURCE_DIR, language, `${name}.json`), 'utf8');
      expect({ name, placeholders: /\{\{/.test(shipped) }).toEqual({ name, placeholders: false });
    }
    const words = JSON.parse(fs.readFileSync(path.join(root, 'dist', HELP_SOURCE_DIR, language, 'assemblyai-short-audio.json'), 'utf8'));
    const endpoints = JSON.stringify(words);
    expect(endpoints).toContain(digits(SYNC_LIMITS.maxSeconds));
    expect(endpoints).toContain(digits(SETTINGS.assemblyAi.legacyMaxSeconds));
    const source = fs.readFileSync(path.join(root, HELP_SOURCE_DIR, language, 'assemblyai-short-audio.json'), 'utf8');
    expect(source).toContain('{{sync.maxSeconds}}');
  });

  it("each node's first paragraph stands alone, as the palette's tooltip shows it", () => {
    for (const name of NODES) {
      const first = words(/<p>([^]*?)<\/p>/.exec(built(name))![1]);
      expect({ name, first }).toEqual({ name, first: expect.stringMatching(/^\S.{30,}[.)]$/) });
    }
  });

  it('the AssemblyAI account names the node that uses it as the palette labels it', () => {
    const catalog = JSON.parse(fs.readFileSync(path.join(root, 'nodes/node-red/locales', language, 'assemblyai-short-audio.json'), 'utf8'));
    const first = /<p>([^]*?)<\/p>/.exec(built('assemblyai-config'))![1];
    expect(first).toContain(`<i>${catalog['assemblyai-short-audio'].paletteLabel}</i>`);
    expect(first).not.toMatch(/short audio|صدای کوتاه/);
  });

  it("every flow node's help says what a failing message carries", () => {
    const errors = section('errors');
    for (const name of FLOW_NODES) {
      const text = built(name);
      expect({ name, errors: text.includes(errors) }).toEqual({ name, errors: true });
      for (const property of ['statusCode', 'errorKind', 'requestId']) expect(text).toContain(`${property} <span class="property-type"`);
    }
  });

  it('the nodes that send transcripts describe them with the shared sections', () => {
    for (const name of ['harf-transcribe-urls', 'harf-check-status', 'harf-upload-file', 'assemblyai-short-audio']) {
      for (const shown of ['transcript-payload', 'subtitles', 'review-output']) {
        expect({ name, shown, found: built(name).includes(section(shown)) }).toEqual({ name, shown, found: true });
      }
    }
  });

  it("each shared section is written once: in help/, in no node's own help", () => {
    const dir = path.join(root, HELP_SOURCE_DIR, language);
    const sources = fs.readdirSync(dir).filter((file) => file.endsWith('.html'));
    for (const [name, text] of shared) {
      // The section's longest sentence, which only a copy of it would repeat.
      const sentence = words(text)
        .split(/(?<=[.:؛])\s/)
        .sort((a, b) => b.length - a.length)[0];
      expect(sentence.length).toBeGreaterThan(40);
      const copies = sources.filter((file) => words(fs.readFileSync(path.join(dir, file), 'utf8')).includes(sentence));
      expect({ name, copies }).toEqual({ name, copies: [] });
    }
  });

  it("states lib's limits, not numbers typed into the help", () => {
    const assemblyAi = built('assemblyai-short-audio');
    const number = (value: number) => (language === 'fa' ? String(value).replace(/[0-9]/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]) : String(value));
    expect(assemblyAi).toContain(number(SYNC_LIMITS.maxSeconds));
    expect(assemblyAi).toContain(number(SETTINGS.assemblyAi.legacyMaxSeconds));
    expect(built('harf-live-stream')).toContain(number(SETTINGS.live.idleTimeout.default));
    // The stale words of an earlier release.
    expect(assemblyAi).not.toMatch(/short WAV|WAV under|Transcribes short audio|صدای کوتاه را/);
    expect(built('harf-live-stream')).not.toMatch(/WAV stream\b|جریان WAV/);
  });

  it('the nodes that decode audio name every format lib decodes', () => {
    for (const name of ['assemblyai-short-audio', 'harf-live-stream']) {
      const text = built(name);
      for (const format of Object.values(AUDIO_KIND_NAMES))
        expect({ name, format, named: text.includes(format) }).toEqual({ name, format, named: true });
    }
  });
});

it("in right-to-left help a property's type stands apart from its name", () => {
  const text = BUILT.find((entry) => entry.language === 'fa' && entry.node === 'harf-transcribe-urls')!.text;
  expect(text).toContain('<dt>payload <span class="property-type" style="float:left">string | array</span></dt>');
  expect(text).not.toContain('<span class="property-type">');
});

it('names what it cannot assemble: an unknown section or value', () => {
  const shared = new Map([['errors', '<p>Errors</p>\n']]);
  expect(assembleHelp('<!-- include: errors -->', shared, 'x.html', 'en-US')).toBe('<p>Errors</p>');
  const assemble = (source: string) => () => assembleHelp(source, shared, 'x.html', 'en-US');
  expect(assemble('<!-- include: output -->')).toThrow('x.html: includes "output", which help/en-US.html does not define');
  expect(assemble('{{sync.seconds}}')).toThrow(/x\.html: \{\{sync\.seconds\}\} is not a value the help knows/);
  expect(assembleHelp('{{assemblyAi.uncertainBelow}}', shared, 'x.html', 'en-US')).toBe(String(SETTINGS.assemblyAi.uncertainBelow.default));
  // Persian digits and decimal separator in the Persian help: 0.5 is ۰٫۵.
  expect(assembleHelp('{{assemblyAi.uncertainBelow}}', shared, 'x.html', 'fa')).toMatch(/^[۰-۹]+(٫[۰-۹]+)?$/);
});
