import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { checkHarfAccount } from '../../../lib/jobs';
import { HARF_CREDENTIAL_FIELDS } from './client';

/**
 * The Harf credential's Test button (the node's `testedBy`): lib checks the account with one
 * request that costs nothing and says what went wrong in the words of the node's own errors, with
 * the fields named as the dialog shows them. It connects directly, with lib's own HTTP client.
 */
export async function harfApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  const data = credential.data ?? {};
  return await checkHarfAccount({ token: data.token, baseUrl: data.baseUrl }, { fields: HARF_CREDENTIAL_FIELDS });
}
