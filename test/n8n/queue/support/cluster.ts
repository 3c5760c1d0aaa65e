/**
 * n8n in queue mode, as users scale it out: Debian's Redis and PostgreSQL (throwaway instances on
 * free ports), one main process (`n8n start`: editor, webhooks, enqueues executions) and workers
 * (`n8n worker`: run them), all sharing the encryption key. Each process has its own user folder,
 * as on separate machines, with the packed package installed there as a community package.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  cleanN8nEnv,
  freePort,
  HEADLESS_N8N_ENV,
  installCommunityPackage,
  packedTarball,
  provisionN8n,
  runCommand,
  tail,
  type CredentialExport,
  type N8nRuntime,
  type WorkflowJson,
} from '../../support/n8n';
import { startProcess, stopProcess, waitReady, type N8nProcess } from '../../support/server';

const services = require('../../../../scripts/runtimes/services') as {
  startRedis: () => Promise<Redis>;
  startPostgres: () => Promise<Postgres>;
};

export interface Redis {
  host: string;
  port: number;
  stop(): Promise<void>;
}

export interface Postgres {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  query(sql: string): string[][];
  stop(): Promise<void>;
}

export interface QueueCluster {
  runtime: N8nRuntime;
  redis: Redis;
  postgres: Postgres;
  main: N8nProcess;
  workers: N8nProcess[];
  /** The production URL of a webhook path on the main process. */
  webhookUrl(webhookPath: string): string;
  /** Execution ids each worker logged as started, by worker name. */
  executionsStartedBy(): Record<string, Set<string>>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  credentials: CredentialExport[];
  /** Imported, then published so their webhooks are live when the main process starts. */
  workflows: WorkflowJson[];
  workers?: number;
  concurrency?: number;
  /** N8N_DEFAULT_BINARY_DATA_MODE for every process; unset lets n8n choose (in queue mode: database). */
  binaryDataMode?: string;
  env?: NodeJS.ProcessEnv;
}

const ENCRYPTION_KEY = 'harf-queue-encryption-key-5e7c1a9b3d';

