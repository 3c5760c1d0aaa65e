/**
 * A small stand-in for n8n's IExecuteFunctions: enough of it to run the nodes' operations
 * in jest. Requests really go out (axios, as in n8n) with the credential's `authenticate`
 * applied the way n8n applies a generic one, and failures are wrapped in NodeApiError as
 * n8n's httpRequestWithAuthentication does.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import axios from 'axios';
import type {
  IBinaryData,
  ICredentialType,
  IDataObject,
  IExecuteFunctions,
  IHttpRequestOptions,
  INode,
  INodeExecutionData,
  INodeParameters,
  INodeTypeDescription,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** A parameter value, or a function of the item index standing in for an expression. */
export type ParameterValue = unknown | ((itemIndex: number) => unknown);

export interface FakeContextOptions {
  description: INodeTypeDescription;
  parameters: Record<string, ParameterValue>;
  items?: INodeExecutionData[];
  credentials?: Record<string, IDataObject>;
  credentialTypes?: ICredentialType[];
  continueOnFail?: boolean;
  /** The node's On Error setting, as n8n saves it (`continueErrorOutput` gives the node an Error output). */
  onError?: 'continueRegularOutput' | 'continueErrorOutput';
  signal?: AbortSignal;
  /** Directory of binary data kept "on disk" (binary.id = file name in it). */
  binaryDir?: string;
}

export interface RecordedRequest {
  credentialType: string;
  options: IHttpRequestOptions;
}

export interface FakeContext {
  context: IExecuteFunctions;
  requests: RecordedRequest[];
  /** Ids of the binaries kept on disk that the node opened as streams, in order. */
  binaryStreams: string[];
}

function getPath(source: Record<string, unknown>, dotted: string): unknown {
  let current: unknown = source;
  for (const part of dotted.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function resolve(value: unknown, itemIndex: number): unknown {
  if (typeof value === 'function') return (value as (i: number) => unknown)(itemIndex);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolve(inner, itemIndex)]));
  }
  return value;
}

/** Renders `={{$credentials.x}}` templates the way n8n resolves a generic authenticate. */
function renderTemplate(template: string, credentials: IDataObject): string {
  const text = template.startsWith('=') ? template.slice(1) : template;
  return text.replace(/\{\{\s*\$credentials\??\.(\w+)\s*\}\}/g, (_match, key: string) => String(credentials[key] ?? ''));
}

/** Evaluates the node's `outputs` expression with its parameters, as n8n does. */
export function evaluateOutputs(description: INodeTypeDescription, parameters: INodeParameters): unknown[] {
  const outputs = description.outputs;
  if (Array.isArray(outputs)) return outputs;
  const match = /^=\{\{([\s\S]*)\}\}$/.exec(outputs);
  if (!match) throw new Error(`outputs is not an expression: ${outputs}`);

  return new Function('$parameter', `return (${match[1]});`)(parameters) as unknown[];
}

