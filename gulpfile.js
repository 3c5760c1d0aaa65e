// Copies what tsc does not emit into dist/: icons, codex files, Node-RED editor html and locales.
// Example flows ship from examples/node-red at the package root, where Node-RED looks for them.
const { src, dest, parallel } = require('gulp');

function nodeAssets() {
  return src(['nodes/**/*.{png,svg,html,json}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
    dest('dist'),
  );
}

function nodeRedLocales() {
  return src('nodes/node-red/locales/**/*', { base: '.', encoding: false }).pipe(dest('dist'));
}

function icons() {
  return src('icons/**/*', { base: '.', encoding: false }).pipe(dest('dist'));
}

exports.build = parallel(nodeAssets, nodeRedLocales, icons);
