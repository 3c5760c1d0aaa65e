import type {
  IAuthenticateGeneric,
  Icon,
  ICredentialTestRequest,
  ICredentialType,
  INodeProperties,
} from 'n8n-workflow';

export class HarfApi implements ICredentialType {
  name = 'harfApi';

  displayName = 'Harf API';

  icon: Icon = { light: 'file:../icons/harf.svg', dark: 'file:../icons/harf.dark.svg' };

  documentationUrl = 'https://harf.roshan-ai.ir/';

  properties: INodeProperties[] = [
    {
      displayName: 'Token',
      name: 'token',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
      description: 'The TOKEN_KEY from your Harf account, sent as "Authorization: Token …"',
    },
    {
      displayName: 'Base URL',
      name: 'baseUrl',
      type: 'string',
      default: 'https://harf.roshan-ai.ir',
      required: true,
      description: 'Change only for an on-premise installation or the local Harf sandbox',
    },
  ];

  authenticate: IAuthenticateGeneric = {
    type: 'generic',
    properties: {
      headers: {
        Authorization: '=Token {{$credentials.token}}',
      },
    },
  };

  // Asks about a task id that does not exist: a valid token gets PENDING, a refused one 401.
  // Nothing is transcribed and nothing is billed.
  test: ICredentialTestRequest = {
    request: {
      baseURL: '={{$credentials.baseUrl}}',
      url: '/api/transcribe_files/',
      method: 'POST',
      body: { tasks_ids: ['credential-check'], wait: false },
      json: true,
    },
    // The words the Harf node's own errors use, instead of n8n's bare "Unauthorized" or "Not Found".
    rules: [
      { type: 'responseCode', properties: { value: 401, message: 'Harf refused the token (HTTP 401). Check the token.' } },
      { type: 'responseCode', properties: { value: 403, message: 'Harf refused the token (HTTP 403). Check the token.' } },
      {
        type: 'responseCode',
        properties: { value: 404, message: 'No Harf service answers at this Base URL (HTTP 404). Check the Base URL.' },
      },
    ],
  };
}
