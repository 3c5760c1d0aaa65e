/// <reference lib="dom" />
/**
 * n8n's editor in a real browser (Debian's Chromium driven by playwright-core): `n8n start` with the
 * packed package installed, the owner logged in, the podcast example imported with its Harf
 * credential pointing at the sandbox. The Harf node opens with a double click on the canvas; its
 * panel shows the Transcribe URLs operation and its fields, every label on one line, and nothing the
 * editor reports as an error; neither node's Resource or Operation offers n8n's Custom API Call, in
 * the node types the editor loads nor in the list it opens. The panel's picture goes to
 * test/artifacts/n8n-editor/, and with HARF_README_IMAGES=1 to the README's docs/images/n8n-harf-node.png.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { EXAMPLES_DIR, type WorkflowJson } from '../support/n8n';
import { startN8nServer, type N8nServer } from '../support/server';
import { HARF_CREDENTIAL } from '../support/workflows';

const { chromiumLaunchOptions } = require('../../../scripts/runtimes/chromium');

jest.setTimeout(240_000);

const EXAMPLE_FILE = '01-podcast-episodes-by-url-with-review.json';
const HARF_NODE = 'Transcribe episodes';
const README_IMAGE = path.resolve(__dirname, '../../../docs/images/n8n-harf-node.png');
const FAILURE_SHOT = path.resolve(__dirname, '../../artifacts/n8n-editor/failure.png');
// The option n8n appends to Resource and Operation of a node whose credential authenticates requests.
const CUSTOM_API_CALL = { name: 'Custom API Call', value: '__CUSTOM_API_CALL__' };
// The owner test/n8n/support/server.ts sets up; the browser logs in as that person.
const OWNER = { emailOrLdapLoginId: 'owner@harf-e2e.invalid', password: 'Harf-e2e-Passw0rd' };

let sandbox: Sandbox;
let n8n: N8nServer;
let context: BrowserContext | undefined;
let profile: string | undefined;
let page: Page;
let workflowId: string;

/** What the page reported: uncaught exceptions, console errors, n8n's answers of 400 and above. */
const problems: string[] = [];

/** The example as a user imports it, its Harf credential replaced by one saved here for the sandbox. */
async function importExample(): Promise<string> {
  const credential = await n8n.rest('POST', 'credentials', {
    name: HARF_CREDENTIAL.name,
    type: 'harfApi',
    data: { token: sandbox.token, baseUrl: sandbox.url },
  });
  if (credential.status !== 200)
    throw new Error(`saving the Harf credential answered ${credential.status}: ${JSON.stringify(credential.body)}`);
  const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, EXAMPLE_FILE), 'utf8')) as WorkflowJson;
  const nodes = example.nodes.map((node) =>
    node.credentials?.harfApi ? { ...node, credentials: { harfApi: { id: credential.body.data.id, name: HARF_CREDENTIAL.name } } } : node,
  );
  const created = await n8n.rest('POST', 'workflows', {
    name: example.name,
    nodes,
    connections: example.connections,
    settings: example.settings ?? {},
    active: false,
  });
  if (created.status !== 200) throw new Error(`importing ${EXAMPLE_FILE} answered ${created.status}: ${JSON.stringify(created.body)}`);
  return created.body.data.id as string;
}

async function openBrowser(): Promise<Page> {
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'harf-chromium-profile-'));
  context = await chromium.launchPersistentContext(profile, {
    ...chromiumLaunchOptions(),
    locale: 'en-US',
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
  });
  const opened = context.pages()[0] ?? (await context.newPage());
  opened.setDefaultTimeout(60_000);
  opened.on('pageerror', (error) => problems.push(`page error: ${error.stack || error.message}`));
  opened.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  opened.on('response', (response) => {
    if (response.status() >= 400 && response.url().startsWith(`${n8n.url}/rest/`))
      problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
  return opened;
}

/** Logs in as the editor does: its browser id in the header, n8n's session cookie kept by the browser. */
async function logIn(): Promise<void> {
  await page.goto(`${n8n.url}/signin`);
  const status = await page.evaluate(async (owner) => {
    let browserId = localStorage.getItem('n8n-browserId');
    if (!browserId) {
      browserId = crypto.randomUUID();
      localStorage.setItem('n8n-browserId', browserId);
    }
    const response = await fetch('/rest/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'browser-id': browserId },
      body: JSON.stringify(owner),
    });
    return response.status;
  }, OWNER);
  if (status !== 200) throw new Error(`logging in from the browser answered ${status}`);
}

