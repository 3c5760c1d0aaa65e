/**
 * harf-config: one Harf account (token and base URL) shared by the Harf nodes of a flow.
 * It owns the credential and hands out the lib HarfClient; the token never leaves it in a message.
 */
import { registerSecret } from '../../lib/errors';
import { checkToken, DEFAULT_BASE_URL, HarfClient } from '../../lib/harf';
import { retryOptionsFromSeconds } from '../../lib/http/retry';
import { baseUrlOrDefault } from '../../lib/http/url';
import type { HarfConfigNode } from './accounts';
import type { NodeAPI, NodeDefinition } from './types';

export = function register(RED: NodeAPI): void {
  function HarfConfig(this: HarfConfigNode, definition: NodeDefinition): void {
    RED.nodes.createNode(this, definition);
    const node = this;
    node.baseUrl = baseUrlOrDefault(definition.baseUrl, DEFAULT_BASE_URL);
    registerSecret(node.credentials?.token?.trim());
    let client: HarfClient | undefined;

    // Checked when first used, so a flow deploys without a token and its inputs fail by name.
    const requireToken = (): string => checkToken(node.credentials?.token, `token (in the harf-config node "${node.name || node.id}")`);

    node.client = () => {
      client ??= new HarfClient({ token: requireToken(), baseUrl: node.baseUrl, retry: retryOptionsFromSeconds(definition.maxRetryAfter) });
      return client;
    };
    node.liveOptions = () => ({ token: requireToken(), baseUrl: node.baseUrl });
    // A redeploy leaves no idle connection behind.
    node.on('close', (_removed: boolean, done: () => void) => {
      client?.close();
      done();
    });
  }

  RED.nodes.registerType('harf-config', HarfConfig, {
    credentials: { token: { type: 'password' } },
  });
};
