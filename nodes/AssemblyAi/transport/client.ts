import type { IExecuteFunctions } from 'n8n-workflow';

import { AssemblyAiClient, ASSEMBLYAI_BASE_URL, SYNC_BASE_URL } from '../../../lib/assemblyai';
import { baseUrlOrDefault } from '../../../lib/http/url';
import { retryOptions } from '../../shared/retry';
import { createN8nTransport } from '../../shared/transport';

export const ASSEMBLYAI_CREDENTIAL = 'assemblyAiApi';

/** The credential's fields under the names the credential dialog shows, for lib's messages about them. */
export const ASSEMBLYAI_CREDENTIAL_FIELDS = { apiKey: 'API Key', baseUrl: 'Base URL', syncBaseUrl: 'Sync API URL' } as const;

/**
 * An AssemblyAiClient whose every HTTP request goes through n8n's authenticated request helper;
 * lib checks the key and the URLs (a URL left empty is the service's default).
 */
export async function assemblyAiClient(context: IExecuteFunctions, itemIndex: number): Promise<AssemblyAiClient> {
  type Credential = { apiKey?: unknown; baseUrl?: unknown; syncBaseUrl?: unknown };
  const credential = await context.getCredentials<Credential>(ASSEMBLYAI_CREDENTIAL, itemIndex);
  return new AssemblyAiClient({
    apiKey: credential.apiKey as string,
    baseUrl: baseUrlOrDefault(credential.baseUrl, ASSEMBLYAI_BASE_URL),
    syncBaseUrl: baseUrlOrDefault(credential.syncBaseUrl, SYNC_BASE_URL),
    transport: createN8nTransport(context, ASSEMBLYAI_CREDENTIAL),
    retry: retryOptions(context, itemIndex),
  });
}
