/// <reference lib="dom" />
/**
 * The Node-RED editor in a real browser (Debian's Chromium driven by playwright-core), with the
 * packed package installed: the Harf palette category holds every flow node, each one can be
 * dragged onto the canvas, its edit dialog and the config node's dialog open without an error,
 * and its help (English and Persian) is shown. Screenshots go to test/artifacts/node-red-editor/.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
  artifactsDir,
  NODE_TYPES,
  nodeRed4,
  startNodeRed,
  userDirWithPackage,
  type RunningNodeRed,
} from '../e2e/support';

/* eslint-disable-next-line @typescript-eslint/no-require-imports */
const { chromiumLaunchOptions } = require('../../../scripts/runtimes/chromium');

jest.setTimeout(240_000);

const FLOW_NODE_TYPES = NODE_TYPES.filter((type) => !type.endsWith('-config'));
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
  await page.waitForFunction(() => {
    const red = (window as any).RED;
    return Boolean(
      red &&
        red.nodes &&
        red.nodes.getType &&
        document.querySelector('#red-ui-palette-container-Harf .red-ui-palette-node') &&
        // Node-RED shows the palette container once every node definition has loaded.
        !document.querySelector('#red-ui-palette-container.hide'),
    );
  }, undefined, { timeout: 120_000 });
  await page.waitForLoadState('networkidle');
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
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
  await page.dragAndDrop(`#red-ui-palette-container-Harf .red-ui-palette-node[data-palette-type="${type}"]`, '#red-ui-workspace-chart', {
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

  test('the Harf palette category holds the seven flow nodes; both config nodes are registered', async () => {
    page = await openEditor('en-US');
    const paletteTypes = await page.$$eval('#red-ui-palette-container-Harf .red-ui-palette-node', (nodes) =>
      nodes.map((node) => node.getAttribute('data-palette-type')),
    );
    // Node-RED wraps a label wider than the palette node with <br/>: every label fits on one line.
    const labels = await page.$$eval('#red-ui-palette-container-Harf .red-ui-palette-node', (nodes) =>
      nodes.map((node) => ({ type: node.getAttribute('data-palette-type'), label: node.querySelector('.red-ui-palette-label')!.innerHTML })),
    );
    for (const { type, label } of labels) expect({ type, label }).toEqual({ type, label: expect.not.stringContaining('<br') });
    expect(labels.find(({ type }) => type === 'assemblyai-short-audio')?.label).toContain('AssemblyAI');
    expect([...paletteTypes].sort()).toEqual([...FLOW_NODE_TYPES].sort());
    const configs = await page.evaluate(() =>
      ['harf-config', 'assemblyai-config'].map((type) => ({ type, category: (window as any).RED.nodes.getType(type)?.category })),
    );
    expect(configs).toEqual([
      { type: 'harf-config', category: 'config' },
      { type: 'assemblyai-config', category: 'config' },
    ]);
    const header = await page.textContent('#red-ui-palette-header-Harf');
    expect(header?.trim()).toBe('Harf');
    await shot(page, 'palette');
    expect(problems).toEqual([]);
  });

  test.each(FLOW_NODE_TYPES.map((type, index) => [type, index] as const))(
    '%s: dragged onto the canvas, its edit dialog, its config node dialog and its help open without error',
    async (type, index) => {
      const tray = await addNodeAndOpenDialog(page, type, index);
      await shot(page, `edit-${type}`);

      // The config node's dialog, from the "add new" button beside the account field.
      const property = CONFIG_OF[type];
      await page.click(`#node-input-btn-${property}-add, #node-input-lookup-${property}`);
      const configType = `${property}-config`;
      await page.locator('.red-ui-tray #node-config-input-baseUrl').waitFor({ state: 'visible' });
      await page.waitForTimeout(300);
      if (type === 'harf-transcribe-urls' || type === 'assemblyai-short-audio') await shot(page, `edit-${configType}`);
      await page.click('#node-config-dialog-cancel');
      await page.locator('.red-ui-tray #node-config-input-baseUrl').waitFor({ state: 'detached' });

      // Its help, from the dialog's help button: inputs and outputs described as message properties.
      await page.click('.red-ui-tray-footer button:has(i.fa-book)');
      const help = page.locator('.red-ui-sidebar-help-stack');
      await help.locator('dl.message-properties').first().waitFor({ state: 'visible' });
      const helpText = (await help.innerText()).trim();
      expect(helpText.length).toBeGreaterThan(200);
      await page.waitForTimeout(300);
      await shot(page, `help-${type}`);
      await page.click('#node-dialog-cancel');
      await tray.waitFor({ state: 'detached' });
      expect(problems).toEqual([]);
    },
  );

  test('the canvas with every node, deployable as configured', async () => {
    await page.evaluate(() => (window as any).RED.view.select({ nodes: [] }));
    await shot(page, 'workspace');
    const onCanvas: string[] = await page.evaluate(() =>
      (window as any).RED.nodes
        .filterNodes({ z: (window as any).RED.workspaces.active() })
        .map((n: any) => n.type),
    );
    expect([...onCanvas].sort()).toEqual([...FLOW_NODE_TYPES].sort());
    expect(problems).toEqual([]);
  });

  test.each(['harf-transcribe-urls', 'harf-speakers'].map((type, index) => [type, index] as const))('Persian help: %s\'s help comes from locales/fa, right to left', async (type, index) => {
    if (index === 0) page = await openEditor('fa-IR');
    const tray = await addNodeAndOpenDialog(page, type, index);
    await page.click('.red-ui-tray-footer button:has(i.fa-book)');
    const help = page.locator('.red-ui-sidebar-help-stack');
    await help.locator('dl.message-properties').first().waitFor({ state: 'visible' });
    const text = await help.innerText();
    expect(text).toMatch(/[\u0600-\u06FF]{3,}/);
    const properties = help.locator('dl.message-properties').first();
    const direction = await properties.evaluate((element) => getComputedStyle(element).direction);
    expect(direction).toBe('rtl');
    await shot(page, `help-fa-${type}`);
    await page.click('#node-dialog-cancel');
    await tray.waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
  });
});
