import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { checkAssemblyAiAccount } from '../../../lib/jobs';
import { ASSEMBLYAI_CREDENTIAL_FIELDS } from './client';

/**
 * The AssemblyAI credential's Test button (the node's `testedBy`): lib lists at most one transcript
 * at the Base URL (no audio is sent) and says what went wrong in the words of the node's own errors,
 * with the fields named as the dialog shows them. It connects directly, with lib's own HTTP client.
 */
export async function assemblyAiApiTest(
  this: ICredentialTestFunctions,
  credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
  const data = credential.data ?? {};
  return await checkAssemblyAiAccount({ apiKey: data.apiKey, baseUrl: data.baseUrl }, { fields: ASSEMBLYAI_CREDENTIAL_FIELDS });
}
