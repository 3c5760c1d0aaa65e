/**
 * harf-check-status: the state of submitted tasks. Poll mode waits until each task ends and sends
 * its transcript; once mode asks one time, sends what is done and one message with the tasks still
 * pending (msg.state "PENDING"), ready to loop back through a delay node. A task that failed or
 * could not be checked reaches catch nodes with its own task id.
 */
import { TaskFailedError, TaskTimedOutError } from '../../lib/errors';
import type { HarfFileResult } from '../../lib/harf/types';
import type { HarfConfigNode } from './accounts';
import {
  choiceSetting,
  configNode,
  messageBase,
  missingConfigError,
  readOutputOptions,
  readTaskIds,
  RunningWork,
  runInput,
  shapeMessages,
  statusBadge,
  type TaskReference,
  endWorkOnClose,
} from './common';
import { pollAndSend, readPollSettings } from './harf-tasks';
import type { NodeAPI, NodeDefinition, NodeMessage, NodeRedNode } from './types';

/** Status requests sent at once in once mode (one task per request, bounded). */
const CONCURRENT_CHECKS = 4;

export = function register(RED: NodeAPI): void {
  function HarfCheckStatus(this: NodeRedNode, definition: NodeDefinition): void {
    RED.nodes.createNode(this, definition);
    const node = this;
    const account = configNode<HarfConfigNode>(RED, definition.harf, 'harf-config');
    const mode = choiceSetting(definition.mode, ['poll', 'once'] as const, 'poll');
    const poll = readPollSettings(definition);
    const output = readOutputOptions(definition);
    const work = new RunningWork();
    if (!account) node.status(statusBadge.error('no Harf account'));

    node.on('input', (msg, send, done) => {
      void runInput(node, work, done, async (signal) => {
        if (!account) throw missingConfigError('harf', 'harf-config');
        const tasks = readTaskIds(msg.payload);
        const client = account.client();
        if (mode === 'poll') {
          await pollAndSend(RED, node, client, msg, tasks, poll, output, signal, send);
          return;
        }

        node.status(statusBadge.working(`checking ${tasks.length}`));
        const statuses = await client.checkTasks(
          tasks.map((task) => task.task_id),
          { concurrency: CONCURRENT_CHECKS, signal },
        );

        const files: HarfFileResult[] = [];
        const taskOfFile: string[] = [];
        const pending: TaskReference[] = [];
        const failures: Array<{ task: TaskReference; error: Error }> = [];
        statuses.forEach((status, index) => {
          const task = tasks[index];
          // A task that could not be checked is its own failure; the others are still sent.
          if (status.error) failures.push({ task, error: status.error });
          else if (status.state === 'PENDING') pending.push(task);
          else if (status.state === 'FAILURE') failures.push({ task, error: new TaskFailedError(task.task_id, { service: 'harf' }) });
          else if (status.state === 'TIMEOUT') failures.push({ task, error: new TaskTimedOutError(task.task_id, { service: 'harf' }) });
          else {
            for (const file of status.results ?? []) {
              files.push(file);
              taskOfFile.push(task.task_id);
            }
          }
        });

        const shaped = shapeMessages(RED, msg, files, output, (index) => ({ task_id: taskOfFile[index], state: 'SUCCESS' }));
        if (pending.length > 0) {
          const pendingMsg: NodeMessage = { ...messageBase(RED, msg), payload: pending, state: 'PENDING' };
          shaped.transcript.push(pendingMsg);
        }
        if (failures.length === tasks.length) {
          for (const failure of failures.slice(1)) node.error(failure.error, failedTaskMessage(msg, failure.task));
          throw failures[0].error;
        }
        for (const failure of failures) node.error(failure.error, failedTaskMessage(msg, failure.task));
        send(output.splitUncertain ? [shaped.transcript, shaped.review] : [shaped.transcript]);
        node.status(
          pending.length > 0
            ? statusBadge.waiting(`${pending.length} of ${tasks.length} pending`)
            : failures.length > 0
              ? statusBadge.waiting(`done, ${failures.length} of ${tasks.length} failed`)
              : statusBadge.done(),
        );
      });
    });

    function failedTaskMessage(msg: NodeMessage, task: TaskReference): NodeMessage {
      const out: NodeMessage = { ...messageBase(RED, msg), payload: msg.payload, task_id: task.task_id };
      if (task.media_url) out.media_url = task.media_url;
      return out;
    }

    endWorkOnClose(node, work);
  }

  RED.nodes.registerType('harf-check-status', HarfCheckStatus);
};