/** Starts Redis, PostgreSQL, the main process and the workers; tears down what started if any step fails. */
export async function startQueueCluster(options: ClusterOptions): Promise<QueueCluster> {
  const runtime = provisionN8n();
  const tarball = packedTarball();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'harf-n8n-queue-'));
  const started: { redis?: Redis; postgres?: Postgres; processes: N8nProcess[] } = { processes: [] };
  const stop = async () => {
    await Promise.all(started.processes.map(stopProcess));
    await started.postgres?.stop();
    await started.redis?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    const [redis, postgres] = await Promise.all([services.startRedis(), services.startPostgres()]);
    started.redis = redis;
    started.postgres = postgres;

    const baseEnv = cleanN8nEnv();
    const workerCount = options.workers ?? 2;
    const names = ['main', ...Array.from({ length: workerCount }, (_, index) => `worker-${index + 1}`)];
    const folders = Object.fromEntries(names.map((name) => [name, path.join(root, name)]));
    // Installed once, then copied: each process loads the package from its own user folder.
    const nodesDir = path.join(folders.main, '.n8n', 'nodes');
    fs.mkdirSync(nodesDir, { recursive: true });
    await installCommunityPackage(nodesDir, tarball, baseEnv);
    for (const name of names.slice(1)) fs.cpSync(path.join(folders.main, '.n8n'), path.join(folders[name], '.n8n'), { recursive: true });

    const shared: NodeJS.ProcessEnv = {
      ...baseEnv,
      ...HEADLESS_N8N_ENV,
      N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
      DB_TYPE: 'postgresdb',
      DB_POSTGRESDB_HOST: postgres.host,
      DB_POSTGRESDB_PORT: String(postgres.port),
      DB_POSTGRESDB_DATABASE: postgres.database,
      DB_POSTGRESDB_USER: postgres.user,
      DB_POSTGRESDB_PASSWORD: postgres.password,
      EXECUTIONS_MODE: 'queue',
      QUEUE_BULL_REDIS_HOST: redis.host,
      QUEUE_BULL_REDIS_PORT: String(redis.port),
      // A dead worker's jobs are noticed within seconds rather than n8n's default half minute.
      QUEUE_WORKER_LOCK_DURATION: '10000',
      QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
      QUEUE_WORKER_STALLED_INTERVAL: '5000',
      N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
      // The MCP server registry would be fetched from n8n's site; this machine reaches no site.
      N8N_DISABLED_MODULES: 'mcp-registry',
      ...(options.binaryDataMode ? { N8N_DEFAULT_BINARY_DATA_MODE: options.binaryDataMode } : {}),
      ...options.env,
    };
    const envFor = async (name: string, extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> => ({
      ...shared,
      N8N_USER_FOLDER: folders[name],
      // The JS task runner's broker listens on a port: one of its own for each process.
      N8N_RUNNERS_BROKER_PORT: String(await freePort()),
      ...extra,
    });

    // The CLI imports into the shared database (running its migrations first), as a person would.
    const cliEnv = await envFor('main');
    const cli = async (args: string[]) => {
      const result = await runCommand(runtime.node24, [runtime.n8nBin, ...args], { cwd: folders.main, env: cliEnv, timeoutMs: 300_000 });
      if (result.code !== 0)
        throw new Error(`n8n ${args[0]} exited with ${result.code ?? result.signal}:\n${tail(result.stdout + result.stderr)}`);
      return result;
    };
    const credentialsFile = path.join(root, 'credentials-input.json');
    fs.writeFileSync(credentialsFile, JSON.stringify(options.credentials));
    try {
      await cli(['import:credentials', `--input=${credentialsFile}`]);
    } finally {
      fs.rmSync(credentialsFile, { force: true });
    }
    const workflowsDir = path.join(root, 'workflows-input');
    fs.mkdirSync(workflowsDir);
    for (const workflow of options.workflows) fs.writeFileSync(path.join(workflowsDir, `${workflow.id}.json`), JSON.stringify(workflow));
    await cli(['import:workflow', '--separate', `--input=${workflowsDir}`]);
    for (const workflow of options.workflows) await cli(['publish:workflow', `--id=${workflow.id}`]);

    const mainPort = await freePort();
    const main = startProcess(
      runtime,
      'main',
      ['start'],
      await envFor('main', { N8N_PORT: String(mainPort), N8N_LISTEN_ADDRESS: '127.0.0.1', WEBHOOK_URL: `http://127.0.0.1:${mainPort}/` }),
      folders.main,
    );
    started.processes.push(main);
    await waitReady(main, `http://127.0.0.1:${mainPort}/healthz/readiness`, /Editor is now accessible via/);

    const workers: N8nProcess[] = [];
    for (const name of names.slice(1)) {
      const healthPort = await freePort();
      const worker = startProcess(
        runtime,
        name,
        ['worker', `--concurrency=${options.concurrency ?? 10}`],
        await envFor(name, {
          QUEUE_HEALTH_CHECK_ACTIVE: 'true',
          QUEUE_HEALTH_CHECK_PORT: String(healthPort),
          N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
        }),
        folders[name],
      );
      started.processes.push(worker);
      workers.push(Object.assign(worker, { healthUrl: `http://127.0.0.1:${healthPort}/healthz/readiness` }));
    }
    await Promise.all(
      workers.map((worker) => waitReady(worker, (worker as N8nProcess & { healthUrl: string }).healthUrl, /n8n worker is now ready/)),
    );

    return {
      runtime,
      redis,
      postgres,
      main,
      workers,
      webhookUrl: (webhookPath) => `http://127.0.0.1:${mainPort}/webhook/${webhookPath}`,
      executionsStartedBy() {
        const byWorker: Record<string, Set<string>> = {};
        for (const worker of workers) {
          byWorker[worker.name] = new Set([...worker.output().matchAll(/Worker started execution (\d+) \(job/g)].map((match) => match[1]));
        }
        return byWorker;
      },
      stop,
    };
  } catch (error) {
    const logs = started.processes.map((process) => `--- ${process.name} ---\n${tail(process.output(), 30)}`).join('\n');
    await stop();
    throw new Error(`${(error as Error).message}\n${logs}`);
  }
}
