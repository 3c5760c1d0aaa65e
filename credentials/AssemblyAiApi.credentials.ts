import type {
  IAuthenticateGeneric,
  Icon,
  ICredentialTestRequest,
  ICredentialType,
  INodeProperties,
} from 'n8n-workflow';

export class AssemblyAiApi implements ICredentialType {
  name = 'assemblyAiApi';

  displayName = 'AssemblyAI API';

  icon: Icon = { light: 'file:../icons/assemblyai.svg', dark: 'file:../icons/assemblyai.dark.svg' };

  documentationUrl = 'https://www.assemblyai.com/docs';

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
      required: true,
      description: 'The legacy /v2/stream endpoint and the credential test. Change only to reach a proxy or the local sandbox.',
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

  // Lists at most one transcript: cheap, and answered with 401 for a wrong key.
  test: ICredentialTestRequest = {
    request: {
      baseURL: '={{$credentials.baseUrl}}',
      url: '/v2/transcript',
      method: 'GET',
      qs: { limit: 1 },
    },
    // The words the AssemblyAI node's own errors use, instead of n8n's bare "Unauthorized" or "Not Found".
    rules: [
      { type: 'responseCode', properties: { value: 401, message: 'AssemblyAI refused the API key (HTTP 401). Check the API key.' } },
      { type: 'responseCode', properties: { value: 403, message: 'AssemblyAI refused the API key (HTTP 403). Check the API key.' } },
      {
        type: 'responseCode',
        properties: { value: 404, message: 'No AssemblyAI service answers at this Base URL (HTTP 404). Check the Base URL.' },
      },
    ],
  };
}
