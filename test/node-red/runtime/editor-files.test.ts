/**
 * The editor side of each node as Node-RED loads it: the .html beside the node with the shared
 * resources/harf-editor.js, help and labels in locales/en-US and locales/fa, every i18n key used by a
 * dialog present in both languages, and the package.json entries pointing at the built files.
 * A flow node's scripts run here as the editor runs them, against a small stand-in for jQuery that
 * knows only the elements its completed dialog template holds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { ASSEMBLYAI_BASE_URL, SYNC_BASE_URL } from '../../../lib/assemblyai';
import { ERROR_KINDS } from '../../../lib/errors';
import { SETTINGS } from '../../../lib/jobs';
import { EDITOR_SETTINGS_FILE, editorSettingsScript } from '../../../nodes/node-red/editor-settings';

const { builtHelp } = require('../../../scripts/node-red-help') as {
  builtHelp: (root: string) => Array<{ language: string; node: string; file: string; text: string }>;
};

const root = path.resolve(__dirname, '../../..');
const dir = path.join(root, 'nodes/node-red');
const NODES = [
  'harf-config',
  'harf-transcribe-urls',
  'harf-upload-file',
  'harf-check-status',
  'harf-live-stream',
  'harf-align-text',
  'harf-speakers',
  'assemblyai-config',
  'assemblyai-short-audio',
];
const LANGUAGES = ['en-US', 'fa'];
const SHARED_SCRIPT = 'resources/harf-editor.js';
// The dialogs' defaults and limits (written by the build from lib), then the shared rows and logic.
const SHARED_SCRIPT_TAG =
  '<script src="resources/n8n-nodes-harf/harf-settings.js"></script>\n<script src="resources/n8n-nodes-harf/harf-editor.js"></script>';

/** One dialog element as the stand-in for jQuery keeps it. */
interface DialogElement {
  value: string;
  checked: boolean;
  shown: boolean;
  text: string;
  handlers: Record<string, Array<() => void>>;
}

/**
 * A node's editor scripts run as Node-RED runs them: the shared script, then the node's own script
 * with its template on the page. Returns the registered definition and the dialog's elements.
 */
function loadEditor(name: string, editor: string) {
  const elements = new Map<string, DialogElement>();
  const element = (): DialogElement => ({ value: '', checked: false, shown: true, text: '', handlers: {} });
  const templateSelector = `script[data-template-name="${name}"]`;
  elements.set(templateSelector, { ...element(), text: /<script type="text\/html"[^>]*>([^]*?)<\/script>/.exec(editor)?.[1] ?? '' });
  /** The selectors the completed template answers to: its ids and classes. */
  const onPage = (selector: string): boolean => {
    if (selector === templateSelector) return true;
    const template = elements.get(templateSelector)!.text;
    if (selector.startsWith('#')) return template.includes(`id="${selector.slice(1)}"`);
    if (selector.startsWith('.')) return new RegExp(`class="[^"]*\\b${selector.slice(1)}\\b`).test(template);
    throw new Error(`unexpected selector ${selector}`);
  };
  const $ = Object.assign(
    (selector: string) => {
      const found = onPage(selector);
      if (found && !elements.has(selector)) elements.set(selector, element());
      const el = found ? elements.get(selector)! : element();
      const set = {
        length: found ? 1 : 0,
        val: (value?: string) => (value === undefined ? (found ? el.value : undefined) : ((el.value = value), set)),
        prop: (key: string) => (found && key === 'checked' ? el.checked : undefined),
        on: (event: string, handler: () => void) => ((el.handlers[event] ??= []).push(handler), set),
        toggle: (show: boolean) => ((el.shown = show), set),
        show: () => ((el.shown = true), set),
        typedInput: () => set,
        html: () => el.text,
        text: (text: string) => ((el.text = text), set),
      };
      return set;
    },
    { extend: Object.assign },
  );
  const registered: Record<string, any> = {};
  const page: Record<string, unknown> = {
    $,
    URL,
    RED: {
      nodes: { registerType: (type: string, definition: unknown) => (registered[type] = definition) },
      validators: { typedInput: () => () => true },
    },
  };
  page.window = page;
  const context = vm.createContext(page);
  vm.runInContext(editorSettingsScript(), context);
  vm.runInContext(fs.readFileSync(path.join(root, SHARED_SCRIPT), 'utf8'), context);
  for (const match of editor.matchAll(/<script type="text\/javascript">([^]*?)<\/script>/g)) vm.runInContext(match[1], context);
  const definition = registered[name];
  const template = elements.get(templateSelector)!.text;

  /** Opens the dialog on a node with these settings (the rest at their defaults), as the editor fills the fields. */
  function open(settings: Record<string, unknown> = {}) {
    const node: Record<string, any> = { type: name, _: (key: string) => key };
    for (const [key, spec] of Object.entries<any>(definition.defaults)) node[key] = key in settings ? settings[key] : spec.value;
    for (const key of Object.keys(definition.defaults)) {
      if (!onPage(`#node-input-${key}`)) continue;
      const field = $(`#node-input-${key}`);
      if (typeof node[key] === 'boolean') elements.get(`#node-input-${key}`)!.checked = node[key];
      else field.val(String(node[key]));
    }
    definition.oneditprepare.call(node);
    const change = (id: string, value: string | boolean) => {
      const el = elements.get(`#${id}`)!;
      if (typeof value === 'boolean') el.checked = value;
      else el.value = value;
      for (const handler of el.handlers.change ?? []) handler();
    };
    const shown = (selector: string) => elements.get(selector)?.shown;
    const save = () => (definition.oneditsave?.call(node), node);
    return { node, change, shown, save, hiddenOutputs: () => elements.get('#node-input-outputs')?.value };
  }
  return { definition, template, open };
}

