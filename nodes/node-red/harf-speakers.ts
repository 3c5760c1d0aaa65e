/**
 * harf-speakers: who spoke when, and whose voice it is. The node's Task setting picks diarize,
 * identify, verify or index; the media URL(s), the known speakers and their samples come from
 * msg.payload or from the node's settings.
 */
import { givesTranscripts, runSpeakerJob, speakerJobInput, SPEAKER_JOBS, type SpeakerJob } from '../../lib/jobs';
import type { HarfConfigNode } from './accounts';
import {
  choiceSetting,
  configNode,
  endWorkOnClose,
  messageBase,
  missingConfigError,
  outputMessages,
  readOutputOptions,
  RunningWork,
  runInput,
  sendShaped,
  statusBadge,
  type StatusBadge,
} from './common';
import type { NodeAPI, NodeDefinition, NodeRedNode } from './types';

/** What identification or verification found: "identified: Maryam", "no known speaker", "same speaker"… */
function showVerdict(status: StatusBadge, verdict: Record<string, unknown> | undefined): void {
  if (verdict?.identified === true) status.done('identified', { speaker: verdict.speaker });
  else if (verdict?.identified === false) status.done('notIdentified');
  else status.done(verdict?.verified === true ? 'verified' : 'notVerified');
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
      void runInput(status, work, msg, done, async (signal) => {
        if (!account) throw missingConfigError('harf', 'harf-config');
        const input = speakerJobInput(job, { given: msg.payload, givenField: 'msg.payload', settings: definition });
        working[job]();
        const outputs = await runSpeakerJob(account.client(), job, input, { ...output, service: 'harf' }, { signal });
        if (transcript) {
          const shaped = outputMessages(RED, msg, outputs, output);
          sendShaped(send, shaped, output.splitUncertain);
          status.transcribed(shaped.files);
          return;
        }
        send([outputs.verdicts.map((verdict) => ({ ...messageBase(RED, msg), payload: verdict }))]);
        showVerdict(status, outputs.verdicts[0]);
      });
    });

    endWorkOnClose(node, work);
  }

  RED.nodes.registerType('harf-speakers', HarfSpeakers);
};