beforeAll(async () => {
  [sandbox, n8n] = await Promise.all([startSandbox(), startN8nServer()]);
  workflowId = await importExample();
  page = await openBrowser();
  await logIn();
  // The sign-in page asks who is logged in before anyone is: that 401 is n8n's way, not a fault.
  problems.splice(0);
}, 600_000);

afterAll(async () => {
  await context?.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
  await n8n?.stop();
  await sandbox?.close();
});

/** Runs `check`; when it fails, the page as it was goes to test/artifacts/n8n-editor/failure.png. */
async function withFailureShot(check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    fs.mkdirSync(path.dirname(FAILURE_SHOT), { recursive: true });
    await page.screenshot({ path: FAILURE_SHOT }).catch(() => undefined);
    throw new Error(`${(error as Error).message}\nThe page: ${FAILURE_SHOT}\nWhat it reported:\n${problems.join('\n')}`);
  }
}

/** The panel's parameter labels as shown: each title's text, and whether the title is cut (wider than it shows). */
async function parameterLabels(): Promise<Array<{ text: string; cut: boolean }>> {
  return await page.$$eval('[data-test-id="ndv"] [data-test-id="parameter-item"] label.n8n-input-label', (labels) =>
    labels
      .filter((label) => label.getClientRects().length > 0)
      .map((label) => {
        // n8n's label: a title, then the Fixed / Expression switch shown on hover.
        const title = label.querySelector<HTMLElement>(':scope > div > div') ?? label;
        const boxes = [label, title, ...Array.from(title.querySelectorAll<HTMLElement>('*'))];
        const cut = boxes.some((box) => box.clientWidth > 0 && box.scrollWidth > box.clientWidth + 1);
        return { text: title.textContent!.trim(), cut };
      }),
  );
}

interface NodeTypeJson {
  name: string;
  properties: Array<{ name: string; options?: Array<{ name?: string; value?: unknown }> }>;
}

/** The values of a node type's Resource and Operation options, every version's Operation included. */
function resourceAndOperationValues(type: NodeTypeJson | undefined): unknown[] {
  const lists = (type?.properties ?? []).filter((property) => property.name === 'resource' || property.name === 'operation');
  return lists.flatMap((property) => (property.options ?? []).map((option) => option.value));
}

