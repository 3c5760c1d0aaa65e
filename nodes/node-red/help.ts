/**
 * The Node-RED help, assembled by the build. A node's help in locales/<language>/<node>.html names
 * the sections it shares with the other nodes (`<!-- include: errors -->`), each written once per
 * language in help/<language>.html, and the limits it states (`{{sync.maxSeconds}}`) come from lib,
 * so the help says what the runtime does. The build writes the result beside the built nodes, where
 * Node-RED looks for it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SYNC_LIMITS } from '../../lib/assemblyai';
import { SETTINGS } from '../../lib/jobs';
import { MAX_CUE_LINES, MAX_LINE_LENGTH } from '../../lib/transcript/cues';

export const HELP_LANGUAGES = ['en-US', 'fa'] as const;
export type HelpLanguage = (typeof HELP_LANGUAGES)[number];

/** Where the help is written, relative to the package root. */
export const HELP_SOURCE_DIR = 'nodes/node-red/locales';
export const SHARED_HELP_DIR = 'nodes/node-red/help';

const SECTION = /<!-- section: ([a-z-]+) -->\n([^]*?)<!-- end section -->/g;
const INCLUDE = /<!-- include: ([a-z-]+) -->/g;
const VALUE = /\{\{([A-Za-z.]+)\}\}/g;

/** The limits and defaults the help states, by the name its text uses. */
export function helpValues(): Record<string, number> {
  const { assemblyAi, live, speakers, polling, retry } = SETTINGS;
  return {
    'sync.maxSeconds': SYNC_LIMITS.maxSeconds,
    'legacy.maxSeconds': assemblyAi.maxSeconds,
    'legacy.sampleRate': assemblyAi.sampleRate.default,
    'assemblyAi.uncertainBelow': assemblyAi.uncertainBelow.default,
    'live.idleTimeout': live.idleTimeout.default,
    'speakers.verdict': speakers.threshold.default,
    'speakers.min': speakers.threshold.min,
    'speakers.max': speakers.threshold.max,
    'polling.interval': polling.interval.default,
    'polling.backoff': polling.backoff.default,
    'polling.timeout': polling.timeout.default,
    'retry.maxRetryAfter': retry.maxRetryAfter.default,
    'subtitles.lineLength': MAX_LINE_LENGTH,
    'subtitles.cueLines': MAX_CUE_LINES,
  };
}

/** The shared sections of one language's help/<language>.html, by name. */
export function readSections(text: string, file: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const [, name, body] of text.matchAll(SECTION)) {
    if (sections.has(name)) throw new Error(`${file}: the section "${name}" is written twice`);
    sections.set(name, body);
  }
  if (sections.size === 0) throw new Error(`${file}: no <!-- section: name --> … <!-- end section --> found`);
  return sections;
}

/** One node's help with its shared sections put in and lib's values filled in. */
export function assembleHelp(source: string, sections: Map<string, string>, file: string, language: HelpLanguage): string {
  const values = helpValues();
  const included = source.replace(INCLUDE, (_include, name: string) => {
    const section = sections.get(name);
    if (section === undefined) throw new Error(`${file}: includes "${name}", which help/${language}.html does not define`);
    return section.trimEnd();
  });
  const filled = included.replace(VALUE, (_value, name: string) => {
    if (!(name in values)) {
      throw new Error(`${file}: {{${name}}} is not a value the help knows (expected one of ${Object.keys(values).join(', ')})`);
    }
    return language === 'fa' ? persianDigits(values[name]) : String(values[name]);
  });
  // Node-RED floats a property's type to the right, onto the name when the text runs right to left.
  return language === 'fa' ? filled.replaceAll('<span class="property-type">', '<span class="property-type" style="float:left">') : filled;
}

function persianDigits(value: number): string {
  return String(value)
    .replace(/[0-9]/g, (digit) => '۰۱۲۳۴۵۶۷۸۹'[Number(digit)])
    .replace('.', '٫');
}

/** Every node's assembled help: the file it goes to (relative to the locales folder) and its text. */
export function builtHelp(root: string): Array<{ language: HelpLanguage; node: string; file: string; text: string }> {
  const built = [];
  for (const language of HELP_LANGUAGES) {
    const sharedFile = path.join(SHARED_HELP_DIR, `${language}.html`);
    const sections = readSections(fs.readFileSync(path.join(root, sharedFile), 'utf8'), sharedFile);
    const dir = path.join(root, HELP_SOURCE_DIR, language);
    for (const name of fs
      .readdirSync(dir)
      .filter((entry) => entry.endsWith('.html'))
      .sort()) {
      const file = path.join(HELP_SOURCE_DIR, language, name);
      const text = assembleHelp(fs.readFileSync(path.join(root, file), 'utf8'), sections, file, language);
      built.push({ language, node: name.replace(/\.html$/, ''), file: path.join(language, name), text });
    }
  }
  return built;
}

/** Writes the assembled help into `<outDir>/nodes/node-red/locales/`, beside the built nodes. */
export function writeHelp(root: string, outDir: string): void {
  for (const { file, text } of builtHelp(root)) {
    const target = path.join(outDir, HELP_SOURCE_DIR, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
}
