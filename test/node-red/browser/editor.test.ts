/// <reference lib="dom" />
/**
 * The Node-RED editor in a real browser (Debian's Chromium driven by playwright-core), with the
 * packed package installed: the Harf palette category holds the Harf nodes and the AssemblyAI one
 * its own, each node can be dragged onto the canvas, its edit dialog and the config node's dialog
 * open without an error with every label on one line, and its help (English and Persian) is shown.
 * Screenshots go to test/artifacts/node-red-editor/; with HARF_README_IMAGES=1 the README's three go to
 * docs/images/ too (a run leaves the tree as it found it otherwise).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { artifactsDir, NODE_TYPES, nodeRed4, startNodeRed, userDirWithPackage, type RunningNodeRed } from '../e2e/support';

const { chromiumLaunchOptions } = require('../../../scripts/runtimes/chromium');

jest.setTimeout(240_000);

const FLOW_NODE_TYPES = NODE_TYPES.filter((type) => !type.endsWith('-config'));
/** The palette category of each flow node: AssemblyAI's own, where users looking for it look. */
const categoryOf = (type: string) => (type.startsWith('assemblyai') ? 'AssemblyAI' : 'Harf');
const README_IMAGES = path.resolve(__dirname, '../../../docs/images');
const CONFIG_OF: Record<string, string> = {
  'harf-transcribe-urls': 'harf',
  'harf-upload-file': 'harf',
  'harf-check-status': 'harf',
  'harf-live-stream': 'harf',
  'harf-align-text': 'harf',
  'harf-speakers': 'harf',
  'assemblyai-short-audio': 'assemblyai',
};
const shots = artifactsDir('node-red-editor');

let nodeRed: RunningNodeRed;
let context: BrowserContext | undefined;
const profiles: string[] = [];

/** Problems the page reported: uncaught exceptions, console errors, failed editor requests. */
const problems: string[] = [];

