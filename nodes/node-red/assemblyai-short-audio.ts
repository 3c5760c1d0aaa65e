/**
 * assemblyai-short-audio: transcribes a short WAV (under 15 seconds) with AssemblyAI's synchronous
 * endpoint. Output shape and the review split are the same as the Harf nodes'; a word is uncertain
 * when its confidence is below the node's threshold.
 */
import { BadInputError, describeValue } from '../../lib/errors';
import { SETTINGS } from '../../lib/jobs';
import type { AssemblyAiConfigNode } from './accounts';
import {
  configNode,
  missingConfigError,
  numberSetting,
  readOutputOptions,
  resultsOf,
  RunningWork,
  runInput,
  sendShaped,
  shapeMessages,
  statusBadge,
  endWorkOnClose,
} from './common';
import type { NodeAPI, NodeDefinition, NodeRedNode } from './types';

export = function register(RED: NodeAPI): void {
  function AssemblyAiShortAudio(this: NodeRedNode, definition: NodeDefinition): void {
    RED.nodes.createNode(this, definition);
    const node = this;
    const account = configNode<AssemblyAiConfigNode>(RED, definition.assemblyai, 'assemblyai-config');
    const sampleRate = numberSetting(definition.sampleRate, SETTINGS.assemblyAi.sampleRate);
    const uncertainBelow = numberSetting(definition.threshold, SETTINGS.assemblyAi.uncertainBelow);
    const output = readOutputOptions(definition);
    const work = new RunningWork();
    const status = statusBadge(RED, node, 'assemblyai-short-audio');
    if (!account) status.cause('missing-account');

    node.on('input', (msg, send, done) => {
      void runInput(status, work, done, async (signal) => {
        if (!account) throw missingConfigError('assemblyai', 'assemblyai-config');
        if (!Buffer.isBuffer(msg.payload) || msg.payload.length === 0) {
          throw new BadInputError('msg.payload', describeValue(msg.payload), 'a Buffer holding a WAV file under 15 seconds');
        }
        const filename = typeof msg.filename === 'string' && msg.filename !== '' ? msg.filename : undefined;
        status.working('transcribing');
        const file = await account.client().transcribeShortAudio(msg.payload, { sampleRate, uncertainBelow, filename, signal });
        sendShaped(send, shapeMessages(RED, msg, resultsOf([file]), { ...output, service: 'assemblyai' }), output.splitUncertain);
        status.done();
      });
    });

    endWorkOnClose(node, work);
  }

  RED.nodes.registerType('assemblyai-short-audio', AssemblyAiShortAudio);
};
