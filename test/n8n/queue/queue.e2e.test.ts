/**
 * The packed package in n8n 2.x queue mode: Debian's Redis and PostgreSQL, one main process and
 * two workers, each with its own user folder (as on separate machines), against the Harf sandbox.
 * Webhook-triggered executions are enqueued by the main process and run by the workers; the
 * sandbox counts every job started, so a job started twice shows.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { wav } from '../../support/wav';
import { startQueueCluster, type QueueCluster } from './support/cluster';
import {
  batchWorkflow,
  firstAccountWorkflow,
  liveWorkflow,
  queueCredentials,
  queueWorkflows,
  secondAccountWorkflow,
  uploadWorkflow,
} from './support/workflows';

const PERSIAN = /[\u0600-\u06FF]/;
const FIRST_TOKEN = 'harf-first-account-token-3d9a';
const SECOND_TOKEN = 'harf-second-account-token-8b4c';

interface Reply {
  status: number;
  json: any;
  text: string;
}

function post(url: string, body: Buffer, headers: Record<string, string>, timeoutMs = 180_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent: false, headers: { ...headers, 'content-length': String(body.length) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, json, text });
        });
        response.on('error', reject);
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

const postJson = (url: string, body: unknown, timeoutMs?: number) =>
  post(url, Buffer.from(JSON.stringify(body)), { 'content-type': 'application/json' }, timeoutMs);

/** Runs `tasks` with at most `limit` at once; each outcome in order, fulfilled or rejected. */
async function inParallel<T>(limit: number, tasks: Array<() => Promise<T>>): Promise<Array<PromiseSettledResult<T>>> {
  const results: Array<PromiseSettledResult<T>> = new Array(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await tasks[index]() };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  return results;
}

const mediaUrl = (batch: string, index: number) =>
  `https://podcasts.example.org/${batch}/episode-${String(index).padStart(3, '0')}.mp3?duration=30`;

