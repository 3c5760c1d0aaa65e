/**
 * harf-config: one Harf account (token and base URL) shared by the Harf nodes of a flow.
 * It owns the credential and hands out the lib HarfClient; the token never leaves it in a message.
 */
import { BadInputError, registerSecret } from '../../lib/errors';
import { DEFAULT_BASE_URL, HarfClient } from '../../lib/harf/client';
import { retryOptionsFromSeconds } from '../../lib/http/retry';
import { baseUrlOrDefault } from '../../lib/http/url';
import type { HarfConfigNode } from './accounts';
import type { NodeAPI, NodeDefinition } from './types';

export = function register(RED: NodeAPI): void {
  function HarfConfig(this: HarfConfigNode, definition: NodeDefinition): void {
    RED.nodes.createNode(this, definition);
    const node = this;
    node.baseUrl = baseUrlOrDefault(definition.baseUrl, DEFAULT_BASE_URL);
    const token = (node.credentials?.token ?? '').trim();
    registerSecret(token);
    let client: HarfClient | undefined;

    const requireToken = (): string => {
      if (token === '') {
        throw new BadInputError(
          'token',
          'an empty token',
          `the TOKEN_KEY of your Harf account, entered in the harf-config node "${node.name || node.id}"`,
          'missing-credential',
        );
      }
      return token;
    };

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
