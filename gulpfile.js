// Copies what tsc does not emit into dist/: icons, codex files, Node-RED editor html and locales, the
// resampler's WebAssembly;
// writes resources/harf-settings.js (the dialogs' defaults and limits) from the built lib, and the
// Node-RED help with its shared sections and lib's limits put in (scripts/node-red-help.js).
// Node-RED example flows ship from examples/ at the package root, where Node-RED's Import > Examples
// menu lists them under the package's name; n8n workflows stay in n8n-workflows/, outside the package.
const fs = require('node:fs');
const path = require('node:path');
const { src, dest, parallel } = require('gulp');

function nodeAssets() {
  // The Node-RED help is assembled by nodeRedHelp, not copied.
  const help = ['!nodes/node-red/locales/**', '!nodes/node-red/help/**'];
  return src(['nodes/**/*.{png,svg,html,json}', 'credentials/**/*.{png,svg}', ...help], { base: '.', encoding: false }).pipe(dest('dist'));
}

async function nodeRedHelp() {
  require('./scripts/node-red-help').writeHelp(__dirname, path.join(__dirname, 'dist'));
}

/** The resampler's compiled filter loops (scripts/audio-kernels.js writes them beside their source). */
function audioKernels() {
  return src('lib/**/*.wasm', { base: '.', encoding: false }).pipe(dest('dist'));
}

function icons() {
  return src('icons/**/*', { base: '.', encoding: false }).pipe(dest('dist'));
}

async function editorSettings() {
  const { EDITOR_SETTINGS_FILE, editorSettingsScript } = require('./dist/nodes/node-red/editor-settings.js');
  await fs.promises.writeFile(path.join(__dirname, EDITOR_SETTINGS_FILE), editorSettingsScript());
}

exports.build = parallel(nodeAssets, nodeRedHelp, audioKernels, icons, editorSettings);
