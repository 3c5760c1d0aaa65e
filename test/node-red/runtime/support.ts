/**
 * node-red-node-test-helper, typed for these tests, on the runtime the suite is run against:
 * HARF_NODE_RED_PATH (Node-RED 5 on Node 24) or the node-red devDependency (Node-RED 4).
 */
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSandbox } from '../../../sandbox';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
export type Msg = Record<string, any>;
export type FlowNode = Record<string, unknown> & { id: string; type: string };

export type NodeModule = (RED: any) => void;

export interface TestNode extends EventEmitter {
  id: string;
  receive(msg: Msg): void;
}

interface TestHelper {
  init(runtimePath: string, settings?: Record<string, unknown>): void;
  startServer(done: (error?: Error) => void): void;
  stopServer(done: (error?: Error) => void): void;
  load(nodes: NodeModule[], flow: FlowNode[], credentials?: Record<string, Record<string, string>>): Promise<void>;
  unload(): Promise<void>;
  getNode(id: string): TestNode;
}

const testHelper: TestHelper = require('node-red-node-test-helper');
testHelper.init(process.env.HARF_NODE_RED_PATH || require.resolve('node-red'));

const catalogs = new Map<string, unknown>();

/**
 * RED._ as the runtime gives it to the package's nodes in English: the key looked up in the node's
 * own catalog (nodes/node-red/locales/en-US/<type>.json), `__name__` filled in, a `count` choosing
 * the plural form. The test helper's
 * own RED._ hands back the key.
 */
export function translate(key: string, values: Record<string, unknown> = {}): string {
  const type = key.split('.')[0];
  if (!catalogs.has(type)) {
    const file = path.join(__dirname, '..', '..', '..', 'nodes', 'node-red', 'locales', 'en-US', `${type}.json`);
    catalogs.set(type, fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {});
  }
  const find = (path: string) =>
    path
      .split('.')
      .reduce<unknown>(
        (at, part) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined),
        catalogs.get(type),
      );
  // i18next's plural forms, as English has them: `key_one` for a count of 1, else `key_other`.
  const plural = typeof values.count === 'number' ? find(`${key}_${values.count === 1 ? 'one' : 'other'}`) : undefined;
  const text = plural ?? find(key);
  if (typeof text !== 'string') return key;
  return text.replace(/__(\w+)__/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** A node module given a RED whose `_` reads the package's English catalogs. */
function withCatalogs(module: NodeModule): NodeModule {
  return (RED) => module(new Proxy(RED, { get: (target, property) => (property === '_' ? translate : target[property]) }));
}

export const helper: TestHelper = {
  init: (runtimePath, settings) => testHelper.init(runtimePath, settings),
  startServer: (done) => testHelper.startServer(done),
  stopServer: (done) => testHelper.stopServer(done),
  load: (nodes, flow, credentials) => testHelper.load(nodes.map(withCatalogs), flow, credentials),
  unload: () => testHelper.unload(),
  getNode: (id) => testHelper.getNode(id),
};

export const TAB = 'flow';

/**
 * A tab holding the nodes (config nodes, those with `wires` absent and a `-config` type, stay
 * global), helper nodes out1 and out2, and a catch node wired to `errors` so done(err) can be seen.
 * Flow nodes carry x and y: Node-RED treats a node without them as a config node.
 */
export function flowWith(nodes: FlowNode[]): FlowNode[] {
  const flow: FlowNode[] = [{ id: TAB, type: 'tab', label: 'test' }];
  const placed = (node: FlowNode): FlowNode => ({ z: TAB, x: 100, y: 100, ...node });
  for (const node of nodes) flow.push(node.type.endsWith('-config') ? node : placed(node));
  flow.push(placed({ id: 'out1', type: 'helper' }));
  flow.push(placed({ id: 'out2', type: 'helper' }));
  flow.push(placed({ id: 'catch', type: 'catch', name: '', scope: null, uncaught: false, wires: [['errors']] }));
  flow.push(placed({ id: 'errors', type: 'helper' }));
  return flow;
}

/** Messages arriving at a helper node, gathered as they come. */
export class Inbox {
  readonly messages: Msg[] = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(node: TestNode) {
    node.on('input', (msg: Msg) => {
      this.messages.push(msg);
      this.waiters = this.waiters.filter((waiter) => {
        if (this.messages.length >= waiter.count) waiter.resolve();
        return this.messages.length < waiter.count;
      });
    });
  }

  /** Resolves once `count` messages have arrived in all (the test's timeout guards the wait). */
  waitFor(count: number): Promise<Msg[]> {
    if (this.messages.length >= count) return Promise.resolve(this.messages);
    return new Promise((resolve) => this.waiters.push({ count, resolve: () => resolve(this.messages) })).then(() => this.messages);
  }
}

/** Every node.status() call of a node, in order. */
export function statusTexts(node: TestNode): string[] {
  const texts: string[] = [];
  node.on('call:status', (call: { args: Array<{ text?: string }> }) => {
    texts.push(call.args[0]?.text ?? '');
  });
  return texts;
}

/** Waits for the next status whose text matches. */
export function nextStatus(node: TestNode, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const listener = (call: { args: Array<{ text?: string }> }) => {
      const text = call.args[0]?.text ?? '';
      if (pattern.test(text)) {
        node.removeListener('call:status', listener);
        resolve(text);
      }
    };
    node.on('call:status', listener);
  });
}

export function startServer(): Promise<void> {
  return new Promise((resolve, reject) => helper.startServer((error) => (error ? reject(error) : resolve())));
}

export function stopServer(): Promise<void> {
  return new Promise((resolve, reject) => helper.stopServer((error) => (error ? reject(error) : resolve())));
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the condition holds (the test's timeout guards the wait). */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await delay(10);
}
