/** assemblyai-config: one AssemblyAI account (API key, Sync API and legacy base URLs) for the assemblyai-short-audio nodes. */
import { ASSEMBLYAI_BASE_URL, AssemblyAiClient, SYNC_BASE_URL } from '../../lib/assemblyai';
import { registerSecret } from '../../lib/errors';
import { clientNamingFields } from '../../lib/jobs';
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
    registerSecret(node.credentials?.apiKey?.trim());
    let client: AssemblyAiClient | undefined;

    // Made when first used, so a flow deploys without a key and its inputs fail naming this node.
    node.client = () => {
      client ??= clientNamingFields(
        () =>
          new AssemblyAiClient({
            apiKey: node.credentials?.apiKey ?? '',
            baseUrl: node.baseUrl,
            syncBaseUrl: node.syncBaseUrl,
            retry: retryOptionsFromSeconds(definition.maxRetryAfter),
          }),
        { apiKey: `API key (in the assemblyai-config node "${node.name || node.id}")` },
      );
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
