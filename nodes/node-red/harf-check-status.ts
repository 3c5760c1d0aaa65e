/**
 * harf-check-status: the state of submitted tasks. Poll mode waits until each task ends and sends
 * its transcript; once mode asks one time, sends what is done and one message with the tasks still
 * pending (msg.state "PENDING"), ready to loop back through a delay node. A task that failed or
 * could not be checked reaches catch nodes with its own task id.
 */
import { checkTasksOnce, doneTranscripts, pendingTasks, taskCounts } from '../../lib/jobs';
import { readTaskIds } from '../../lib/harf/input';
import type { HarfConfigNode } from './accounts';
import {
  choiceSetting,
  configNode,
  endWorkOnClose,
  messageBase,
  missingConfigError,
  readOutputOptions,
  RunningWork,
  runInput,
  sendShaped,
  shapeMessages,
  statusBadge,
} from './common';
import { pollAndSend, readPollSettings, reportFailures } from './harf-tasks';
import type { NodeAPI, NodeDefinition, NodeMessage, NodeRedNode } from './types';

export = function register(RED: NodeAPI): void {
  function HarfCheckStatus(this: NodeRedNode, definition: NodeDefinition): void {
    RED.nodes.createNode(this, definition);
    const node = this;
    const account = configNode<HarfConfigNode>(RED, definition.harf, 'harf-config');
    const mode = choiceSetting(definition.mode, ['poll', 'once'] as const, 'poll');
    const poll = readPollSettings(definition);
    const output = readOutputOptions(definition);
    const work = new RunningWork();
    const status = statusBadge(RED, node, 'harf-check-status');
    if (!account) status.cause('missing-account');

    node.on('input', (msg, send, done) => {
      void runInput(status, work, msg, done, async (signal) => {
        if (!account) throw missingConfigError('harf', 'harf-config');
        const tasks = readTaskIds(msg.payload, 'msg.payload');
        const client = account.client();
        if (mode === 'poll') {
          await pollAndSend(RED, node, status, client, msg, tasks, poll, output, signal, send);
          return;
        }

        status.working('checking', { count: tasks.length });
        const ends = await checkTasksOnce(client, tasks, { signal });
        const shaped = shapeMessages(RED, msg, doneTranscripts(ends, { withState: true }), { ...output, service: 'harf' });
        const pending = pendingTasks(ends);
        if (pending.length > 0) {
          const pendingMsg: NodeMessage = { ...messageBase(RED, msg), payload: pending, state: 'PENDING' };
          shaped.transcript.push(pendingMsg);
        }
        reportFailures(RED, node, msg, ends);
        sendShaped(send, shaped, output.splitUncertain);
        const counts = taskCounts(ends);
        if (counts.pending > 0) status.waiting('pending', { pending: counts.pending, total: counts.total });
        else if (counts.failed > 0) status.waiting('someFailed', { failed: counts.failed, total: counts.total });
        else status.transcribed(shaped.files);
      });
    });

    endWorkOnClose(node, work);
  }

  RED.nodes.registerType('harf-check-status', HarfCheckStatus);
};