async function openEditor(locale: string): Promise<Page> {
  await context?.close();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'harf-chromium-profile-'));
  profiles.push(profile);
  context = await chromium.launchPersistentContext(profile, {
    ...chromiumLaunchOptions(),
    locale,
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => problems.push(`page error: ${error.stack || error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && response.url().startsWith(nodeRed.url)) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
  await page.goto(nodeRed.url);
  await page.waitForFunction(
    () => {
      const red = (window as any).RED;
      return Boolean(
        red &&
        red.nodes &&
        red.nodes.getType &&
        document.querySelector('#red-ui-palette-container-Harf .red-ui-palette-node') &&
        document.querySelector('#red-ui-palette-container-AssemblyAI .red-ui-palette-node') &&
        // Node-RED shows the palette container once every node definition has loaded.
        !document.querySelector('#red-ui-palette-container.hide'),
      );
    },
    undefined,
    { timeout: 120_000 },
  );
  await page.waitForLoadState('networkidle');
  return page;
}

/** A screenshot in the test's artifacts, and with `readme` (when asked) as the README's docs/images/<readme>.png too. */
async function shot(page: Page, name: string, readme?: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
  if (readme && process.env.HARF_README_IMAGES === '1')
    fs.copyFileSync(path.join(shots, `${name}.png`), path.join(README_IMAGES, `${readme}.png`));
}

/** The dialog's labels that Node-RED's label width wraps onto a second line. */
async function wrappedLabels(page: Page): Promise<string[]> {
  return await page.$$eval('.red-ui-tray .form-row > label', (labels) =>
    labels
      .filter((label) => label.getBoundingClientRect().height > 0 && label.getClientRects().length > 0)
      .filter((label) => {
        const lineHeight = parseFloat(getComputedStyle(label).lineHeight) || 20;
        const text = label.querySelector('span') ?? label;
        return text.getBoundingClientRect().height > lineHeight * 1.5;
      })
      .map((label) => label.textContent!.trim()),
  );
}

/** Drags a node from the palette onto the canvas and opens its edit dialog with a double click. */
async function addNodeAndOpenDialog(page: Page, type: string, index: number) {
  const before: string[] = await page.evaluate((t) => (window as any).RED.nodes.filterNodes({ type: t }).map((n: any) => n.id), type);
  const chart = page.locator('#red-ui-workspace-chart');
  await chart.waitFor({ state: 'visible' });
  const box = await chart.boundingBox();
  if (!box) {
    await shot(page, `no-workspace-${type}`);
    throw new Error('The workspace is not visible');
  }
  const target = { x: 160 + (index % 2) * 260, y: 80 + Math.floor(index / 2) * 90 };
  const paletteNode = `#red-ui-palette-container-${categoryOf(type)} .red-ui-palette-node[data-palette-type="${type}"]`;
  await page.dragAndDrop(paletteNode, '#red-ui-workspace-chart', {
    targetPosition: target,
  });
  const added: string[] = await page.evaluate((t) => (window as any).RED.nodes.filterNodes({ type: t }).map((n: any) => n.id), type);
  const newIds = added.filter((id) => !before.includes(id));
  expect(newIds).toHaveLength(1);
  const id = newIds[0];

  // The edit dialog, opened the way a user does: a double click on the node.
  await page.dblclick(`g[id="${id}"] rect.red-ui-flow-node`);
  const tray = page.locator('.red-ui-tray').last();
  await tray.locator('#node-input-name').waitFor({ state: 'visible' });
  await page.waitForTimeout(300); // let the tray's slide-in finish before the picture
  return tray;
}

beforeAll(async () => {
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  const runtime = nodeRed4();
  nodeRed = await startNodeRed(runtime, { userDir: userDirWithPackage(runtime, 'browser') });
});

afterAll(async () => {
  await context?.close();
  await nodeRed?.stop();
  for (const profile of profiles) fs.rmSync(profile, { recursive: true, force: true });
});

describe('Node-RED editor in Chromium with the package installed', () => {
  let page: Page;

  test("the Harf palette category holds the six Harf nodes, AssemblyAI's its node; both config nodes are registered", async () => {
    page = await openEditor('en-US');
    const paletteNodes = (category: string) =>
      page.$$eval(`#red-ui-palette-container-${category} .red-ui-palette-node`, (nodes) =>
        nodes.map((node) => ({
          type: node.getAttribute('data-palette-type')!,
          label: node.querySelector('.red-ui-palette-label')!.innerHTML,
        })),
      );
    const harf = await paletteNodes('Harf');
    const assemblyAi = await paletteNodes('AssemblyAI');
    // Node-RED wraps a label wider than the palette node with <br/>: every label fits on one line.
    for (const { type, label } of [...harf, ...assemblyAi]) {
      expect({ type, label }).toEqual({ type, label: expect.not.stringContaining('<br') });
    }
    expect(assemblyAi).toEqual([{ type: 'assemblyai-short-audio', label: expect.stringContaining('AssemblyAI') }]);
    expect(harf.map(({ type }) => type).sort()).toEqual(FLOW_NODE_TYPES.filter((type) => categoryOf(type) === 'Harf').sort());
    // An icon per kind of job.
    const icons = await page.$$eval('#red-ui-palette-container-Harf .red-ui-palette-icon', (icons) =>
      icons.map((icon) => getComputedStyle(icon).backgroundImage),
    );
    expect(new Set(icons).size).toBe(harf.length);
    const configs = await page.evaluate(() =>
      ['harf-config', 'assemblyai-config'].map((type) => ({ type, category: (window as any).RED.nodes.getType(type)?.category })),
    );
    expect(configs).toEqual([
      { type: 'harf-config', category: 'config' },
      { type: 'assemblyai-config', category: 'config' },
    ]);
    const header = await page.textContent('#red-ui-palette-header-Harf');
    expect(header?.trim()).toBe('Harf');
    expect((await page.textContent('#red-ui-palette-header-AssemblyAI'))?.trim()).toBe('AssemblyAI');
    await shot(page, 'palette');
    expect(problems).toEqual([]);
  });

  test.each(FLOW_NODE_TYPES.map((type, index) => [type, index] as const))(
    '%s: dragged onto the canvas, its edit dialog, its config node dialog and its help open without error',
    async (type, index) => {
      const tray = await addNodeAndOpenDialog(page, type, index);
      await shot(page, `edit-${type}`);
      expect({ type, wrapped: await wrappedLabels(page) }).toEqual({ type, wrapped: [] });

      // The config node's dialog, from the "add new" button beside the account field.
      const property = CONFIG_OF[type];
      await page.click(`#node-input-btn-${property}-add, #node-input-lookup-${property}`);
      const configType = `${property}-config`;
      await page.locator('.red-ui-tray #node-config-input-baseUrl').waitFor({ state: 'visible' });
      await page.waitForTimeout(300);
      if (type === 'harf-transcribe-urls' || type === 'assemblyai-short-audio') await shot(page, `edit-${configType}`);
      expect({ configType, wrapped: await wrappedLabels(page) }).toEqual({ configType, wrapped: [] });
      await page.click('#node-config-dialog-cancel');
      await page.locator('.red-ui-tray #node-config-input-baseUrl').waitFor({ state: 'detached' });

      // Its help, from the dialog's help button: inputs and outputs described as message properties.
      await page.click('.red-ui-tray-footer button:has(i.fa-book)');
      const help = page.locator('.red-ui-sidebar-help-stack');
      await help.locator('dl.message-properties').first().waitFor({ state: 'visible' });
      const helpText = (await help.innerText()).trim();
      expect(helpText.length).toBeGreaterThan(200);
      await page.waitForTimeout(300);
      // The dialog with its help beside it: the README's picture of the transcribe URLs node.
      await shot(page, `help-${type}`, type === 'harf-transcribe-urls' ? 'node-red-transcribe-urls-dialog' : undefined);
      await page.click('#node-dialog-cancel');
      await tray.waitFor({ state: 'detached' });
      expect(problems).toEqual([]);
    },
  );

  test('the canvas with every node, deployable as configured', async () => {
    await page.evaluate(() => (window as any).RED.view.select({ nodes: [] }));
    await shot(page, 'workspace');
    // For the README: the palette at the package's categories, the AssemblyAI node's help beside the canvas.
    await page.evaluate(() => {
      const red = (window as any).RED;
      const node = red.nodes.filterNodes({ type: 'assemblyai-short-audio' })[0];
      red.view.select({ nodes: [node] });
      red.sidebar.show('help');
      document.querySelector('#red-ui-palette-container-Harf')!.parentElement!.scrollIntoView();
    });
    await page.locator('.red-ui-sidebar-help-stack dl.message-properties').first().waitFor({ state: 'visible' });
    await page.waitForTimeout(300);
    await shot(page, 'palette-and-help', 'node-red-palette-and-nodes');
    const onCanvas: string[] = await page.evaluate(() =>
      (window as any).RED.nodes.filterNodes({ z: (window as any).RED.workspaces.active() }).map((n: any) => n.type),
    );
    expect([...onCanvas].sort()).toEqual([...FLOW_NODE_TYPES].sort());
    expect(problems).toEqual([]);
  });

  const persian = FLOW_NODE_TYPES.map((type, index) => [type, index] as const);
  test.each(persian)("Persian help: %s's help comes from locales/fa, right to left", async (type, index) => {
    if (index === 0) {
      page = await openEditor('fa-IR');
      const labels = await page.$$eval(
        '.red-ui-palette-node:is([data-palette-type^="harf-"], [data-palette-type^="assemblyai-"]) .red-ui-palette-label',
        (nodes) => nodes.map((node) => node.innerHTML),
      );
      expect(labels).toHaveLength(FLOW_NODE_TYPES.length);
      expect(labels.filter((label) => label.includes('<br'))).toEqual([]);
    }
    const tray = await addNodeAndOpenDialog(page, type, index);
    await page.click('.red-ui-tray-footer button:has(i.fa-book)');
    const help = page.locator('.red-ui-sidebar-help-stack');
    await help.locator('dl.message-properties').first().waitFor({ state: 'visible' });
    const text = await help.innerText();
    expect(text).toMatch(/[\u0600-\u06FF]{3,}/);
    const properties = help.locator('dl.message-properties').first();
    const direction = await properties.evaluate((element) => getComputedStyle(element).direction);
    expect(direction).toBe('rtl');
    // A property's name and its type stand apart: the type at the left end of the line.
    const [name, kind] = await properties
      .locator('dt')
      .first()
      .evaluate((dt) => {
        const box = (range: Range | Element) => range.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(dt.firstChild!);
        return [box(range), box(dt.querySelector('.property-type')!)].map((rect) => ({ left: rect.left, right: rect.right }));
      });
    expect(kind.right).toBeLessThan(name.left - 20);
    expect({ type, wrapped: await wrappedLabels(page) }).toEqual({ type, wrapped: [] });
    await shot(page, `help-fa-${type}`, type === 'harf-transcribe-urls' ? 'node-red-help-persian' : undefined);
    await page.click('#node-dialog-cancel');
    await tray.waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
  });
});