export function fakeContext(options: FakeContextOptions): FakeContext {
  const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
  const requests: RecordedRequest[] = [];
  const binaryStreams: string[] = [];
  const binaryDir = options.binaryDir ?? os.tmpdir();
  const node: INode = {
    id: 'node-under-test',
    name: options.description.defaults.name ?? options.description.displayName,
    type: `n8n-nodes-harf.${options.description.name}`,
    typeVersion: 1,
    position: [0, 0],
    parameters: resolve(options.parameters, 0) as INodeParameters,
    ...(options.onError ? { onError: options.onError } : {}),
  };

  const getNodeParameter = (name: string, itemIndex: number, fallback?: unknown): unknown => {
    const raw = getPath(options.parameters as Record<string, unknown>, name);
    const top = name.split('.')[0];
    const value = raw === undefined ? undefined : resolve(raw, itemIndex);
    if (value !== undefined) return value;
    if (fallback !== undefined) return fallback;
    if (!(top in options.parameters)) throw new Error(`Could not get parameter "${name}"`);
    return undefined;
  };

  const credentialType = (name: string) => options.credentialTypes?.find((type) => type.name === name);

  const httpRequestWithAuthentication = async (name: string, request: IHttpRequestOptions): Promise<unknown> => {
    requests.push({ credentialType: name, options: request });
    const credentials = options.credentials?.[name];
    if (!credentials) {
      throw new NodeOperationError(node, `Node "${node.name}" does not have any credentials of type "${name}" set`);
    }
    const headers: Record<string, unknown> = { ...(request.headers ?? {}) };
    const authenticate = credentialType(name)?.authenticate;
    if (authenticate && typeof authenticate === 'object' && authenticate.type === 'generic') {
      for (const [header, template] of Object.entries(authenticate.properties.headers ?? {})) {
        headers[header] = renderTemplate(String(template), credentials);
      }
    }
    try {
      const response = await axios.request({
        method: request.method ?? 'GET',
        url: request.url,
        baseURL: request.baseURL,
        params: request.qs,
        headers: headers as Record<string, string>,
        data: request.body,
        // As n8n maps it: the request's encoding is axios's responseType.
        responseType: request.encoding === 'arraybuffer' || request.encoding === 'stream' ? request.encoding : 'json',
        validateStatus: request.ignoreHttpStatusErrors ? () => true : undefined,
        timeout: request.timeout,
        signal: request.abortSignal as AbortSignal | undefined,
        maxBodyLength: Infinity,
        maxContentLength: Infinity,
        // As n8n maps it (@n8n/backend-network's axios request).
        ...(request.disableFollowRedirect === true ? { maxRedirects: 0 } : {}),
        // n8n's default keeps the body as sent; no JSON parsing of array buffers.
        transformResponse: request.encoding === 'arraybuffer' || request.encoding === 'stream' ? [(data: unknown) => data] : undefined,
      });
      if (request.returnFullResponse) {
        return {
          body: response.data,
          headers: response.headers,
          statusCode: response.status,
          statusMessage: response.statusText,
        };
      }
      return response.data;
    } catch (error) {
      throw new NodeApiError(node, error as never);
    }
  };

  const inputBinary = (itemIndex: number, propertyName: string): IBinaryData => {
    const binary = items[itemIndex]?.binary?.[propertyName];
    if (!binary) {
      throw new NodeOperationError(
        node,
        `This operation expects the node's input data to contain a binary file '${propertyName}', but none was found [item ${itemIndex}]`,
        { itemIndex },
      );
    }
    return binary;
  };

  const signal = options.signal ?? new AbortController().signal;

  const context = {
    getInputData: () => items,
    getNode: () => node,
    getNodeParameter,
    getNodeOutputs: () => evaluateOutputs(options.description, node.parameters),
    continueOnFail: () => options.continueOnFail === true || options.onError !== undefined,
    getExecutionCancelSignal: () => signal,
    getCredentials: async (name: string) => {
      const credentials = options.credentials?.[name];
      if (!credentials) throw new Error(`Node does not have any credentials of type "${name}" set`);
      return credentials;
    },
    helpers: {
      httpRequestWithAuthentication,
      assertBinaryData: inputBinary,
      getBinaryDataBuffer: async (itemIndex: number, propertyName: string) => {
        const binary = inputBinary(itemIndex, propertyName);
        // n8n would read the whole file here; the nodes must stream it instead, so a test that
        // hands them a binary kept on disk fails if they ever buffer it.
        if (binary.id) {
          throw new Error(
            `getBinaryDataBuffer was called for the binary '${propertyName}' kept on disk (id ${binary.id}): stream it with getBinaryStream`,
          );
        }
        return Buffer.from(binary.data, 'base64');
      },
      getBinaryStream: async (id: string): Promise<Readable> => {
        binaryStreams.push(id);
        return fs.createReadStream(path.join(binaryDir, id));
      },
      getBinaryMetadata: async (id: string) => {
        const stat = await fs.promises.stat(path.join(binaryDir, id));
        const item = items.flatMap((entry) => Object.values(entry.binary ?? {})).find((binary) => binary.id === id);
        return { fileName: item?.fileName, mimeType: item?.mimeType, fileSize: stat.size };
      },
      binaryToBuffer: async (body: Buffer | Readable) => {
        if (Buffer.isBuffer(body)) return body;
        const chunks: Buffer[] = [];
        for await (const chunk of body) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      },
      prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string): Promise<IBinaryData> => ({
        data: data.toString('base64'),
        mimeType: mimeType ?? 'application/octet-stream',
        fileName,
        fileExtension: fileName?.split('.').pop(),
        fileSize: String(data.length),
      }),
    },
  };
  return { context: context as unknown as IExecuteFunctions, requests, binaryStreams };
}

/** A binary property held in memory (base64), as n8n's default mode keeps it. */
export function memoryBinary(data: Buffer, fileName: string, mimeType: string): IBinaryData {
  return { data: data.toString('base64'), fileName, mimeType, fileExtension: fileName.split('.').pop() };
}

/** A binary property kept on disk (filesystem mode): the item carries only an id. */
export function diskBinary(dir: string, data: Buffer, fileName: string, mimeType: string): IBinaryData {
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(path.join(dir, id), data);
  return { data: 'filesystem-v2', id, fileName, mimeType, fileExtension: fileName.split('.').pop(), fileSize: String(data.length) };
}