const BUILT_HELP = builtHelp(root);

/** A node's help as the build assembles it, shared sections and lib's values put in. */
function help(language: string, name: string): string {
  const found = BUILT_HELP.find((entry) => entry.language === language && entry.node === name);
  if (!found) throw new Error(`no help for ${name} in ${language}`);
  return found.text;
}

function lookup(catalog: unknown, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>((at, part) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined), catalog);
}

it('each Harf node has an icon of its own kind of job', () => {
  const icons = NODES.filter((name) => name.startsWith('harf-') && !name.endsWith('-config')).map(
    (name) => /icon: "([^"]+)"/.exec(fs.readFileSync(path.join(dir, `${name}.html`), 'utf8'))?.[1],
  );
  expect(icons).toHaveLength(6);
  expect(new Set(icons).size).toBe(6);
  for (const icon of icons) expect(fs.readFileSync(path.join(dir, 'icons', icon!), 'utf8')).toMatch(/^<svg [^>]*viewBox="0 0 40 60"/);
});

it('package.json registers every node with its built file and ships the shared editor script', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  expect(pkg.files).toContain('resources');
  expect(fs.existsSync(path.join(root, SHARED_SCRIPT))).toBe(true);
  expect(Object.keys(pkg['node-red'].nodes).sort()).toEqual([...NODES].sort());
  for (const name of NODES) {
    expect(pkg['node-red'].nodes[name]).toBe(`dist/nodes/node-red/${name}.js`);
    expect(fs.existsSync(path.join(dir, `${name}.ts`))).toBe(true);
  }
});

it("the build wrote the dialogs' settings from lib, and the package ships them", () => {
  // Written by `npm run build` (gulp), which every test run starts with.
  expect(fs.readFileSync(path.join(root, EDITOR_SETTINGS_FILE), 'utf8')).toBe(editorSettingsScript());
  const page: Record<string, any> = {};
  page.window = page;
  vm.runInContext(editorSettingsScript(), vm.createContext(page));
  expect(page.HarfSettings.settings).toEqual(SETTINGS);
});

