import type { IExecuteFunctions } from 'n8n-workflow';

import { registerSecret } from '../../../lib/errors';
import { HarfClient, DEFAULT_BASE_URL } from '../../../lib/harf/client';
import { createN8nTransport } from './transport';

export const HARF_CREDENTIAL = 'harfApi';

export interface HarfCredential {
  token: string;
  baseUrl: string;
}

/** The Harf credential, with its token registered so that no error can ever show it. */
export async function harfCredential(context: IExecuteFunctions, itemIndex: number): Promise<HarfCredential> {
  const credential = await context.getCredentials<{ token?: string; baseUrl?: string }>(HARF_CREDENTIAL, itemIndex);
  const token = String(credential.token ?? '').trim();
  registerSecret(token);
  const baseUrl = String(credential.baseUrl ?? '').trim().replace(/\/+$/, '') || DEFAULT_BASE_URL;
  return { token, baseUrl };
}

/** A HarfClient whose every HTTP request goes through n8n's authenticated request helper. */
export async function harfClient(context: IExecuteFunctions, itemIndex: number): Promise<HarfClient> {
  const { token, baseUrl } = await harfCredential(context, itemIndex);
  return new HarfClient({ token, baseUrl, transport: createN8nTransport(context, HARF_CREDENTIAL) });
}
