/**
 * assemblyai-short-audio: transcribes short audio (WAV, OGG/Opus voice notes, MP3, FLAC, OGG/Vorbis)
 * with AssemblyAI's Sync API (up to 120 s) or the legacy /v2/stream (under 15 s). Output shape and the
 * review split are the same as the Harf nodes'; a word is uncertain when its confidence is below the
 * node's threshold.
 */
import { listFromText, type ShortAudioEndpoint } from '../../lib/assemblyai';
import { BadInputError, describeValue } from '../../lib/errors';
import { SETTINGS, settingOrDefault } from '../../lib/jobs';
import type { AssemblyAiConfigNode } from './accounts';
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
import type { NodeAPI, NodeDefinition, NodeRedNode } from './types';

export = function register(RED: NodeAPI): void {
  function AssemblyAiShortAudio(this: NodeRedNode, definition: NodeDefinition): void {
    RED.nodes.createNode(this, definition);
    const node = this;
    const account = configNode<AssemblyAiConfigNode>(RED, definition.assemblyai, 'assemblyai-config');
    const sampleRate = settingOrDefault(SETTINGS.assemblyAi.sampleRate, definition.sampleRate);
    const uncertainBelow = settingOrDefault(SETTINGS.assemblyAi.uncertainBelow, definition.threshold);
    const endpoint = (definition.endpoint || 'sync') as ShortAudioEndpoint;
    const model = typeof definition.model === 'string' ? definition.model : undefined;
    const prompt = typeof definition.prompt === 'string' ? definition.prompt : undefined;
    const output = readOutputOptions(definition);
    const work = new RunningWork();
    const status = statusBadge(RED, node, 'assemblyai-short-audio');
    if (!account) status.cause('missing-account');

    node.on('input', (msg, send, done) => {
      void runInput(status, work, msg, done, async (signal) => {
        if (!account) throw missingConfigError('assemblyai', 'assemblyai-config');
        if (!Buffer.isBuffer(msg.payload) || msg.payload.length === 0) {
          throw new BadInputError('msg.payload', describeValue(msg.payload), 'a Buffer holding an audio file (WAV, OGG/Opus, MP3, FLAC or OGG/Vorbis)');
        }
        const filename = typeof msg.filename === 'string' && msg.filename !== '' ? msg.filename : undefined;
        status.working('transcribing');
        const file = await account.client().transcribeShortAudio(msg.payload, {
          endpoint,
          model,
          languages: listFromText(msg.languages ?? definition.languages),
          keyTerms: listFromText(msg.keyTerms ?? definition.keyTerms),
          prompt: typeof msg.prompt === 'string' ? msg.prompt : prompt,
          sampleRate,
          uncertainBelow,
          filename,
          signal,
        });
        const shaped = shapeMessages(RED, msg, resultsOf([file]), { ...output, service: 'assemblyai' });
        sendShaped(send, shaped, output.splitUncertain);
        status.transcribed(shaped.files);
      });
    });

    endWorkOnClose(node, work);
  }

  RED.nodes.registerType('assemblyai-short-audio', AssemblyAiShortAudio);
};
