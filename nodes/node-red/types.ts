/**
 * The small part of Node-RED's runtime API these nodes use. Node-RED ships no types of its own
 * and the runtime is not a dependency of the package, so these describe what it passes in.
 */

export interface NodeMessage {
  _msgid?: string;
  payload?: unknown;
  topic?: string;
  [property: string]: unknown;
}

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

/** Messages for each output: a message, an array of messages, or null for none. */
export type OutputMessages = NodeMessage | NodeMessage[] | null | Array<NodeMessage | NodeMessage[] | null>;

export type SendFunction = (messages: OutputMessages) => void;
export type DoneFunction = (error?: Error) => void;

export interface NodeRedNode {
  id: string;
  type: string;
  name?: string;
  z?: string;
  credentials?: Record<string, string | undefined>;
  on(event: 'input', listener: (msg: NodeMessage, send: SendFunction, done: DoneFunction) => void): void;
  on(event: 'close', listener: (removed: boolean, done: () => void) => void): void;
  status(status: NodeStatus | Record<string, never>): void;
  send(messages: OutputMessages): void;
  error(error: unknown, msg?: NodeMessage): void;
  warn(message: unknown): void;
  log(message: unknown): void;
  debug(message: unknown): void;
}

/** The properties every node's editor saves (`defaults` in its .html). */
export interface NodeDefinition {
  id: string;
  type: string;
  name?: string;
  z?: string;
  [property: string]: unknown;
}

export interface NodeRedUtil {
  cloneMessage<T extends NodeMessage>(msg: T): T;
  getMessageProperty(msg: NodeMessage, expression: string): unknown;
  setMessageProperty(msg: NodeMessage, expression: string, value: unknown, createMissing?: boolean): boolean;
}

export interface NodeAPI {
  nodes: {
    createNode(node: object, definition: NodeDefinition): void;
    registerType<T extends NodeRedNode>(
      type: string,
      constructor: (this: T, definition: NodeDefinition) => void,
      options?: { credentials?: Record<string, { type: 'text' | 'password' }> },
    ): void;
    getNode(id: string): unknown;
  };
  util: NodeRedUtil;
  _(key: string, substitutions?: Record<string, unknown>): string;
}
