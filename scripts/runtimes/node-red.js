// The two Node-RED runtimes the package is proven on:
//   Node-RED 4 — the devDependency in node_modules/node-red, run on the machine's Node (20);
//   Node-RED 5 — installed once into the runtime cache and run on Node 24 (it refuses Node 20).
// Each runtime is described as { name, version, node, nodeRedDir, redJs, runtimePath, env }:
//   redJs       — node-red's command-line entry (`node <redJs> --settings … --userDir …`)
//   runtimePath — node-red's module entry (lib/red.js), what node-red-node-test-helper's init() takes
//   env         — environment for child processes (PATH with the runtime's node first,
//                 HARF_NODE_RED_PATH = runtimePath for the runtime tests)
const fs = require('node:fs');
const path = require('node:path');
const { cacheDir, run, withLock } = require('./cache');
const { ensureNode24, node24Env } = require('./node24');

const NODE_RED5_VERSION = '5.0.7';
const root = path.resolve(__dirname, '..', '..');

function describe(name, node, nodeRedDir, env) {
  const { version, main } = JSON.parse(fs.readFileSync(path.join(nodeRedDir, 'package.json'), 'utf8'));
  const runtimePath = path.join(nodeRedDir, main || 'lib/red.js');
  return {
    name,
    version,
    node,
    nodeRedDir,
    redJs: path.join(nodeRedDir, 'red.js'),
    runtimePath,
    env: { ...env, HARF_NODE_RED_PATH: runtimePath },
  };
}

/** Node-RED 5 (pinned) on Node 24, installed into the runtime cache on first use. */
function ensureNodeRed5() {
  const node24 = ensureNode24();
  const env = node24Env();
  const dir = cacheDir(`node-red-${NODE_RED5_VERSION}`);
  // Written only after a complete install, so an interrupted one is redone rather than trusted.
  const marker = path.join(dir, '.installed');
  if (!fs.existsSync(marker)) {
    withLock(path.join(cacheDir('locks'), `node-red-${NODE_RED5_VERSION}.lock`), () => {
      if (fs.existsSync(marker)) return;
      fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"harf-node-red-runtime","private":true}\n');
      console.log(`[runtimes] installing node-red@${NODE_RED5_VERSION} on Node 24 into ${dir} (once; cached)`);
      // Run npm itself on Node 24 so engine checks and any install scripts see the Node that will run it.
      run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--omit=dev', `node-red@${NODE_RED5_VERSION}`], {
        cwd: dir,
        env,
        timeout: 15 * 60 * 1000,
      });
      fs.writeFileSync(marker, `${NODE_RED5_VERSION}\n`);
    });
  }
  const runtime = describe('Node-RED 5', node24, path.join(dir, 'node_modules', 'node-red'), env);
  return { ...runtime, node24 };
}

/** Node-RED 4: the devDependency, on the Node running this script. */
function nodeRed4() {
  const nodeRedDir = path.join(root, 'node_modules', 'node-red');
  if (!fs.existsSync(path.join(nodeRedDir, 'package.json'))) {
    throw new Error(`node-red (devDependency) is missing from ${nodeRedDir}: run npm install`);
  }
  return describe('Node-RED 4', process.execPath, nodeRedDir, { ...process.env });
}

// ---------------------------------------------------------------------------------------------
// A headless Node-RED process: generated settings.js, admin API, and the editor's debug feed.

const { spawn } = require('node:child_process');
const http = require('node:http');