describe('n8n queue mode: one main, two workers, Redis and PostgreSQL', () => {
  let sandbox: Sandbox;
  let cluster: QueueCluster;

  /** Executions of a workflow as n8n recorded them: id → status. */
  const executionsOf = (workflowId: string): Map<string, string> =>
    new Map(
      cluster.postgres
        .query(`SELECT id, status FROM execution_entity WHERE "workflowId" = '${workflowId}' ORDER BY id`)
        .map(([id, status]) => [id, status]),
    );

  /** Which worker logged that it started each of these executions. */
  const workerOf = (ids: Iterable<string>): Map<string, string[]> => {
    const byWorker = cluster.executionsStartedBy();
    return new Map([...ids].map((id) => [id, Object.keys(byWorker).filter((name) => byWorker[name].has(id))]));
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ taskDelayMs: 300, processingDelayMs: 50, tokens: [FIRST_TOKEN, SECOND_TOKEN] });
    cluster = await startQueueCluster({
      credentials: queueCredentials(sandbox.url, { batch: sandbox.token, first: FIRST_TOKEN, second: SECOND_TOKEN }),
      workflows: queueWorkflows,
    });
  }, 900_000);

  afterAll(async () => {
    await cluster?.stop();
    await sandbox?.close();
  }, 120_000);

  beforeEach(() => {
    sandbox.resetJobs();
    sandbox.configure({ taskDelayMs: 300, processingDelayMs: 50 });
  });

  jest.setTimeout(600_000);

  test('the main process only enqueues: it runs no execution itself, and the workers are ready', () => {
    expect(cluster.workers).toHaveLength(2);
    for (const process of [cluster.main, ...cluster.workers]) expect(process.alive()).toBe(true);
    expect(cluster.main.output()).not.toMatch(/Worker started execution/);
    expect(cluster.postgres.query('SELECT count(*) FROM workflow_entity WHERE "activeVersionId" IS NOT NULL')[0][0]).toBe(
      String(queueWorkflows.length),
    );
  });

  test('a batch of 200 media URLs through the webhook: each submitted once, every execution succeeds, both workers ran some', async () => {
    const urls = Array.from({ length: 200 }, (_, index) => mediaUrl('batch', index));
    const replies = await inParallel(
      20,
      urls.map((url) => () => postJson(cluster.webhookUrl('harf-batch'), { url })),
    );
    const failures = replies.flatMap((reply, index) =>
      reply.status === 'rejected'
        ? [`${urls[index]}: ${reply.reason}`]
        : reply.value.status !== 200
          ? [`${urls[index]}: ${reply.value.status} ${reply.value.text.slice(0, 300)}`]
          : [],
    );
    expect(failures).toEqual([]);
    replies.forEach((reply, index) => {
      const item = (reply as PromiseFulfilledResult<Reply>).value.json;
      expect(item.media_url).toBe(urls[index]);
      expect(item.task_id).toEqual(expect.any(String));
      expect(item.duration_seconds).toBe(30);
      expect(item.text).toMatch(PERSIAN);
    });

    const jobs = sandbox.jobs();
    expect(jobs.started).toBe(200);
    expect(jobs.byMediaUrl).toEqual(Object.fromEntries(urls.map((url) => [url, 1])));

    const executions = executionsOf(batchWorkflow.id);
    expect(executions.size).toBe(200);
    expect([...executions.values()].every((status) => status === 'success')).toBe(true);
    const ranBy = workerOf(executions.keys());
    // Each execution was started by exactly one worker (never by both, never by none).
    expect([...ranBy.values()].every((names) => names.length === 1)).toBe(true);
    const perWorker = cluster.workers.map((worker) => [...ranBy.values()].filter((names) => names[0] === worker.name).length);
    console.log(`batch of 200: ${cluster.workers.map((worker, index) => `${worker.name} ran ${perWorker[index]}`).join(', ')}`);
    for (const count of perWorker) expect(count).toBeGreaterThan(0);
  });

  test("uploads: 20 WAVs carried by the webhook reach the sandbox intact from the workers (binary data in n8n's database)", async () => {
    const files = Array.from({ length: 20 }, (_, index) => {
      const audio = wav(16000, 1 + index * 0.25);
      audio[audio.length - 1] = index; // every file different to the last byte
      return { name: `voice-${String(index).padStart(2, '0')}.wav`, audio, sha256: createHash('sha256').update(audio).digest('hex') };
    });
    const replies = await inParallel(
      10,
      files.map(
        (file) => () =>
          post(cluster.webhookUrl('harf-upload'), file.audio, {
            'content-type': 'audio/wav',
            'content-disposition': `attachment; filename="${file.name}"`,
          }),
      ),
    );
    replies.forEach((reply, index) => {
      expect(reply.status).toBe('fulfilled');
      const { status, json, text } = (reply as PromiseFulfilledResult<Reply>).value;
      expect({ status, text: status === 200 ? '' : text }).toEqual({ status: 200, text: '' });
      expect(json.file_name).toBe(files[index].name);
      expect(json.duration_seconds).toBeCloseTo(1 + index * 0.25, 2);
    });

    const received = new Map(sandbox.uploads.map((upload) => [upload.fileName, upload]));
    expect(sandbox.uploads).toHaveLength(20);
    for (const file of files) {
      expect(received.get(file.name)).toMatchObject({ bytes: file.audio.length, sha256: file.sha256, contentType: 'audio/wav' });
    }
    expect(sandbox.jobs().started).toBe(20);

    const executions = executionsOf(uploadWorkflow.id);
    expect(executions.size).toBe(20);
    expect([...executions.values()].every((status) => status === 'success')).toBe(true);
    expect([...workerOf(executions.keys()).values()].every((names) => names.length === 1)).toBe(true);
    // The main process stored each webhook's file where the workers could read it: in the database
    // (each process has its own user folder, so a file on the main's disk is not on a worker's).
    const stored = new Map(
      cluster.postgres
        .query(`SELECT "fileName", "fileSize" FROM binary_data WHERE "fileName" LIKE 'voice-%.wav'`)
        .map(([name, size]) => [name, Number(size)]),
    );
    for (const file of files) expect(stored.get(file.name)).toBe(file.audio.length);
  });

  test('the live stream operation runs in a worker: the WAV is streamed and its segments come back', async () => {
    const sessionsBefore = sandbox.liveSessions.length;
    const before = new Set(executionsOf(liveWorkflow.id).keys());
    const reply = await post(cluster.webhookUrl('harf-live'), wav(16000, 11), {
      'content-type': 'audio/wav',
      'content-disposition': 'attachment; filename="live.wav"',
    });
    expect(reply.status).toBe(200);
    const segments = reply.json as Array<Record<string, any>>;
    expect(segments.length).toBeGreaterThanOrEqual(2);
    segments.forEach((segment, index) => {
      expect(segment.segment_index).toBe(index);
      expect(segment.text).toMatch(PERSIAN);
    });
    expect(segments[segments.length - 1].end_seconds).toBeCloseTo(11, 1);

    expect(sandbox.liveSessions).toHaveLength(sessionsBefore + 1);
    const session = sandbox.liveSessions[sandbox.liveSessions.length - 1];
    expect(session.audioBytes).toBe(11 * 32000);
    expect(session.finalized).toBe(true);

    const [executionId, ...more] = [...executionsOf(liveWorkflow.id).keys()].filter((id) => !before.has(id));
    expect(more).toEqual([]);
    expect(workerOf([executionId]).get(executionId)).toEqual([expect.stringMatching(/^worker-/)]);
  });

  test('two workflows with different credentials running at once never mix: each account sees only its own jobs', async () => {
    const first = Array.from({ length: 30 }, (_, index) => mediaUrl('first-account', index));
    const second = Array.from({ length: 30 }, (_, index) => mediaUrl('second-account', index));
    // Interleaved, so executions of both workflows run side by side in the same workers.
    const requests = first.flatMap((url, index) => [
      { path: 'harf-first-account', url },
      { path: 'harf-second-account', url: second[index] },
    ]);
    const replies = await inParallel(
      20,
      requests.map((request) => () => postJson(cluster.webhookUrl(request.path), { url: request.url })),
    );
    replies.forEach((reply, index) => {
      expect(reply.status).toBe('fulfilled');
      const { status, json } = (reply as PromiseFulfilledResult<Reply>).value;
      expect(status).toBe(200);
      expect(json.media_url).toBe(requests[index].url);
      expect(json.text).toMatch(PERSIAN);
    });
    // A task is seen only by the account that submitted it: a check sent with the other token would
    // have stayed PENDING, and a submission with it would be counted under the other account.
    expect(sandbox.jobs().byAccount).toEqual({
      '0': {},
      '1': Object.fromEntries(first.map((url) => [url, 1])),
      '2': Object.fromEntries(second.map((url) => [url, 1])),
    });
    const ranBy = workerOf([...executionsOf(firstAccountWorkflow.id).keys(), ...executionsOf(secondAccountWorkflow.id).keys()]);
    expect(ranBy.size).toBe(60);
    for (const worker of cluster.workers) expect([...ranBy.values()].some((names) => names[0] === worker.name)).toBe(true);
  });

  test('a worker killed mid-batch: n8n fails what it was running, and no job is ever started twice', async () => {
    // Slow tasks, so the executions are still polling when the worker dies.
    sandbox.configure({ taskDelayMs: 8000 });
    const urls = Array.from({ length: 30 }, (_, index) => mediaUrl('killed', index));
    const victim = cluster.workers[0];
    const survivor = cluster.workers[1];
    const before = new Set(executionsOf(batchWorkflow.id).keys());
    const startedBefore = cluster.executionsStartedBy()[victim.name].size;
    const batch = inParallel(
      30,
      urls.map((url) => () => postJson(cluster.webhookUrl('harf-batch'), { url }, 240_000)),
    );
    const deadline = Date.now() + 120_000;
    while (cluster.executionsStartedBy()[victim.name].size - startedBefore < 3 || sandbox.jobs().started < 10) {
      if (Date.now() > deadline) throw new Error(`${victim.name} started no execution of the batch within 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    victim.kill('SIGKILL');
    await victim.exited;
    const replies = await batch;

    // n8n's part: the executions the dead worker held end failed ("stalled"); the rest succeed on the survivor.
    const deadlineRecorded = Date.now() + 120_000;
    let executions = new Map([...executionsOf(batchWorkflow.id)].filter(([id]) => !before.has(id)));
    while ([...executions.values()].some((status) => status === 'running' || status === 'new')) {
      if (Date.now() > deadlineRecorded) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      executions = new Map([...executionsOf(batchWorkflow.id)].filter(([id]) => !before.has(id)));
    }
    const ranBy = workerOf(executions.keys());
    const onVictim = [...executions.keys()].filter((id) => ranBy.get(id)!.includes(victim.name));
    const onSurvivor = [...executions.keys()].filter((id) => ranBy.get(id)!.includes(survivor.name));
    const statuses = (ids: string[]) => ids.map((id) => executions.get(id));
    const errors = cluster.postgres.query(
      `SELECT e.id, e.status, d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE e.id IN (${onVictim.map((id) => `'${id}'`).join(',') || "'0'"})`,
    );
    const answered = replies.map((reply) => (reply.status === 'fulfilled' ? reply.value.status : `no answer: ${reply.reason}`));
    console.log(
      `worker killed: ${onVictim.length} executions on it, statuses ${JSON.stringify(statuses(onVictim))}; ` +
        `${onSurvivor.length} on the survivor; webhook answers ${JSON.stringify(answered.reduce<Record<string, number>>((counts, status) => ({ ...counts, [String(status)]: (counts[String(status)] ?? 0) + 1 }), {}))}; ` +
        `stalled message seen: ${errors.some(([, , data]) => data.includes('failed to be processed too many times'))}`,
    );

    expect(executions.size).toBe(30);
    expect(onVictim.length).toBeGreaterThan(0);
    // No execution was started again on the other worker after its first worker died.
    expect([...ranBy.values()].every((names) => names.length === 1)).toBe(true);
    expect(statuses(onSurvivor).every((status) => status === 'success')).toBe(true);
    expect(statuses(onVictim).every((status) => status !== 'success')).toBe(true);

    // The node's part: whatever n8n did, no media URL was submitted twice.
    const counts = sandbox.jobs().byMediaUrl;
    expect(Object.entries(counts).filter(([, count]) => count > 1)).toEqual([]);
    expect(Object.keys(counts).every((url) => urls.includes(url))).toBe(true);
    // Every execution the survivor finished answered its caller with its own transcript.
    const succeeded = replies.filter((reply) => reply.status === 'fulfilled' && reply.value.status === 200);
    expect(succeeded.length).toBe(onSurvivor.length);
    expect(survivor.alive()).toBe(true);
  });

  test('no token appears in anything the main process or the workers printed', () => {
    const printed = [cluster.main, ...cluster.workers].map((process) => process.output()).join('\n');
    expect(printed).toMatch(/Worker started execution/);
    for (const secret of [sandbox.token, FIRST_TOKEN, SECOND_TOKEN]) expect(printed).not.toContain(secret);
  });
});