describe.each(NODES.filter((name) => !name.endsWith('-config')))('%s status texts', (name) => {
  const catalogs = LANGUAGES.map((language) => ({
    language,
    status: lookup(JSON.parse(fs.readFileSync(path.join(dir, 'locales', language, `${name}.json`), 'utf8')), `${name}.status`) as Record<
      string,
      any
    >,
  }));
  // The keys the node's code shows (harf-tasks.ts shows the polling ones for the nodes that import it).
  const sources = [fs.readFileSync(path.join(dir, `${name}.ts`), 'utf8')];
  if (sources[0].includes("from './harf-tasks'")) sources.push(fs.readFileSync(path.join(dir, 'harf-tasks.ts'), 'utf8'));
  const used = new Set(['done']);
  for (const source of sources) for (const match of source.matchAll(/status\.(?:working|waiting|done)\('([A-Za-z]+)'/g)) used.add(match[1]);
  // status.transcribed(files) shows `files` (common.ts).
  if (sources.some((source) => source.includes('status.transcribed('))) used.add('files');
  /** A status text, or its plural forms' `_other` (i18next picks `_one` or `_other` by `count`). */
  const textOf = (status: Record<string, any>, key: string): unknown => status?.[key] ?? status?.[`${key}_other`];

  it('has every status text it shows, and a short cause for every kind of error, in English and Persian', () => {
    expect(used.size).toBeGreaterThan(1);
    for (const { language, status } of catalogs) {
      const missing = [...used].filter((key) => typeof textOf(status, key) !== 'string');
      const plurals = [...used].filter((key) => typeof status?.[`${key}_other`] === 'string' && typeof status?.[`${key}_one`] !== 'string');
      expect({ language, plurals }).toEqual({ language, plurals: [] });
      const causes = ERROR_KINDS.filter((kind) => typeof status?.cause?.[kind] !== 'string');
      expect({ language, missing, causes }).toEqual({ language, missing: [], causes: [] });
    }
  });

  it('fills in the same values in both languages', () => {
    const [english, persian] = catalogs.map(({ status }) => status);
    for (const key of used) {
      const names = (text: string) => [...text.matchAll(/__(\w+)__/g)].map((match) => match[1]).sort();
      expect({ key, names: names(textOf(persian, key) as string) }).toEqual({ key, names: names(textOf(english, key) as string) });
    }
    expect(persian.cause['invalid-url']).toMatch(/[\u0600-\u06FF]/);
  });
});

describe("dialog defaults and limits are the runtime's (lib/jobs/settings)", () => {
  /** The dialog's default and whether its validator takes each value. */
  function field(name: string, key: string, values: number[]) {
    const { definition } = loadEditor(name, fs.readFileSync(path.join(dir, `${name}.html`), 'utf8'));
    const spec = definition.defaults[key];
    return { value: spec.value, accepts: values.map((value) => spec.validate(String(value))) };
  }

  it.each(['harf-transcribe-urls', 'harf-check-status'])("%s polls at lib's pace, within lib's limits", (name) => {
    const { interval, backoff, timeout } = SETTINGS.polling;
    expect(field(name, 'interval', [0, 0.02, interval.max, interval.max + 1])).toEqual({
      value: interval.default,
      accepts: [false, true, true, false],
    });
    expect(field(name, 'backoff', [0.9, 1, backoff.max, backoff.max + 0.5])).toEqual({
      value: backoff.default,
      accepts: [false, true, true, false],
    });
    expect(field(name, 'timeout', [0, 0.5, timeout.max, timeout.max + 1])).toEqual({
      value: timeout.default,
      accepts: [false, true, true, false],
    });
  });

  it("harf-live-stream ends idle streams after lib's idle timeout", () => {
    const { idleTimeout } = SETTINGS.live;
    expect(field('harf-live-stream', 'idleTimeout', [0, 0.2, idleTimeout.max, idleTimeout.max + 1])).toEqual({
      value: idleTimeout.default,
      accepts: [false, true, true, false],
    });
  });

  it("assemblyai-short-audio converts at lib's rate and marks doubt at lib's threshold", () => {
    const { sampleRate, uncertainBelow } = SETTINGS.assemblyAi;
    expect(field('assemblyai-short-audio', 'sampleRate', [7999, 8000, 16000.5, 48000, 48001])).toEqual({
      value: sampleRate.default,
      accepts: [false, true, false, true, false],
    });
    expect(field('assemblyai-short-audio', 'threshold', [-0.1, 0, 1, 1.1])).toEqual({
      value: uncertainBelow.default,
      accepts: [false, true, true, false],
    });
  });
});

it("assemblyai-config may leave its addresses empty for lib's defaults, which the fields show", () => {
  const { definition, template } = loadEditor('assemblyai-config', fs.readFileSync(path.join(dir, 'assemblyai-config.html'), 'utf8'));
  for (const [key, fallback] of [
    ['baseUrl', ASSEMBLYAI_BASE_URL],
    ['syncBaseUrl', SYNC_BASE_URL],
  ]) {
    const spec = definition.defaults[key];
    expect({ key, required: spec.required ?? false, empty: spec.validate(''), wrong: spec.validate('api.assemblyai') }).toEqual({
      key,
      required: false,
      empty: true,
      wrong: false,
    });
    expect(template).toContain(`id="node-config-input-${key}" placeholder="${fallback}"`);
  }
  expect(definition.label.call({ name: '', baseUrl: '' })).toBe(new URL(ASSEMBLYAI_BASE_URL).host);
});

describe.each(NODES)('%s', (name) => {
  const editor = fs.readFileSync(path.join(dir, `${name}.html`), 'utf8');
  const flowNode = !name.endsWith('-config');
  const loaded = flowNode ? loadEditor(name, editor) : undefined;

  it('registers its type with a dialog template and a palette icon that exists', () => {
    expect(editor).toContain(`RED.nodes.registerType("${name}"`);
    expect(editor).toContain(`data-template-name="${name}"`);
    const icon = /icon: "([^"]+)"/.exec(editor)?.[1];
    if (name.endsWith('-config')) {
      expect(editor).toContain('category: "config"');
      expect(editor).toMatch(/credentials: \{\s*(token|apiKey): \{ type: "password" \}/);
    } else {
      // AssemblyAI in its own category, where users looking for it look; the Harf nodes in Harf's.
      const category = name.startsWith('assemblyai') ? 'AssemblyAI' : 'Harf';
      expect(editor).toContain(`category: "${category}"`);
      expect(icon && fs.existsSync(path.join(dir, 'icons', icon))).toBe(true);
      // The shared rows and logic come from the package's resources, loaded before the node's own script.
      expect(editor.startsWith(SHARED_SCRIPT_TAG)).toBe(true);
      expect(loaded!.definition).toMatchObject({ category, icon });
      expect(loaded!.template).not.toContain('data-harf-rows');
      expect(loaded!.template).toContain('id="node-input-output"');
    }
  });

  it('has every i18n key of its dialog in English and Persian', () => {
    const keys = new Set<string>();
    const dialog = loaded ? loaded.template : editor;
    for (const match of dialog.matchAll(/data-i18n="(?:\[[a-z]+\])?([^"]+)"/g)) keys.add(match[1]);
    for (const match of editor.matchAll(/this\._\("([^"]+)"\)/g)) keys.add(match[1]);
    if (loaded) {
      // The labels the palette, the node and its output ports ask for.
      const asking = { name: '', _: (key: string) => (keys.add(key), key) };
      const { paletteLabel, label, outputLabels } = loaded.definition;
      paletteLabel.call(asking);
      label.call(asking);
      if (outputLabels) [0, 1].forEach((index) => outputLabels.call(asking, index));
    }
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
      const text = help(language, name);
      expect(text).toContain(`data-help-name="${name}"`);
      expect(text).toContain('class="message-properties"');
      if (language === 'fa') {
        expect(text).toContain('dir="rtl"');
        expect(text).toMatch(/[\u0600-\u06FF]{3,}/);
      }
    }
  });

  const hidesSubtitlesPerSegment =
    loaded !== undefined &&
    (() => {
      const dialog = loaded.open({ output: 'segment' });
      const perSegment = dialog.shown(`#${name}-row-subtitles`);
      dialog.change('node-input-output', 'file');
      expect(dialog.shown(`#${name}-row-subtitles`)).toBe(true);
      return perSegment === false;
    })();
  if (hidesSubtitlesPerSegment) {
    it('says in its help that subtitles come only in the modes whose dialog offers them', () => {
      for (const language of LANGUAGES) {
        const catalog = JSON.parse(fs.readFileSync(path.join(dir, 'locales', language, `${name}.json`), 'utf8'));
        const entry = /<dt class="optional">srt \/ vtt[^]*?<dd>([^]*?)<\/dd>/.exec(help(language, name))?.[1].replace(/\s+/g, ' ');
        expect({ language, entry }).toEqual({
          language,
          entry: expect.stringContaining(`<i>${lookup(catalog, `${name}.output.segment`)}</i>`),
        });
        expect(entry).toContain(`<i>${lookup(catalog, `${name}.output.file`)}</i>`);
      }
    });
  }

  if (!name.endsWith('-config') && name !== 'harf-align-text') {
    it('offers the review split as a second output set when the dialog is saved', () => {
      const { definition, template, open } = loaded!;
      expect(template).toContain('id="node-input-splitUncertain"');
      expect(definition.defaults.outputs).toMatchObject({ value: 1 });
      expect(definition.defaults.splitUncertain).toMatchObject({ value: false });

      const dialog = open();
      expect(dialog.hiddenOutputs()).toBe('1');
      dialog.change('node-input-splitUncertain', true);
      expect(dialog.hiddenOutputs()).toBe('2');
      expect(dialog.save().outputs).toBe(2);
      dialog.change('node-input-splitUncertain', false);
      expect(dialog.save().outputs).toBe(1);

      // A node saved with the split on opens with two outputs.
      expect(open({ splitUncertain: true }).save().outputs).toBe(2);
      if (name === 'harf-transcribe-urls') {
        // Submitting returns task ids only: no review output, and the output options are hidden.
        const submitting = open({ splitUncertain: true, mode: 'submit' });
        expect(submitting.hiddenOutputs()).toBe('1');
        expect(submitting.shown('.harf-transcribe-urls-output-row')).toBe(false);
        expect(submitting.save().outputs).toBe(1);
        submitting.change('node-input-mode', 'wait');
        expect(submitting.shown('.harf-transcribe-urls-output-row')).toBe(true);
        expect(submitting.shown('.harf-transcribe-urls-poll-row')).toBe(false);
        expect(submitting.save().outputs).toBe(2);
      }
    });
  }
});

