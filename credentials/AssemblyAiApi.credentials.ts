import type { IAuthenticateGeneric, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

export class AssemblyAiApi implements ICredentialType {
  name = 'assemblyAiApi';

  displayName = 'AssemblyAI API';

  icon: Icon = { light: 'file:../icons/assemblyai.svg', dark: 'file:../icons/assemblyai.dark.svg' };

  documentationUrl = 'https://github.com/n8n-nodes-harf/n8n-nodes-harf#readme';

  properties: INodeProperties[] = [
    {
      displayName: 'API Key',
      name: 'apiKey',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
    },
    {
      displayName: 'Sync API URL',
      name: 'syncBaseUrl',
      type: 'string',
      default: 'https://sync.assemblyai.com',
      placeholder: 'https://sync.eu.assemblyai.com',
      description:
        'Where the Sync API (the default endpoint) is reached: https://sync.assemblyai.com, https://sync.us.assemblyai.com to keep audio in the US, https://sync.eu.assemblyai.com in the EU, or a proxy or the local sandbox',
    },
    {
      displayName: 'Base URL',
      name: 'baseUrl',
      type: 'string',
      default: 'https://api.assemblyai.com',
      placeholder: 'https://api.assemblyai.com',
      description:
        'The legacy /v2/stream endpoint and the credential test; empty means https://api.assemblyai.com. Change only to reach a proxy or the local sandbox.',
    },
  ];

  // AssemblyAI takes the bare key, without a "Bearer" or "Token" prefix.
  authenticate: IAuthenticateGeneric = {
    type: 'generic',
    properties: {
      headers: {
        authorization: '={{$credentials.apiKey}}',
      },
    },
  };

  // No `test` request here: the AssemblyAI node tests this credential (`testedBy`), so that the Test
  // button says what the node's own errors say, an unreachable Base URL included.
}
