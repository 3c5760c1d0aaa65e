/**
 * harf-upload-file: uploads one audio or video file and transcribes it.
 * msg.payload is a Buffer (msg.filename gives its name, and so its type) or the path of a file,
 * which is streamed from disk and never read whole into memory.
 */
import { BadInputError, describeValue } from '../../lib/errors';
import type { UploadOptions } from '../../lib/harf/types';
import { checkUploadSource } from '../../lib/jobs';
import type { HarfConfigNode } from './accounts';
import {
  configNode,
  missingConfigError,
  readOutputOptions,
  resultsOf,
  RunningWork,
  runInput,
  sendShaped,
  shapeMessages,
  statusBadge,
  endWorkOnClose,
} from './common';
import type { NodeAPI, NodeDefinition, NodeMessage, NodeRedNode } from './types';

const EXPECTED_SOURCE = 'a Buffer with the file (msg.filename naming it) or the path of an audio or video file';

function optionalText(msg: NodeMessage, property: string): string | undefined {
  const value = msg[property];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new BadInputError(`msg.${property}`, describeValue(value), 'text');
  return value;
}

export = function register(RED: NodeAPI): void {
  function HarfUploadFile(this: NodeRedNode, definition: NodeDefinition): void {
    RED.nodes.createNode(this, definition);
    const node = this;
    const account = configNode<HarfConfigNode>(RED, definition.harf, 'harf-config');
    const output = readOutputOptions(definition);
    const work = new RunningWork();
    const status = statusBadge(RED, node, 'harf-upload-file');
    if (!account) status.cause('missing-account');

    node.on('input', (msg, send, done) => {
      void runInput(status, work, msg, done, async (signal) => {
        if (!account) throw missingConfigError('harf', 'harf-config');
        const filename = optionalText(msg, 'filename');
        const contentType = optionalText(msg, 'contentType');
        const { source, size } = await checkUploadSource(msg.payload, { field: 'msg.payload', expected: EXPECTED_SOURCE });
        // The badge changes once per percent, not once per piece read (4,096 for 1 GiB).
        let shownPercent = 0;
        const options: UploadOptions = {
          signal,
          filename,
          contentType,
          onProgress: (sent) => {
            const percent = Math.min(100, Math.round((sent / size) * 100));
            if (signal.aborted || percent === shownPercent) return;
            shownPercent = percent;
            status.working('uploading', { percent });
          },
        };
        status.working('uploading', { percent: 0 });
        const files = await account.client().uploadFile(source, options);
        const shaped = shapeMessages(RED, msg, resultsOf(files), { ...output, service: 'harf' });
        sendShaped(send, shaped, output.splitUncertain);
        status.transcribed(shaped.files);
      });
    });

    endWorkOnClose(node, work);
  }

  RED.nodes.registerType('harf-upload-file', HarfUploadFile);
};