describe("n8n's editor in Chromium with the package installed", () => {
  test("the node types the editor loads give neither node's Resource or Operation a Custom API Call", async () => {
    // Fetched as the editor fetches them, with its session: n8n's own options are in by then.
    const types = await page.evaluate(async () => {
      const response = await fetch('/types/nodes.json');
      return { status: response.status, body: (await response.json()) as unknown };
    });
    expect(types.status).toBe(200);
    const all = types.body as NodeTypeJson[];
    const ours = all.filter((type) => type.name.startsWith('n8n-nodes-harf.'));
    expect(ours.map((type) => type.name)).toEqual(expect.arrayContaining(['n8n-nodes-harf.harf', 'n8n-nodes-harf.assemblyAi']));
    for (const type of ours) {
      // Each is read: its resource and operations are there, and nothing else.
      const values = resourceAndOperationValues(type);
      expect(values).toEqual(
        expect.arrayContaining(type.name.includes('assemblyAi') ? ['audio', 'transcribeShortAudio'] : ['speech', 'transcribeUrls']),
      );
      expect({ type: type.name, values }).toEqual({ type: type.name, values: expect.not.arrayContaining([CUSTOM_API_CALL.value]) });
    }
    // The same check sees the option where n8n puts it: its GitHub node has versions 1 and 1.1, no
    // default version, and a credential that sets its own header, as this package's nodes had.
    const github = all.find((type) => type.name === 'n8n-nodes-base.github');
    expect(resourceAndOperationValues(github)).toContain(CUSTOM_API_CALL.value);
  });

  test('the example opens on the canvas with the Harf node on it', async () => {
    await withFailureShot(async () => {
      await page.goto(`${n8n.url}/workflow/${workflowId}`);
      const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${HARF_NODE}"]`);
      await node.waitFor({ state: 'visible', timeout: 120_000 });
      await expect(page.locator('[data-test-id="canvas-node"]').count()).resolves.toBeGreaterThanOrEqual(4);
    });
  });

  test("a double click opens the Harf node's panel on Transcribe URLs, every label whole", async () => {
    await withFailureShot(async () => {
      await page.locator(`[data-test-id="canvas-node"][data-node-name="${HARF_NODE}"]`).dblclick();
      const panel = page.locator('[data-test-id="ndv"]');
      await panel.locator('[data-test-id="node-parameters"]').waitFor({ state: 'visible', timeout: 60_000 });
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(500); // the panel's opening animation

      const parameters = panel.locator('[data-test-id="node-parameters"]');
      const labels = await parameterLabels();
      expect(labels.map((label) => label.text)).toEqual(
        expect.arrayContaining(['Credential', 'Resource', 'Operation', 'Media URLs', 'Mode']),
      );
      // The example is at the node's current version: its polling settings sit under Advanced.
      expect(labels.map((label) => label.text)).toEqual(expect.arrayContaining(['Needs Review Output', 'Poll Interval (Seconds)']));
      await expect(parameters.getByText('Advanced', { exact: true }).isVisible()).resolves.toBe(true);
      expect(labels.filter((label) => label.cut).map((label) => label.text)).toEqual([]);
      const operation = parameters.locator('[data-test-id="parameter-input-operation"] input');
      await expect(operation.inputValue()).resolves.toBe('Transcribe URLs');
      await expect(panel.locator('[data-test-id="node-credentials-select"] input').inputValue()).resolves.toBe(HARF_CREDENTIAL.name);
      // The Operation list as a user opens it: Harf's operations and nothing n8n appended.
      await operation.click();
      const list = page.locator('.el-select-dropdown:visible .el-select-dropdown__item');
      await list.first().waitFor({ state: 'visible' });
      const operations = (await list.allInnerTexts()).map((text) => text.trim().split('\n')[0]);
      expect(operations).toEqual(expect.arrayContaining(['Transcribe URLs', 'Upload File', 'Check Status']));
      expect(operations).not.toContain(CUSTOM_API_CALL.name);
      await page.keyboard.press('Escape');
      await list.first().waitFor({ state: 'hidden' });
      // The picture shows the panel at rest: nothing focused, the pointer over the empty output side.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.mouse.move(1200, 700);
      await page.waitForTimeout(300);
      // n8n marks each parameter it finds wrong (required and empty, an unknown option) with an issue icon.
      const withIssues = await parameters
        .locator('[data-test-id="parameter-item"]')
        .filter({ has: page.locator('[data-test-id="parameter-issues"]') })
        .allInnerTexts();
      expect(withIssues.map((text) => text.trim().split('\n')[0])).toEqual([]);
      await expect(panel.locator('[data-test-id="node-issues"]').count()).resolves.toBe(0);
      expect(problems).toEqual([]);

      const picture = process.env.HARF_README_IMAGES === '1' ? README_IMAGE : path.join(path.dirname(FAILURE_SHOT), 'harf-node.png');
      fs.mkdirSync(path.dirname(picture), { recursive: true });
      await page.screenshot({ path: picture });
    });
  });
});
