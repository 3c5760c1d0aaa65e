/** The config nodes as the other nodes see them (harf-config, assemblyai-config). */
import type { AssemblyAiClient } from '../../lib/assemblyai';
import type { HarfClient } from '../../lib/harf/client';
import type { NodeRedNode } from './types';

export interface HarfConfigNode extends NodeRedNode {
  baseUrl: string;
  /** The Harf client of this account, made on first use. Throws when the token is missing. */
  client(): HarfClient;
  /** Token and base URL for a live websocket session. Throws when the token is missing. */
  liveOptions(): { token: string; baseUrl: string };
}

/** The base URL without trailing slashes; the given default when empty. */
export function normalizeBaseUrl(value: unknown, fallback: string): string {
  const text = typeof value === 'string' ? value.trim().replace(/\/+$/, '') : '';
  return text === '' ? fallback : text;
}

export interface AssemblyAiConfigNode extends NodeRedNode {
  baseUrl: string;
  /** The AssemblyAI client of this account, made on first use. Throws when the API key is missing. */
  client(): AssemblyAiClient;
}
