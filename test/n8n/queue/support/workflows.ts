/**
 * Webhook-triggered workflows for queue mode: the main process receives the request and enqueues
 * the execution, a worker runs it, and the webhook answers with the Harf node's output (Respond:
 * When Last Node Finishes), so a caller sees each execution's result.
 */
import type { CredentialExport, WorkflowJson } from '../../support/n8n';

export const CREDENTIALS = {
  batch: { id: 'harfQueueBatch0001', name: 'Harf for the batch' },
  first: { id: 'harfQueueAccount01', name: 'Harf, first account' },
  second: { id: 'harfQueueAccount02', name: 'Harf, second account' },
};

export function queueCredentials(baseUrl: string, tokens: { batch: string; first: string; second: string }): CredentialExport[] {
  return (Object.keys(CREDENTIALS) as Array<keyof typeof CREDENTIALS>).map((key) => ({
    ...CREDENTIALS[key],
    type: 'harfApi',
    data: { token: tokens[key], baseUrl },
  }));
}

function webhookWorkflow(
  id: string,
  webhookPath: string,
  responseData: 'firstEntryJson' | 'allEntries',
  harf: { credential: { id: string; name: string }; parameters: Record<string, unknown> },
): WorkflowJson {
  return {
    id,
    name: `queue: ${webhookPath}`,
    settings: { executionOrder: 'v1' },
    nodes: [
      {
        id: `${id}-webhook`,
        name: 'Webhook',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        webhookId: `${id}-hook`,
        parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData, options: {} },
      },
      {
        id: `${id}-harf`,
        name: 'Harf',
        type: 'n8n-nodes-harf.harf',
        typeVersion: 1,
        position: [220, 0],
        credentials: { harfApi: harf.credential },
        parameters: harf.parameters,
      },
    ],
    connections: { Webhook: { main: [[{ node: 'Harf', type: 'main', index: 0 }]] } },
  };
}

/** One media URL per request (`{"url": …}`), submitted and polled. */
function transcribeUrl(id: string, webhookPath: string, credential: { id: string; name: string }): WorkflowJson {
  return webhookWorkflow(id, webhookPath, 'firstEntryJson', {
    credential,
    parameters: {
      operation: 'transcribeUrls',
      mediaUrls: '={{ $json.body.url }}',
      mode: 'poll',
      output: 'file',
      options: { pollInterval: 0.5, backoffFactor: 1 },
    },
  });
}

export const batchWorkflow = transcribeUrl('harfQueueBatch00001', 'harf-batch', CREDENTIALS.batch);
export const firstAccountWorkflow = transcribeUrl('harfQueueAccount001', 'harf-first-account', CREDENTIALS.first);
export const secondAccountWorkflow = transcribeUrl('harfQueueAccount002', 'harf-second-account', CREDENTIALS.second);

/** The request's body is the WAV itself; the webhook makes it the binary field `data`. */
export const uploadWorkflow = webhookWorkflow('harfQueueUpload0001', 'harf-upload', 'firstEntryJson', {
  credential: CREDENTIALS.batch,
  parameters: { operation: 'uploadFile', binaryPropertyName: 'data', output: 'file', options: {} },
});

export const liveWorkflow = webhookWorkflow('harfQueueLive000001', 'harf-live', 'allEntries', {
  credential: CREDENTIALS.batch,
  parameters: { operation: 'liveStream', binaryPropertyName: 'data', output: 'segment', options: {} },
});

export const queueWorkflows = [batchWorkflow, firstAccountWorkflow, secondAccountWorkflow, uploadWorkflow, liveWorkflow];
