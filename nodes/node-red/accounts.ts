/** The config nodes as the other nodes see them (harf-config, assemblyai-config). */
import type { AssemblyAiClient } from '../../lib/assemblyai';
import type { HarfClient } from '../../lib/harf';
import type { NodeRedNode } from './types';

export interface HarfConfigNode extends NodeRedNode {
  baseUrl: string;
  /** The Harf client of this account, made on first use. Throws when the token is missing. */
  client(): HarfClient;
  /** Token and base URL for a live websocket session. Throws when the token is missing. */
  liveOptions(): { token: string; baseUrl: string };
}

export interface AssemblyAiConfigNode extends NodeRedNode {
  baseUrl: string;
  syncBaseUrl: string;
  /** The AssemblyAI client of this account, made on first use. Throws when the API key is missing. */
  client(): AssemblyAiClient;
}
