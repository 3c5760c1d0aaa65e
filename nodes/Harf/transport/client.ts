import type { IExecuteFunctions } from 'n8n-workflow';

import { checkHarfBaseUrl, checkToken, DEFAULT_BASE_URL, HarfClient } from '../../../lib/harf';
import { baseUrlOrDefault } from '../../../lib/http/url';
import { retryOptions } from '../../shared/retry';
import { createN8nTransport } from '../../shared/transport';

export const HARF_CREDENTIAL = 'harfApi';

/** The credential's fields under the names the credential dialog shows, for lib's messages about them. */
export const HARF_CREDENTIAL_FIELDS = { token: 'Token', baseUrl: 'Base URL' } as const;

export interface HarfCredential {
  token: string;
  baseUrl: string;
}

/**
 * The Harf credential, checked by lib under the names the credential dialog shows. The token is
 * registered as a secret there, so that no error can ever show it.
 */
export async function harfCredential(context: IExecuteFunctions, itemIndex: number): Promise<HarfCredential> {
  const credential = await context.getCredentials<{ token?: unknown; baseUrl?: unknown }>(HARF_CREDENTIAL, itemIndex);
  const token = checkToken(credential.token, HARF_CREDENTIAL_FIELDS.token);
  const baseUrl = checkHarfBaseUrl(baseUrlOrDefault(credential.baseUrl, DEFAULT_BASE_URL), HARF_CREDENTIAL_FIELDS.baseUrl);
  return { token, baseUrl };
}

/** A HarfClient whose every HTTP request goes through n8n's authenticated request helper. */
export async function harfClient(context: IExecuteFunctions, itemIndex: number): Promise<HarfClient> {
  const { token, baseUrl } = await harfCredential(context, itemIndex);
  return new HarfClient({
    token,
    baseUrl,
    transport: createN8nTransport(context, HARF_CREDENTIAL),
    retry: retryOptions(context, itemIndex),
  });
}
