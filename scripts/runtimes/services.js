// Debian's Redis and PostgreSQL for the n8n queue-mode tests: installed with apt-get when missing,
// then run as throwaway instances on free local ports with their data in a temp dir.
// PostgreSQL refuses to run as root: as root, initdb and pg_ctl run as the `postgres` user.
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { run } = require('./cache');
const { aptInstallOnce } = require('./apt');

const REDIS_SERVER = process.env.HARF_REDIS_SERVER || '/usr/bin/redis-server';

/** The bin directory of the newest installed PostgreSQL (Debian puts it in /usr/lib/postgresql/<major>/bin). */
function postgresBinDir() {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const majors = fs
    .readdirSync(root)
    .filter((name) => fs.existsSync(path.join(root, name, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length ? path.join(root, majors[0], 'bin') : undefined;
}

function ensureRedis() {
  aptInstallOnce('redis', ['redis-server'], () => fs.existsSync(REDIS_SERVER));
  return REDIS_SERVER;
}

function ensurePostgres() {
  aptInstallOnce('postgresql', ['postgresql'], () => postgresBinDir() !== undefined);
  return postgresBinDir();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once something accepts TCP connections on 127.0.0.1:port. */
async function waitForPort(port, what, timeoutMs, exited) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (exited && exited()) throw new Error(`${what} exited before it listened on port ${port}`);
    if (Date.now() > deadline) throw new Error(`${what} did not listen on port ${port} within ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** A Redis with no persistence on a free port; `stop()` ends it. */
async function startRedis(options = {}) {
  const binary = ensureRedis();
  const dir = options.dir || fs.mkdtempSync(path.join(os.tmpdir(), 'harf-redis-'));
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const logFile = path.join(dir, 'redis.log');
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--logfile',
      logFile,
      '--daemonize',
      'no',
    ],
    { stdio: 'ignore' },
  );
  let exited = false;
  const done = new Promise((resolve) => child.once('exit', () => resolve((exited = true))));
  try {
    await waitForPort(port, 'redis-server', 60_000, () => exited);
  } catch (error) {
    child.kill('SIGKILL');
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
    throw new Error(`${error.message}\n${log}`);
  }
  return {
    host: '127.0.0.1',
    port,
    dir,
    pid: child.pid,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await done;
        clearTimeout(timer);
      }
      if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** As root, runs a PostgreSQL tool as the `postgres` user (it refuses root); otherwise as is. */
function asPostgresUser(binary, args) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return root ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
}

/**
 * A PostgreSQL cluster of its own (initdb into a temp dir, pg_ctl start on a free port, listening
 * on 127.0.0.1 only, trust authentication), with one database; `stop()` ends it and removes it.
 */
async function startPostgres(options = {}) {
  const bin = ensurePostgres();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'harf-postgres-'));
  const dataDir = path.join(root, 'data');
  const socketDir = path.join(root, 'socket');
  fs.mkdirSync(socketDir);
  const user = options.user || 'n8n';
  const database = options.database || 'n8n';
  const password = options.password || 'n8n-test-password';
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    run('chown', ['-R', 'postgres:postgres', root]);
  }
  const tool = (name, args, extra = {}) => {
    const [command, fullArgs] = asPostgresUser(path.join(bin, name), args);
    return run(command, fullArgs, { cwd: root, timeout: 120_000, ...extra });
  };
  tool('initdb', ['-D', dataDir, '-U', user, '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync']);
  const port = await freePort();
  const logFile = path.join(root, 'postgres.log');
  const serverOptions = [
    `-p ${port}`,
    `-k ${socketDir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=100',
  ].join(' ');
  let started = false;
  const stop = async () => {
    if (started) {
      try {
        tool('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', '-t', '60', 'stop']);
      } catch {
        // Already gone: nothing to stop.
      }
      started = false;
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    tool('pg_ctl', ['-D', dataDir, '-o', serverOptions, '-l', logFile, '-w', '-t', '120', 'start']);
    started = true;
    await waitForPort(port, 'postgres', 60_000);
    tool('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', user, database]);
  } catch (error) {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
    await stop();
    throw new Error(`${error.message}\n${log}`);
  }
  const psqlBinary = path.join(bin, 'psql');
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    database,
    dir: root,
    /** Runs one SQL statement with psql; returns its rows, each an array of column texts. */
    query(sql) {
      const out = run(
        psqlBinary,
        ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', database, '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql],
        {
          env: { ...process.env, PGPASSWORD: password },
        },
      );
      return out
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split('\t'));
    },
    stop,
  };
}

module.exports = { ensureRedis, ensurePostgres, startRedis, startPostgres, freePort };

if (require.main === module) {
  (async () => {
    const redis = await startRedis();
    const postgres = await startPostgres();
    console.log(`redis on ${redis.port}, postgres on ${postgres.port}:`, postgres.query('select version()')[0][0]);
    await postgres.stop();
    await redis.stop();
  })().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