describe('harf-speakers dialog', () => {
  const { open, definition } = loadEditor('harf-speakers', fs.readFileSync(path.join(dir, 'harf-speakers.html'), 'utf8'));

  it('shows the fields of the task chosen, and the transcript options only for diarize and index', () => {
    const dialog = open({ task: 'diarize', splitUncertain: true });
    expect(dialog.shown('.harf-speakers-row-names')).toBe(true);
    expect(dialog.shown('.harf-speakers-row-speakers')).toBe(false);
    expect(dialog.shown('.harf-speakers-output-rows')).toBe(true);
    expect(dialog.hiddenOutputs()).toBe('2');
    dialog.change('node-input-task', 'identify');
    expect(dialog.shown('.harf-speakers-row-speakers')).toBe(true);
    expect(dialog.shown('.harf-speakers-row-threshold')).toBe(true);
    expect(dialog.shown('.harf-speakers-output-rows')).toBe(false);
    // One verdict per message: no review output even with the split left on.
    expect(dialog.save().outputs).toBe(1);
    dialog.change('node-input-task', 'verify');
    expect(dialog.shown('.harf-speakers-row-samples')).toBe(true);
    expect(dialog.shown('.harf-speakers-row-speakers')).toBe(false);
    dialog.change('node-input-task', 'index');
    expect(dialog.save().outputs).toBe(2);
  });

  it('offers normalized Persian text, off by default, with the digits row shown only when it is on', () => {
    expect(definition.defaults.normalize).toMatchObject({ value: false });
    expect(definition.defaults.digits).toMatchObject({ value: 'keep' });
    const dialog = open();
    expect(dialog.shown('#harf-speakers-row-digits')).toBe(false);
    dialog.change('node-input-normalize', true);
    expect(dialog.shown('#harf-speakers-row-digits')).toBe(true);
    expect(definition.defaults.threshold.validate('0.7')).toBe(true);
    expect(definition.defaults.threshold.validate('1.5')).toBe(false);
    expect(definition.defaults.threshold.validate('')).toBe(true);
  });
});
