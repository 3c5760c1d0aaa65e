/**
 * The Node-RED help, assembled by the build. A node's help in locales/<language>/<node>.html names
 * the sections it shares with the other nodes (`<!-- include: errors -->`), each written once per
 * language in help/<language>.html, and the limits it states (`{{sync.maxSeconds}}`) come from lib,
 * so the help says what the runtime does. The build (scripts/node-red-help.js) writes the result beside
 * the built nodes, where Node-RED looks for it.
 */
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
    'legacy.maxSeconds': assemblyAi.legacyMaxSeconds,
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
  const included = source.replace(INCLUDE, (_include, name: string) => {
    const section = sections.get(name);
    if (section === undefined) throw new Error(`${file}: includes "${name}", which help/${language}.html does not define`);
    return section.trimEnd();
  });
  const filled = fillValues(included, file, language);
  // Node-RED floats a property's type to the right, onto the name when the text runs right to left.
  return language === 'fa' ? filled.replaceAll('<span class="property-type">', '<span class="property-type" style="float:left">') : filled;
}

/** A text with lib's values put in for its `{{name}}`s, in the language's digits (the help, the dialogs' words). */
export function fillValues(text: string, file: string, language: HelpLanguage): string {
  const values = helpValues();
  return text.replace(VALUE, (_value, name: string) => {
    if (!(name in values)) {
      throw new Error(`${file}: {{${name}}} is not a value the help knows (expected one of ${Object.keys(values).join(', ')})`);
    }
    return language === 'fa' ? persianDigits(values[name]) : String(values[name]);
  });
}

function persianDigits(value: number): string {
  return String(value)
    .replace(/[0-9]/g, (digit) => '۰۱۲۳۴۵۶۷۸۹'[Number(digit)])
    .replace('.', '٫');
}

/** The help's sources as the build reads them (scripts/node-red-help.js): kept apart so this module reads no file. */
export interface HelpSources {
  /** help/<language>.html: the sections every node shares. */
  shared(language: HelpLanguage): string;
  /** locales/<language>/*.html: each node's help, by file name. */
  nodes(language: HelpLanguage): Array<{ name: string; text: string }>;
}

/** Every node's assembled help: the file it goes to (relative to the locales folder) and its text. */
export function builtHelp(sources: HelpSources): Array<{ language: HelpLanguage; node: string; file: string; text: string }> {
  const built = [];
  for (const language of HELP_LANGUAGES) {
    const sections = readSections(sources.shared(language), `${SHARED_HELP_DIR}/${language}.html`);
    for (const { name, text } of sources.nodes(language)) {
      const file = `${HELP_SOURCE_DIR}/${language}/${name}`;
      built.push({
        language,
        node: name.replace(/\.html$/, ''),
        file: `${language}/${name}`,
        text: assembleHelp(text, sections, file, language),
      });
    }
  }
  return built;
}
