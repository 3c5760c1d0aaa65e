/**
 * assemblyai-short-audio: transcribes short audio (WAV, OGG/Opus voice notes, MP3, FLAC, OGG/Vorbis)
 * with AssemblyAI's Sync API (up to 120 s) or the legacy /v2/stream (under 15 s). In live mode, audio
 * still being recorded arrives in chunks keyed as harf-live-stream keys them, and goes up as it comes
 * (lib's ShortAudioStreams). Output shape and the review split are the same as the Harf nodes'; a word
 * is uncertain when its confidence is below the node's threshold.
 */
import { listFromText, type ShortAudioEndpoint, type ShortAudioOptions } from '../../lib/assemblyai';

/** What a message asks of the Sync API. */
type SyncRequest = Omit<ShortAudioOptions, 'endpoint' | 'sampleRate' | 'filename' | 'signal'>;
import { BadInputError, describeValue } from '../../lib/errors';
import { SETTINGS, settingOrDefault, ShortAudioStreams } from '../../lib/jobs';
import type { TranscriptFile } from '../../lib/transcript';
import type { AssemblyAiConfigNode } from './accounts';
import {
  asError,
  configNode,
  failureMessage,
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
import { readStreamsFrom, streamProperties } from './streamChunks';
import type { NodeAPI, NodeDefinition, NodeMessage, NodeRedNode } from './types';

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

    /** The Sync API's options for a message: its own languages, key terms and prompt, else the node's. */
    const requestOf = (msg: NodeMessage): SyncRequest => ({
      model,
      languages: listFromText(msg.languages ?? definition.languages),
      keyTerms: listFromText(msg.keyTerms ?? definition.keyTerms),
      prompt: typeof msg.prompt === 'string' ? msg.prompt : prompt,
      uncertainBelow,
    });

    if (definition.mode === 'live' && endpoint === 'sync') {
      const streams = liveStreams(RED, node, definition, { account, requestOf, output, status });
      readStreamsFrom(RED, node, definition, {
        streams,
        status,
        checkAccount: () => {
          if (!account) throw missingConfigError('assemblyai', 'assemblyai-config');
        },
        onChunk: () => status.working('recording'),
      });
      return;
    }

    node.on('input', (msg, send, done) => {
      void runInput(status, work, msg, done, async (signal) => {
        if (!account) throw missingConfigError('assemblyai', 'assemblyai-config');
        if (!Buffer.isBuffer(msg.payload) || msg.payload.length === 0) {
          throw new BadInputError(
            'msg.payload',
            describeValue(msg.payload),
            'a Buffer holding an audio file (WAV, OGG/Opus, MP3, FLAC or OGG/Vorbis)',
          );
        }
        const filename = typeof msg.filename === 'string' && msg.filename !== '' ? msg.filename : undefined;
        status.working('transcribing');
        const file = await account
          .client()
          .transcribeShortAudio(msg.payload, { ...requestOf(msg), endpoint, sampleRate, filename, signal });
        const shaped = shapeMessages(RED, msg, resultsOf([file]), { ...output, service: 'assemblyai' });
        sendShaped(send, shaped, output.splitUncertain);
        status.transcribed(shaped.files);
      });
    });

    endWorkOnClose(node, work);
  }

  RED.nodes.registerType('assemblyai-short-audio', AssemblyAiShortAudio);
};

/**
 * Live mode: the chunks of one stream key go up over one Sync API request as they arrive; the stream's
 * transcript goes out (with the stream's latest message properties) when it completes or goes idle.
 */
function liveStreams(
  RED: NodeAPI,
  node: NodeRedNode,
  definition: NodeDefinition,
  context: {
    account: AssemblyAiConfigNode | undefined;
    requestOf: (msg: NodeMessage) => SyncRequest;
    output: ReturnType<typeof readOutputOptions>;
    status: ReturnType<typeof statusBadge>;
  },
): ShortAudioStreams<NodeMessage> {
  const { account, output, status } = context;
  const idleSeconds = settingOrDefault(SETTINGS.live.idleTimeout, definition.idleTimeout);
  const { keyProperty, completeProperty } = streamProperties(definition);
  const ended: TranscriptFile[] = [];
  return new ShortAudioStreams<NodeMessage>({
    client: () => {
      if (!account) throw missingConfigError('assemblyai', 'assemblyai-config');
      return account.client();
    },
    request: (msg) => context.requestOf(msg),
    idleMs: idleSeconds * 1000,
    audioField: 'msg.payload',
    // Properties set on earlier chunks stay (an end message often carries only the key).
    mergeContext: (previous, next) => ({ ...previous, ...next }),
    onTranscript: (stream, result, idleTimeout) => {
      const msg: NodeMessage = { ...stream.context, ...(idleTimeout ? { idleTimeout: true } : {}) };
      RED.util.setMessageProperty(msg, keyProperty, stream.key, true);
      RED.util.setMessageProperty(msg, completeProperty, true, true);
      const shaped = shapeMessages(RED, msg, resultsOf([result]), { ...output, service: 'assemblyai' });
      sendShaped((messages) => node.send(messages), shaped, output.splitUncertain);
      ended.push(...shaped.files);
      status.transcribed(ended);
    },
    onFailure: (stream, error) => {
      status.failed(error);
      node.error(asError(error), failureMessage({ ...stream.context, payload: undefined }, error));
    },
    onIdle: (stream) => node.warn(`Stream "${stream.key}" received no audio for ${idleSeconds} s: transcribing what came`),
  });
}
