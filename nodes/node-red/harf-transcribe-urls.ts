/**
 * harf-transcribe-urls: transcribes audio or video files by URL.
 * Modes: wait (one long request), submit (sends the task ids on), poll (submit, then check until done).
 */
import { readMediaUrls } from '../../lib/harf/input';
import { submittedTasks } from '../../lib/jobs';
import type { HarfConfigNode } from './accounts';
import {
  choiceSetting,
  configNode,
  messageBase,
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
import { pollAndSend, readPollSettings } from './harf-tasks';
import type { NodeAPI, NodeDefinition, NodeRedNode } from './types';

export = function register(RED: NodeAPI): void {
  function HarfTranscribeUrls(this: NodeRedNode, definition: NodeDefinition): void {
    RED.nodes.createNode(this, definition);
    const node = this;
    const account = configNode<HarfConfigNode>(RED, definition.harf, 'harf-config');
    const mode = choiceSetting(definition.mode, ['poll', 'wait', 'submit'] as const, 'poll');
    const poll = readPollSettings(definition);
    const output = readOutputOptions(definition);
    const work = new RunningWork();
    const status = statusBadge(RED, node, 'harf-transcribe-urls');
    if (!account) status.cause('missing-account');

    node.on('input', (msg, send, done) => {
      void runInput(status, work, msg, done, async (signal) => {
        if (!account) throw missingConfigError('harf', 'harf-config');
        const urls = readMediaUrls(msg.payload, 'msg.payload');
        const client = account.client();
        if (mode === 'wait') {
          status.working('transcribing', { count: urls.length });
          const files = await client.transcribeUrls(urls, { signal });
          const shaped = shapeMessages(RED, msg, resultsOf(files), { ...output, service: 'harf' });
          sendShaped(send, shaped, output.splitUncertain);
          status.transcribed(shaped.files);
          return;
        }
        status.working('submitting');
        const tasks = await client.submitUrls(urls, { signal });
        if (mode === 'submit') {
          send({ ...messageBase(RED, msg), payload: submittedTasks(tasks) });
          status.done('submitted', { count: tasks.length });
          return;
        }
        await pollAndSend(RED, node, status, client, msg, tasks, poll, output, signal, send);
      });
    });

    endWorkOnClose(node, work);
  }

  RED.nodes.registerType('harf-transcribe-urls', HarfTranscribeUrls);
};
