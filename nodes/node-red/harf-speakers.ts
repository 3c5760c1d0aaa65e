/**
 * harf-speakers: who spoke when, and whose voice it is. The node's Task setting picks diarize,
 * identify, verify or index; the media URL(s), the known speakers and their samples come from
 * msg.payload or from the node's settings.
 */
import { givesTranscripts, readSpeakerSamples, runSpeakerJob, SPEAKER_JOBS, type SpeakerJob, type SpeakerJobInput } from '../../lib/jobs';
import { checkThreshold } from '../../lib/harf/speakers';
import type { HarfConfigNode } from './accounts';
import {
  choiceSetting,
  configNode,
  endWorkOnClose,
  messageBase,
  missingConfigError,
  outputMessages,
  readMediaUrls,
  readOutputOptions,
  RunningWork,
  runInput,
  sendShaped,
  statusBadge,
} from './common';
import type { NodeAPI, NodeDefinition, NodeMessage, NodeRedNode } from './types';

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The payload's object form, or an empty one (a text payload is the media URL). */
function payloadObject(msg: NodeMessage): Record<string, unknown> {
  const payload = msg.payload;
  if (payload && typeof payload === 'object' && !Array.isArray(payload) && !Buffer.isBuffer(payload)) return payload as Record<string, unknown>;
  return {};
}

export = function register(RED: NodeAPI): void {
  function HarfSpeakers(this: NodeRedNode, definition: NodeDefinition): void {
    RED.nodes.createNode(this, definition);
    const node = this;
    const account = configNode<HarfConfigNode>(RED, definition.harf, 'harf-config');
    const job = choiceSetting<SpeakerJob>(definition.task, SPEAKER_JOBS, 'diarize');
    const transcript = givesTranscripts(job);
    const output = readOutputOptions(definition, undefined, transcript);
    const work = new RunningWork();
    const status = statusBadge(RED, node, 'harf-speakers');
    const working: Record<SpeakerJob, () => void> = {
      diarize: () => status.working('diarizing'),
      identify: () => status.working('identifying'),
      verify: () => status.working('verifying'),
      index: () => status.working('indexing'),
    };
    if (!account) status.cause('missing-account');

    node.on('input', (msg, send, done) => {
      void runInput(status, work, done, async (signal) => {
        if (!account) throw missingConfigError('harf', 'harf-config');
        const payload = payloadObject(msg);
        const fromPayload = (key: string) => payload[key] !== undefined;
        const urls = payload.media_urls ?? payload.media_url ?? (typeof msg.payload === 'string' || Array.isArray(msg.payload) ? msg.payload : undefined);
        const mediaUrls =
          urls !== undefined && urls !== ''
            ? readMediaUrls(urls, fromPayload('media_urls') ? 'msg.payload.media_urls' : fromPayload('media_url') ? 'msg.payload.media_url' : 'msg.payload')
            : readMediaUrls(text(definition.mediaUrls), 'media URLs');
        const input: SpeakerJobInput = { mediaUrls };
        if (job === 'identify' || job === 'index') {
          const given = payload.speakers ?? payload.target_urls;
          input.speakers = given !== undefined
            ? readSpeakerSamples(given, fromPayload('speakers') ? 'msg.payload.speakers' : 'msg.payload.target_urls')
            : readSpeakerSamples(text(definition.speakers), 'known speakers');
        }
        if (job === 'verify') {
          const given = payload.sample_urls ?? payload.target_urls;
          input.sampleUrls = readMediaUrls(given ?? text(definition.sampleUrls), given !== undefined ? 'msg.payload.sample_urls' : 'sample URLs');
        }
        if (job === 'diarize') input.speakerNames = (payload.speaker_names as Record<string, string> | undefined) ?? text(definition.speakerNames);
        if (job !== 'diarize') {
          input.threshold = checkThreshold(payload.threshold ?? (text(definition.threshold) || undefined), payload.threshold !== undefined ? 'msg.payload.threshold' : 'threshold');
        }

        working[job]();
        const outputs = await runSpeakerJob(account.client(), job, input, { ...output, service: 'harf' }, { signal });
        if (transcript) sendShaped(send, outputMessages(RED, msg, outputs, output), output.splitUncertain);
        else send([outputs.verdicts.map((verdict) => ({ ...messageBase(RED, msg), payload: verdict }))]);
        status.done();
      });
    });

    endWorkOnClose(node, work);
  }

  RED.nodes.registerType('harf-speakers', HarfSpeakers);
};
