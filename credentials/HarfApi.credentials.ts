import type { IAuthenticateGeneric, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

export class HarfApi implements ICredentialType {
  name = 'harfApi';

  displayName = 'Harf API';

  icon: Icon = { light: 'file:../icons/harf.svg', dark: 'file:../icons/harf.dark.svg' };

  documentationUrl = 'https://github.com/n8n-nodes-harf/n8n-nodes-harf#readme';

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

  // No `test` request here: the Harf node tests this credential (`testedBy`), so that the Test
  // button says what the node's own errors say, an unreachable Base URL included.
}