/** settings.js for a headless run: ephemeral port on 127.0.0.1, a credential secret, logs to a file. */
function settingsSource({ userDir, logFile, credentialSecret, fileWorkingDirectory, extra = {} }) {
  const settings = {
    uiHost: '127.0.0.1',
    uiPort: 0, // red.js keeps 0 and logs the port it got
    userDir,
    flowFile: 'flows.json',
    credentialSecret,
    fileWorkingDirectory,
    debugMaxLength: 1000000,
    diagnostics: { enabled: false, ui: false },
    telemetry: { enabled: false, updateNotification: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
    editorTheme: { tours: false, projects: { enabled: false } },
    ...extra,
  };
  return `// Generated for a headless run of n8n-nodes-harf's Node-RED nodes.
const fs = require('fs');
const logFile = ${JSON.stringify(logFile)};
const levels = { 10: 'fatal', 20: 'error', 30: 'warn', 40: 'info', 50: 'debug', 60: 'trace', 98: 'audit', 99: 'metric' };
module.exports = Object.assign(${JSON.stringify(settings, null, 2)}, {
  logging: {
    console: { level: 'info', metrics: false, audit: false },
    file: {
      level: 'debug', metrics: false, audit: false,
      handler: () => (msg) => {
        const where = msg.type ? \`[\${msg.type}\${msg.name ? ':' + msg.name : ''}] \` : '';
        fs.appendFileSync(logFile, \`\${new Date(msg.timestamp).toISOString()} \${levels[msg.level] || msg.level} \${where}\${typeof msg.msg === 'string' ? msg.msg : msg.msg instanceof Error ? msg.msg.stack || msg.msg.message : JSON.stringify(msg.msg)}\\n\`);
      },
    },
  },
});
`;
}

/** Minimal JSON request helper for the admin API (no keep-alive: every socket closes after its answer). */
function requestJson(baseUrl, method, pathname, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const url = new URL(pathname.replace(/^\//, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const request = http.request(
      url,
      {
        method,
        agent: false,
        headers: {
          accept: 'application/json',
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          ...headers,
        },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode, headers: response.headers, text, json });
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

const countStarted = (log) => log.split('\n').filter((line) => line.endsWith('Started flows')).length;

/**
 * Starts Node-RED headless with `userDir` (created if needed; the package must already be
 * installed there). Resolves once the admin API answers.
 */
async function startNodeRed(runtime, options) {
  const userDir = options.userDir;
  fs.mkdirSync(userDir, { recursive: true });
  const logFile = options.logFile || path.join(userDir, 'node-red.log');
  const fileWorkingDirectory = options.fileWorkingDirectory || path.join(userDir, 'files');
  fs.mkdirSync(fileWorkingDirectory, { recursive: true });
  const settingsFile = path.join(userDir, 'settings.js');
  fs.writeFileSync(
    settingsFile,
    settingsSource({
      userDir,
      logFile,
      credentialSecret: options.credentialSecret || 'harf-headless-credential-secret',
      fileWorkingDirectory,
      extra: options.settings,
    }),
  );
  const child = spawn(runtime.node, [runtime.redJs, '--settings', settingsFile, '--userDir', userDir], {
    cwd: userDir,
    env: { ...runtime.env, NODE_RED_ENABLE_PROJECTS: 'false', ...(options.env || {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let earlyExit = () => {};
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('Node-RED did not report its port within 120 s')), 120000);
    function fail(error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n--- Node-RED output ---\n${output.slice(-4000)}`));
    }
    function onData(chunk) {
      output += chunk.toString('utf8');
      const match = /Server now running at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    }
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    earlyExit = (code, signal) => fail(new Error(`Node-RED exited early (code ${code}, signal ${signal})`));
    child.once('exit', earlyExit);
  });
  child.stdout.removeAllListeners('data');
  child.stderr.removeAllListeners('data');
  // Keep draining (and remembering the tail of) the output so the child never blocks on a full pipe.
  const keep = (chunk) => {
    output = (output + chunk.toString('utf8')).slice(-200000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.removeListener('exit', earlyExit);

  const api = (method, pathname, body, headers) => requestJson(url, method, pathname, body, headers);
  const instance = {
    url,
    userDir,
    logFile,
    fileWorkingDirectory,
    process: child,
    exited,
    output: () => output,
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    api,
    /** Node sets Node-RED loaded (GET /nodes), to check a package's nodes registered without error. */
    async nodeSets() {
      const response = await api('GET', '/nodes');
      if (response.status !== 200) throw new Error(`GET /nodes answered ${response.status}: ${response.text}`);
      return response.json;
    },
    /** Full deploy; `flows` may carry `credentials` on config nodes, as the editor sends them. */
    // Resolves once the new flows have started: POST /flows answers before they do.
    async deploy(flows) {
      const startedBefore = countStarted(instance.log());
      const response = await api('POST', '/flows', flows, { 'Node-RED-Deployment-Type': 'full', 'Node-RED-API-Version': 'v1' });
      if (response.status !== 204 && response.status !== 200) {
        throw new Error(`POST /flows answered ${response.status}: ${response.text}`);
      }
      const deadline = Date.now() + 60000;
      while (countStarted(instance.log()) <= startedBefore) {
        if (Date.now() > deadline) throw new Error(`Flows did not start within 60 s:\n${instance.log().slice(-4000)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return response;
    },
    async inject(nodeId) {
      const response = await api('POST', `/inject/${nodeId}`);
      if (response.status !== 200) throw new Error(`POST /inject/${nodeId} answered ${response.status}: ${response.text}`);
    },
    /** Sends SIGINT (Node-RED closes every node, then exits); SIGKILL if it has not exited after `graceMs`. */
    async stop(graceMs = 30000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
  // Node-RED answers HTTP before it has started its (initial) flows; a deploy counted from before
  // that start would take the start for its own.
  const deadline = Date.now() + 60000;
  while (countStarted(instance.log()) === 0) {
    if (Date.now() > deadline) throw new Error(`Node-RED did not start its flows within 60 s:\n${instance.log().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return instance;
}

/**
 * Subscribes to the editor's debug feed (the /comms websocket the editor's debug sidebar uses).
 * Each debug node's message arrives as { id, name, topic, property, format, msg } with `msg`
 * decoded from JSON where the format says it is an object.
 */
async function watchDebug(nodeRedUrl) {
  const WebSocket = require(require.resolve('ws', { paths: [root] }));
  const socket = new WebSocket(`${nodeRedUrl.replace(/^http/, 'ws')}/comms`);
  const messages = [];
  const waiters = [];
  socket.on('message', (data) => {
    let packets;
    try {
      packets = JSON.parse(data.toString('utf8'));
    } catch {
      return;
    }
    for (const packet of Array.isArray(packets) ? packets : [packets]) {
      if (packet.topic !== 'debug') continue;
      const entry = { ...packet.data };
      if (typeof entry.msg === 'string' && /^(Object|array|Array)/.test(entry.format || '')) {
        try {
          entry.msg = JSON.parse(entry.msg);
        } catch {
          // keep the string: the debug node truncated or re-encoded it
        }
      }
      messages.push(entry);
      for (const waiter of [...waiters]) waiter();
    }
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ subscribe: 'debug' }));
  return {
    messages,
    /** Resolves with the messages matching `predicate` once there are `count` of them. */
    waitFor(predicate, count = 1, timeoutMs = 60000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.filter(predicate);
          if (found.length >= count) {
            waiters.splice(waiters.indexOf(check), 1);
            clearTimeout(timer);
            resolve(found);
            return true;
          }
          return false;
        };
        // close() ends every wait still pending, so no timer outlives the feed.
        check.cancel = () => {
          clearTimeout(timer);
          reject(new Error('The debug feed was closed'));
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          const seen = messages.map((m) => `${m.name || m.id}: ${JSON.stringify(m.msg).slice(0, 300)}`).join('\n');
          reject(new Error(`Waited ${timeoutMs} ms for ${count} debug message(s); saw ${messages.length}:\n${seen}`));
        }, timeoutMs);
        waiters.push(check);
        check();
      });
    },
    close() {
      for (const waiter of waiters.splice(0)) waiter.cancel();
      return new Promise((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', resolve);
        socket.close();
      });
    },
  };
}

/** Installs a package tarball into a Node-RED user directory the way the palette manager does. */
function installIntoUserDir(runtime, userDir, tarball) {
  fs.mkdirSync(userDir, { recursive: true });
  const pkg = path.join(userDir, 'package.json');
  if (!fs.existsSync(pkg)) {
    fs.writeFileSync(
      pkg,
      JSON.stringify({ name: 'node-red-project', description: 'A Node-RED Project', version: '0.0.1', private: true }, null, 2),
    );
  }
  run(
    'npm',
    ['install', '--no-audit', '--no-update-notifier', '--no-fund', '--save', '--save-prefix=~', '--omit=dev', '--engine-strict', tarball],
    { cwd: userDir, env: runtime.env, timeout: 10 * 60 * 1000 },
  );
}

module.exports = {
  ensureNodeRed5,
  nodeRed4,
  NODE_RED5_VERSION,
  startNodeRed,
  watchDebug,
  installIntoUserDir,
  requestJson,
};

if (require.main === module) {
  for (const runtime of [nodeRed4(), ensureNodeRed5()]) {
    const nodeVersion = run(runtime.node, ['--version']).trim();
    console.log(`${runtime.name} ${runtime.version} on Node ${nodeVersion}: ${runtime.redJs}`);
  }
}
