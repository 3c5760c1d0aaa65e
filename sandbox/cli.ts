#!/usr/bin/env node
/**
 * `npm run sandbox` / `harf-sandbox`: runs the Harf sandbox until Ctrl+C.
 * HARF_SANDBOX_PORT (default 8765), HARF_SANDBOX_TOKEN (default "sandbox-token"),
 * HARF_SANDBOX_HOST (default 127.0.0.1), HARF_SANDBOX_ASSEMBLYAI_KEY, HARF_SANDBOX_TASK_DELAY_MS.
 * The same as flags: --port, --token, --host, --assemblyai-key, --task-delay-ms.
 */
import { DEFAULT_ASSEMBLYAI_KEY, SANDBOX_NOTICE, startSandbox } from './index';

export const DEFAULT_PORT = 8765;
/** Fixed so that credentials saved in n8n or Node-RED keep working across restarts. */
export const DEFAULT_TOKEN = 'sandbox-token';

function flag(args: string[], name: string): string | undefined {
  const index = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (index < 0) return undefined;
  const arg = args[index];
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1];
}

function fail(message: string): never {
  process.stderr.write(`harf-sandbox: ${message}\n`);
  process.exit(2);
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(`${name}: found "${raw}", expected an integer from ${min} to ${max}`);
  }
  return value;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(
      `${SANDBOX_NOTICE}\n\nUsage: harf-sandbox [--port N] [--host H] [--token T] [--assemblyai-key K] [--task-delay-ms MS]\n` +
        'Environment: HARF_SANDBOX_PORT, HARF_SANDBOX_HOST, HARF_SANDBOX_TOKEN, HARF_SANDBOX_ASSEMBLYAI_KEY, HARF_SANDBOX_TASK_DELAY_MS\n',
    );
    return;
  }
  const env = process.env;
  const port = integer('port', flag(args, 'port') ?? env.HARF_SANDBOX_PORT, DEFAULT_PORT, 0, 65535);
  const taskDelayMs = integer('task delay', flag(args, 'task-delay-ms') ?? env.HARF_SANDBOX_TASK_DELAY_MS, 1500, 0, 3_600_000);
  const host = flag(args, 'host') ?? env.HARF_SANDBOX_HOST ?? '127.0.0.1';
  const token = flag(args, 'token') ?? env.HARF_SANDBOX_TOKEN ?? DEFAULT_TOKEN;
  const assemblyAiKey = flag(args, 'assemblyai-key') ?? env.HARF_SANDBOX_ASSEMBLYAI_KEY ?? DEFAULT_ASSEMBLYAI_KEY;

  let sandbox;
  try {
    sandbox = await startSandbox({ port, host, token, assemblyAiKey, taskDelayMs });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fail(`port ${port} is already in use; set HARF_SANDBOX_PORT to another port (0 picks a free one)`);
    throw error;
  }
  process.stdout.write(
    [
      'Harf sandbox running — a local stand-in for the Harf API.',
      SANDBOX_NOTICE,
      `  URL:            ${sandbox.url}`,
      `  Websocket:      ${sandbox.wsUrl}/ws_api/transcribe_files/wav/sync/`,
      `  Token:          ${sandbox.token}`,
      `  AssemblyAI key: ${sandbox.assemblyAiKey}  (AssemblyAI base URL: ${sandbox.url})`,
      'Use the URL as the base URL and the token in your Harf credential. Ctrl+C stops it.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`Harf sandbox stopping (${signal}).\n`);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`harf-sandbox: ${(error as Error).message}\n`);
  process.exit(1);
});
