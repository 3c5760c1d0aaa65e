/** assemblyai-config: one AssemblyAI account (API key, Sync API and legacy base URLs) for the assemblyai-short-audio nodes. */
import { ASSEMBLYAI_BASE_URL, AssemblyAiClient, SYNC_BASE_URL } from '../../lib/assemblyai';
import { BadInputError, registerSecret } from '../../lib/errors';
import { retryOptionsFromSeconds } from '../../lib/http/retry';
import { baseUrlOrDefault } from '../../lib/http/url';
import type { AssemblyAiConfigNode } from './accounts';
import type { NodeAPI, NodeDefinition } from './types';

export = function register(RED: NodeAPI): void {
  function AssemblyAiConfig(this: AssemblyAiConfigNode, definition: NodeDefinition): void {
    RED.nodes.createNode(this, definition);
    const node = this;
    node.baseUrl = baseUrlOrDefault(definition.baseUrl, ASSEMBLYAI_BASE_URL);
    node.syncBaseUrl = baseUrlOrDefault(definition.syncBaseUrl, SYNC_BASE_URL);
    const apiKey = (node.credentials?.apiKey ?? '').trim();
    registerSecret(apiKey);
    let client: AssemblyAiClient | undefined;

    node.client = () => {
      if (apiKey === '') {
        throw new BadInputError(
          'apiKey',
          'an empty API key',
          `the AssemblyAI API key in the assemblyai-config node "${node.name || node.id}"`,
          'missing-credential',
        );
      }
      client ??= new AssemblyAiClient({ apiKey, baseUrl: node.baseUrl, syncBaseUrl: node.syncBaseUrl, retry: retryOptionsFromSeconds(definition.maxRetryAfter) });
      return client;
    };
    // A redeploy leaves no idle connection behind.
    node.on('close', (_removed: boolean, done: () => void) => {
      client?.close();
      done();
    });
  }

  RED.nodes.registerType('assemblyai-config', AssemblyAiConfig, {
    credentials: { apiKey: { type: 'password' } },
  });
};
