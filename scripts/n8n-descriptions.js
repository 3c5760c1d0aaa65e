#!/usr/bin/env node
// Writes into each n8n node file the parts of its description that must be literal there, from the
// node's operation registry: n8n evaluates the `outputs` expression with nothing but the node's
// parameters, and n8n's lint reads the Operation options from the node file itself. Each part sits
// between `// generated:<name>` and `// end generated:<name>`. `--check` only reports a difference.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const NODES = [
  { file: 'nodes/Harf/Harf.node.ts', registry: 'nodes/Harf/actions/registry.ts' },
  { file: 'nodes/AssemblyAi/AssemblyAi.node.ts', registry: 'nodes/AssemblyAi/actions/registry.ts' },
];

/** Loads TypeScript sources as CommonJS, for running this script outside the build and jest. */
function registerTypeScript() {
  if (require.extensions['.ts']) return;
  const ts = require('typescript');
  require.extensions['.ts'] = (module, filename) => {
    const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
    const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
    module._compile(outputText, filename);
  };
}

const PRINT_WIDTH = JSON.parse(fs.readFileSync(path.join(root, '.prettierrc.json'), 'utf8')).printWidth;

const quote = (text) => `'${String(text).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * `key: 'text',`, or for long text a template literal broken after spaces into lines under 120
 * characters (an expression reads the same with a line break for a space; TypeScript keeps its
 * literal type, which `outputs` needs).
 */
function wrapped(key, text) {
  if (text.length <= 100) return [`${key}: ${quote(text)},`];
  if (/[`\\]|\$\{/.test(text)) throw new Error(`The ${key} expression cannot be written as a template literal`);
  const lines = [];
  let rest = text;
  while (rest.length > 100) {
    const cut = breakAt(rest);
    if (cut <= 0) break;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut + 1);
  }
  lines.push(rest);
  return [`${key}: \`${lines[0]}`, ...lines.slice(1, -1).map((line) => `  ${line}`), `  ${lines[lines.length - 1]}\`,`];
}

/** The last space within 100 characters that is outside any quoted string, or -1. */
function breakAt(text) {
  let inString = false;
  let last = -1;
  for (let index = 0; index < Math.min(text.length, 100); index++) {
    if (text[index] === '"' && text[index - 1] !== '\\') inString = !inString;
    else if (text[index] === ' ' && !inString) last = index;
  }
  return last;
}

/** The generated parts of one node file, by name, each as the lines to put between its markers. */
function generatedParts(registryFile) {
  const shared = require(path.join(root, 'nodes/shared/registry.ts'));
  const { operations } = require(path.join(root, registryFile));
  const options = shared.operationOptions(operations).map((option) => {
    const fields = ['name', 'value', 'action', 'description'].map((key) => `${key}: ${quote(option[key])},`);
    return ['{', ...fields.map((field) => `  ${field}`), '},'];
  });
  return {
    // n8n's lint reads the subtitle only as one string literal, however long.
    expressions: [
      `subtitle: ${quote(shared.subtitleExpression(operations))},`,
      ...wrapped('outputs', shared.outputsExpression(operations)),
    ],
    operations: options.flat(),
  };
}

/** Prettier's layout for a `key: 'text',` line past the print width: the text on a line of its own. */
function laidOut(indent, line) {
  const match = /^(\s*)(\w+): ('.*'),$/.exec(line);
  if (!match || indent.length + line.length <= PRINT_WIDTH) return [`${indent}${line}`];
  const [, inner, key, text] = match;
  return [`${indent}${inner}${key}:`, `${indent}${inner}  ${text},`];
}

/** The node file with its generated parts replaced. */
function render(source, parts) {
  let text = source;
  for (const [name, lines] of Object.entries(parts)) {
    const pattern = new RegExp(`^([ \\t]*)// generated:${name}\\n[\\s\\S]*?^[ \\t]*// end generated:${name}$`, 'm');
    if (!pattern.test(text)) throw new Error(`No "// generated:${name}" … "// end generated:${name}" block`);
    text = text.replace(pattern, (_match, indent) =>
      [`${indent}// generated:${name}`, ...lines.flatMap((line) => laidOut(indent, line)), `${indent}// end generated:${name}`].join('\n'),
    );
  }
  return text;
}

/** The node files whose generated parts differ from their registries (written unless `check`). */
function generate({ check = false } = {}) {
  const stale = [];
  for (const node of NODES) {
    const file = path.join(root, node.file);
    const source = fs.readFileSync(file, 'utf8');
    const rendered = render(source, generatedParts(node.registry));
    if (rendered === source) continue;
    stale.push(node.file);
    if (!check) fs.writeFileSync(file, rendered);
  }
  return stale;
}

module.exports = { NODES, generatedParts, render, generate };

if (require.main === module) {
  registerTypeScript();
  const check = process.argv.includes('--check');
  const stale = generate({ check });
  for (const file of stale) process.stderr.write(`${check ? 'Out of date' : 'Updated'}: ${file}\n`);
  if (check && stale.length > 0) process.exit(1);
}
