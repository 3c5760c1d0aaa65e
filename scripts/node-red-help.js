// Reads the Node-RED help's and dialog words' sources and writes them, lib's limits put in, beside
// the built nodes, where Node-RED looks for them. The assembling is dist/nodes/node-red/help.js's (lib's limits put in).
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function helpModule() {
  return require(path.join(root, 'dist', 'nodes', 'node-red', 'help.js'));
}

/** The help's sources under `base` (the repository), as builtHelp takes them. */
function readHelpSources(base = root) {
  const { HELP_SOURCE_DIR, SHARED_HELP_DIR } = helpModule();
  return {
    shared: (language) => fs.readFileSync(path.join(base, SHARED_HELP_DIR, `${language}.html`), 'utf8'),
    nodes: (language) => {
      const dir = path.join(base, HELP_SOURCE_DIR, language);
      return fs
        .readdirSync(dir)
        .filter((entry) => entry.endsWith('.html'))
        .sort()
        .map((name) => ({ name, text: fs.readFileSync(path.join(dir, name), 'utf8') }));
    },
  };
}

/** Every node's assembled help, read from the repository. */
function builtHelp(base = root) {
  return helpModule().builtHelp(readHelpSources(base));
}

/** Each language's dialog words (locales/<language>/*.json) with lib's values put in. */
function builtMessages(base = root) {
  const { HELP_LANGUAGES, HELP_SOURCE_DIR, fillValues } = helpModule();
  return HELP_LANGUAGES.flatMap((language) => {
    const dir = path.join(base, HELP_SOURCE_DIR, language);
    return fs
      .readdirSync(dir)
      .filter((entry) => entry.endsWith('.json'))
      .map((name) => {
        const file = path.join(HELP_SOURCE_DIR, language, name);
        return { file: path.join(language, name), text: fillValues(fs.readFileSync(path.join(base, file), 'utf8'), file, language) };
      });
  });
}

/** Writes the assembled help and the dialog words into `<outDir>/nodes/node-red/locales/`. */
function writeHelp(base, outDir) {
  const { HELP_SOURCE_DIR } = helpModule();
  for (const { file, text } of [...builtHelp(base), ...builtMessages(base)]) {
    const target = path.join(outDir, HELP_SOURCE_DIR, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
}

module.exports = { readHelpSources, builtHelp, builtMessages, writeHelp };
