import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileResultFor, startSandbox } from '../../../sandbox';
import { enrichFileResult, shapeOutput } from '../../../lib/transcript';
import harfConfig = require('../../../nodes/node-red/harf-config');
import transcribeUrls = require('../../../nodes/node-red/harf-transcribe-urls');
import uploadFile = require('../../../nodes/node-red/harf-upload-file');
import checkStatus = require('../../../nodes/node-red/harf-check-status');
import alignText = require('../../../nodes/node-red/harf-align-text');
import { wav } from '../../support/wav';
import {
  delay,
  flowWith,
  helper,
  Inbox,
  nextStatus,
  startServer,
  statusTexts,
  stopServer,
  until,
  type FlowNode,
  type Sandbox,
} from './support';

const NODES = [harfConfig, transcribeUrls, uploadFile, checkStatus, alignText];
const URL_A = 'https://media.example.org/podcast/episode-1.mp3';
const URL_B = 'https://media.example.org/podcast/episode-2.mp3';
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ taskDelayMs: 150, processingDelayMs: 0 });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  sandbox.faults.clear();
  sandbox.configure({ taskDelayMs: 150 });
  await startServer();
});
afterEach(async () => {
  await helper.unload();
  await stopServer();
});

function account(): FlowNode {
  return { id: 'account', type: 'harf-config', name: 'sandbox', baseUrl: `${sandbox.url}/` };
}

async function load(node: FlowNode, credentials: Record<string, string> = { token: sandbox.token }) {
  const wires = node.splitUncertain ? [['out1'], ['out2']] : [['out1']];
  await helper.load(NODES, flowWith([account(), { harf: 'account', interval: 0.05, ...node, wires }]), {
    account: credentials,
  });
  return {
    node: helper.getNode(node.id),
    out1: new Inbox(helper.getNode('out1')),
    out2: new Inbox(helper.getNode('out2')),
    errors: new Inbox(helper.getNode('errors')),
  };
}

/** Uncertain segments of the sandbox's transcript of a URL. */
function expected(url: string) {
  const file = fileResultFor(url);
  const uncertain = file.segments.filter((segment) => /\[[^\]]+\]/.test(segment.text));
  return { file, uncertain: uncertain.length, certain: file.segments.length - uncertain.length };
}

describe('harf-config', () => {
  it('its Longest Retry-After wait fails a message at once when the service asks for longer; a 504 is not sent again', async () => {
    await helper.load(
      NODES,
      flowWith([
        { ...account(), maxRetryAfter: 1 },
        { id: 'n', type: 'harf-transcribe-urls', harf: 'account', mode: 'wait', wires: [['out1']] },
      ]),
      { account: { token: sandbox.token } },
    );
    const errors = new Inbox(helper.getNode('errors'));
    const sends = () => sandbox.log.filter((entry) => entry.path === '/api/transcribe_files/').length;
    const before = sends();
    sandbox.faults.add({ type: 'status', status: 429, retryAfter: 2 });
    helper.getNode('n').receive({ payload: URL_A });
    const [limited] = await errors.waitFor(1);
    expect(limited.error.message).toMatch(/asked to wait 2 s .*longest wait allowed \(1 s/);
    expect(sends() - before).toBe(1);
    sandbox.resetJobs();
    sandbox.faults.add({ type: 'status', status: 504, passThrough: true, times: 4 });
    helper.getNode('n').receive({ payload: URL_B });
    const [, gateway] = await errors.waitFor(2);
    expect(gateway.error.message).toMatch(/HTTP 504.*the job may have started/);
    expect(sandbox.jobs()).toEqual({ started: 1, byMediaUrl: { [URL_B]: 1 } });
    sandbox.faults.clear();
  });
});

describe('harf-transcribe-urls', () => {
  it('waits for one message per file, keeps other msg properties and adds the derived fields', async () => {
    const { node, out1 } = await load({ id: 'n', type: 'harf-transcribe-urls', mode: 'wait' });
    node.receive({ payload: `${URL_A},\n${URL_B}`, topic: 'podcast', episode: 7 });
    const messages = await out1.waitFor(2);
    expect(messages.map((msg) => msg.payload.media_url)).toEqual([URL_A, URL_B]);
    for (const msg of messages) {
      expect(msg.topic).toBe('podcast');
      expect(msg.episode).toBe(7);
      const file = expected(msg.payload.media_url).file;
      expect(msg.payload.segments.map((s: { text: string }) => s.text)).toEqual(file.segments.map((s) => s.text));
      expect(msg.payload.duration).toBe(file.duration);
      expect(typeof msg.payload.duration_seconds).toBe('number');
      expect(msg.payload.text).toBe(file.segments.map((s) => s.text).join(' '));
      expect(msg.payload.uncertain_count).toBe(msg.payload.uncertain_words.length);
      expect(msg.srt).toBeUndefined();
    }
  });

  it('submit mode sends the task ids with their URLs', async () => {
    const { node, out1 } = await load({ id: 'n', type: 'harf-transcribe-urls', mode: 'submit' });
    node.receive({ payload: [URL_A, URL_B], _ref: 'x' });
    const [msg] = await out1.waitFor(1);
    expect(msg._ref).toBe('x');
    expect(msg.payload).toHaveLength(2);
    expect(msg.payload.map((task: { media_url: string }) => task.media_url)).toEqual([URL_A, URL_B]);
    for (const task of msg.payload) expect(typeof task.task_id).toBe('string');
  });

  it('poll mode (the default) submits, shows progress and splits segments between the two outputs', async () => {
    const { node, out1, out2 } = await load({
      id: 'n',
      type: 'harf-transcribe-urls',
      output: 'segment',
      splitUncertain: true,
      outputs: 2,
    });
    const statuses = statusTexts(node);
    const a = expected(URL_A);
    const b = expected(URL_B);
    node.receive({ payload: [URL_A, URL_B] });
    const transcript = await out1.waitFor(a.certain + b.certain);
    const review = await out2.waitFor(a.uncertain + b.uncertain);
    await until(() => statuses.some((text) => text.startsWith('2 files')));
    expect(transcript).toHaveLength(a.certain + b.certain);
    expect(review).toHaveLength(a.uncertain + b.uncertain);
    // Every segment reached exactly one output.
    const seen = [...transcript, ...review].map((msg) => `${msg.payload.media_url}#${msg.payload.segment_index}`).sort();
    const all = [URL_A, URL_B].flatMap((url) => fileResultFor(url).segments.map((_s, i) => `${url}#${i}`)).sort();
    expect(seen).toEqual(all);
    for (const msg of review) {
      expect(msg.payload.uncertain_words.length).toBeGreaterThan(0);
      expect(msg.payload.media_fragment).toBe(`${msg.payload.media_url}#t=${msg.payload.start_seconds},${msg.payload.end_seconds}`);
      expect(typeof msg.task_id).toBe('string');
    }
    for (const msg of transcript) expect(msg.payload.uncertain_words).toEqual([]);
    expect(statuses[0]).toBe('submitting');
    expect(statuses).toContain('polling 0/2');
    expect(statuses.some((text) => /^polling [12]\/2$/.test(text))).toBe(true);
    // What was done: the files and their total duration.
    expect(statuses[statuses.length - 1]).toMatch(/^2 files · \d+:\d\d$/);
  });

  it('file mode with the split keeps the file on the first output and copies uncertain segments to the second', async () => {
    const { node, out1, out2 } = await load({
      id: 'n',
      type: 'harf-transcribe-urls',
      mode: 'wait',
      splitUncertain: true,
      outputs: 2,
    });
    const a = expected(URL_A);
    node.receive({ payload: URL_A });
    const [file] = await out1.waitFor(1);
    const review = await out2.waitFor(a.uncertain);
    expect(file.payload.segments).toHaveLength(a.file.segments.length);
    expect(review.map((msg) => msg.payload.text)).toEqual(a.file.segments.filter((s) => /\[[^\]]+\]/.test(s.text)).map((s) => s.text));
  });

  it('text mode sends the text with its URL, and SRT and WebVTT when asked', async () => {
    const { node, out1 } = await load({ id: 'n', type: 'harf-transcribe-urls', mode: 'wait', output: 'text', subtitles: 'both' });
    node.receive({ payload: URL_A });
    const [msg] = await out1.waitFor(1);
    expect(msg.payload).toBe(
      expected(URL_A)
        .file.segments.map((s) => s.text)
        .join(' '),
    );
    expect(msg.media_url).toBe(URL_A);
    expect(msg.srt).toMatch(/^1\r?\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}/);
    expect(msg.vtt).toMatch(/^WEBVTT/);
  });

  it('per-segment messages carry no subtitles, as the help says, even with a subtitles setting saved', async () => {
    const { node, out1 } = await load({ id: 'n', type: 'harf-transcribe-urls', mode: 'wait', output: 'segment', subtitles: 'both' });
    node.receive({ payload: URL_A });
    const messages = await out1.waitFor(expected(URL_A).file.segments.length);
    expect(messages.every((msg) => msg.srt === undefined && msg.vtt === undefined)).toBe(true);
  });

  it('bad input reaches a catch node with the msg, naming the property, what was found and what was expected', async () => {
    const { node, errors } = await load({ id: 'n', type: 'harf-transcribe-urls' });
    const statuses = statusTexts(node);
    const requestsBefore = sandbox.log.length;
    node.receive({ payload: 42, topic: 'keep me' });
    node.receive({ payload: ['https://ok.example/a.mp3', 'ftp://nope/b.mp3'] });
    const [first, second] = await errors.waitFor(2);
    expect(first.topic).toBe('keep me');
    expect(first.error.message).toBe(
      'BadInputError: Invalid msg.payload: found number 42, expected one or more http(s) URLs of audio or video files, separated by commas or new lines, or an array of them',
    );
    expect(first.error.source.id).toBe('n');
    expect(second.error.message).toContain('msg.payload[1]');
    expect(second.error.message).toContain('ftp://nope/b.mp3');
    // The status gives the short cause, not a bare "error".
    expect(statuses).toContain('invalid URL');
    expect(statuses).not.toContain('error');
    expect(sandbox.log.length).toBe(requestsBefore);
  });

  it('a failed task goes to the catch node with its task id while the other transcript is sent', async () => {
    const failing = 'https://media.example.org/podcast/fail-episode.mp3';
    const { node, out1, errors } = await load({ id: 'n', type: 'harf-transcribe-urls' });
    node.receive({ payload: [URL_A, failing] });
    const [ok] = await out1.waitFor(1);
    const [error] = await errors.waitFor(1);
    expect(ok.payload.media_url).toBe(URL_A);
    expect(error.media_url).toBe(failing);
    expect(typeof error.task_id).toBe('string');
    expect(error.error.message).toContain('FAILURE');
  });

  it('a refused token is reported without the token, and the status says the token was refused', async () => {
    const { node, errors } = await load({ id: 'n', type: 'harf-transcribe-urls', mode: 'wait' }, { token: 'wrong-token-1234' });
    const statuses = statusTexts(node);
    node.receive({ payload: URL_A });
    const [error] = await errors.waitFor(1);
    expect(error.error.message).not.toContain('wrong-token-1234');
    expect(error.error.message).toMatch(/token|401|auth/i);
    // What a flow routes on, as core's http request node gives it, and the error's kind.
    expect(error.statusCode).toBe(401);
    expect(error.errorKind).toBe('credential-refused');
    expect(error.requestId).toMatch(/^\S{8,}$/);
    expect(error.payload).toBe(URL_A);
    expect(JSON.stringify(error)).not.toContain('wrong-token-1234');
    await until(() => statuses.length >= 2);
    expect(statuses).toEqual(['transcribing 1', 'token refused']);
  });

  it('a config node without a token says which field is missing', async () => {
    const { node, errors } = await load({ id: 'n', type: 'harf-transcribe-urls' }, {});
    const statuses = statusTexts(node);
    node.receive({ payload: URL_A });
    const [error] = await errors.waitFor(1);
    await until(() => statuses.includes('no token'));
    expect(error.error.message).toBe(
      'BadInputError: Invalid token (in the harf-config node "sandbox"): found an empty value, expected the TOKEN_KEY Harf issued',
    );
    // No answer came: no status code, only the kind.
    expect(error.errorKind).toBe('missing-credential');
    expect(error.statusCode).toBeUndefined();
  });

  it('closing the node (redeploy) aborts an in-flight poll: no status request is sent after it', async () => {
    sandbox.configure({ taskDelayMs: 60_000 });
    const { node, out1, errors } = await load({ id: 'n', type: 'harf-transcribe-urls', interval: 0.02, backoff: 1 });
    node.receive({ payload: URL_A });
    await nextStatus(node, /^polling 0\/1$/);
    const checks = () => sandbox.log.filter((entry) => entry.path.startsWith('/api/transcribe_files')).length;
    while (checks() < 3) await delay(10);
    await helper.unload();
    // A request already on the wire may still be logged; after that, nothing more.
    await delay(100);
    const afterClose = checks();
    await delay(400);
    expect(checks()).toBe(afterClose);
    expect(out1.messages).toHaveLength(0);
    expect(errors.messages).toHaveLength(0);
  });
});

describe('harf-check-status', () => {
  async function submit(urls: string[]) {
    const { HarfClient } = await import('../../../lib/harf/client');
    return new HarfClient({ token: sandbox.token, baseUrl: sandbox.url }).submitUrls(urls);
  }

  it('once mode sends the pending tasks back in one PENDING message, then the transcript when done', async () => {
    // Tasks stay PENDING for as long as the setting says, judged when asked: no step depends on machine speed.
    sandbox.configure({ taskDelayMs: 600_000 });
    const tasks = await submit([URL_A, URL_B]);
    const { node, out1 } = await load({ id: 'n', type: 'harf-check-status', mode: 'once' });
    const statuses = statusTexts(node);
    node.receive({ payload: tasks, loop: 1 });
    const [pending] = await out1.waitFor(1);
    expect(pending.state).toBe('PENDING');
    expect(pending.loop).toBe(1);
    expect(pending.payload).toEqual(tasks);
    await until(() => statuses.includes('2 of 2 pending'));
    sandbox.configure({ taskDelayMs: 0 });
    node.receive({ payload: pending.payload });
    const messages = (await out1.waitFor(3)).slice(1);
    expect(messages.map((msg) => msg.state)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(messages.map((msg) => msg.task_id)).toEqual(tasks.map((task) => task.task_id));
    expect(messages.map((msg) => msg.payload.media_url)).toEqual([URL_A, URL_B]);
  });

  it('once mode asks about each task once: a task whose check is refused reaches the catch node, the other is sent', async () => {
    sandbox.configure({ taskDelayMs: 0 });
    const tasks = await submit([URL_A, URL_B]);
    const { node, out1, errors } = await load({ id: 'n', type: 'harf-check-status', mode: 'once' });
    const statuses = statusTexts(node);
    const checksBefore = sandbox.log.filter((entry) => entry.path.startsWith('/api/transcribe_files')).length;
    sandbox.faults.add({ type: 'status', status: 400, body: { detail: 'unknown task' }, path: '/api/transcribe_files' });
    node.receive({ payload: tasks, batch: 'b1' });
    const [error] = await errors.waitFor(1);
    const [done] = await out1.waitFor(1);
    await until(() => statuses.includes('done, 1 of 2 failed'));
    // Which request met the fault is up to the order they arrived in; exactly one did.
    const failed = tasks.find((task) => task.task_id === error.task_id)!;
    const other = tasks.find((task) => task !== failed)!;
    expect(failed).toBeDefined();
    expect(error.media_url).toBe(failed.media_url);
    expect(error.batch).toBe('b1');
    expect(error.error.message).toContain('unknown task');
    expect(done.task_id).toBe(other.task_id);
    expect(done.state).toBe('SUCCESS');
    expect(done.payload.media_url).toBe(other.media_url);
    expect(out1.messages).toHaveLength(1);
    expect(sandbox.log.filter((entry) => entry.path.startsWith('/api/transcribe_files')).length - checksBefore).toBe(2);
  });

  it('poll mode takes ids as text and sends each transcript with its task id', async () => {
    const tasks = await submit([URL_A, URL_B]);
    const { node, out1 } = await load({ id: 'n', type: 'harf-check-status', output: 'text' });
    const statuses = statusTexts(node);
    node.receive({ payload: tasks.map((task) => task.task_id).join('\n') });
    const messages = await out1.waitFor(2);
    expect(messages.map((msg) => msg.task_id)).toEqual(tasks.map((task) => task.task_id));
    expect(messages.map((msg) => msg.payload)).toEqual(
      [URL_A, URL_B].map((url) =>
        fileResultFor(url)
          .segments.map((s) => s.text)
          .join(' '),
      ),
    );
    await until(() => statuses.some((text) => /^2 files · /.test(text)));
    expect(statuses[0]).toBe('polling 0/2');
  });

  it('a task that ends in TIMEOUT reaches the catch node as an error', async () => {
    const tasks = await submit(['https://media.example.org/timeout-episode.mp3']);
    const { node, out1, errors } = await load({ id: 'n', type: 'harf-check-status' });
    node.receive({ payload: tasks });
    const [error] = await errors.waitFor(1);
    expect(error.error.message).toContain('TIMEOUT');
    expect(error.error.message).toContain(tasks[0].task_id);
    expect(out1.messages).toHaveLength(0);
  });

  it('refuses a payload without task ids, saying what it expected', async () => {
    const { node, errors } = await load({ id: 'n', type: 'harf-check-status' });
    node.receive({ payload: [{ id: 'x' }] });
    const [error] = await errors.waitFor(1);
    expect(error.error.message).toBe('BadInputError: Invalid msg.payload.task_id: found nothing (undefined), expected a task id (text)');
  });
});

describe('harf-upload-file', () => {
  it('uploads a Buffer named by msg.filename', async () => {
    const { node, out1 } = await load({ id: 'n', type: 'harf-upload-file' });
    const statuses = statusTexts(node);
    node.receive({ payload: wav(16000, 3), filename: '/tmp/voice-note.wav', chat: 12 });
    const [msg] = await out1.waitFor(1);
    expect(msg.chat).toBe(12);
    expect(msg.payload.segments.length).toBeGreaterThan(0);
    expect(typeof msg.payload.duration_seconds).toBe('number');
    const upload = sandbox.log.filter((entry) => entry.path.startsWith('/api/transcribe_files')).pop();
    expect(upload?.contentType).toMatch(/^multipart\/form-data/);
    expect(upload?.bytes).toBeGreaterThan(wav(16000, 3).length);
    expect(statuses).toContain('uploading 0%');
    expect(statuses).toContain('uploading 100%');
  });

  it('streams a file given by its path', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harf-nr-'));
    const file = path.join(dir, 'lecture.wav');
    fs.writeFileSync(file, wav(16000, 20));
    const { node, out1 } = await load({ id: 'n', type: 'harf-upload-file' });
    node.receive({ payload: file });
    const [msg] = await out1.waitFor(1);
    expect(msg.payload.segments.length).toBeGreaterThan(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("shows the upload's progress once per percent, however many pieces the file is read in", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harf-nr-'));
    const file = path.join(dir, 'long.wav');
    // 64 MiB of silence behind a WAV header: read in 256 pieces, more than the 100 percents.
    const header = wav(16000, 0);
    header.writeUInt32LE(64 * 1024 * 1024 - 8, 4);
    header.writeUInt32LE(64 * 1024 * 1024 - 44, 40);
    fs.writeFileSync(file, header);
    fs.truncateSync(file, 64 * 1024 * 1024);
    const { node, out1 } = await load({ id: 'n', type: 'harf-upload-file' });
    const statuses = statusTexts(node);
    node.receive({ payload: file });
    await out1.waitFor(1);
    const percents = statuses.filter((text) => text.startsWith('uploading')).map((text) => Number(/(\d+)%/.exec(text)?.[1]));
    expect(percents[0]).toBe(0);
    expect(percents[percents.length - 1]).toBe(100);
    // Each shown once, in order.
    expect(percents).toEqual([...new Set(percents)].sort((a, b) => a - b));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a path that is not a file', async () => {
    const { node, errors } = await load({ id: 'n', type: 'harf-upload-file' });
    node.receive({ payload: '/no/such/file.mp3' });
    const [error] = await errors.waitFor(1);
    expect(error.error.message).toBe(
      'BadInputError: Invalid msg.payload: found the path "/no/such/file.mp3", which is not a readable file, expected a Buffer with the file (msg.filename naming it) or the path of an audio or video file',
    );
  });
});

describe('harf-align-text', () => {
  it('aligns msg.payload {media_url, text} into word segments with seconds', async () => {
    const { node, out1 } = await load({ id: 'n', type: 'harf-align-text', subtitles: 'srt' });
    const text = 'بنی آدم اعضای یکدیگرند';
    node.receive({ payload: { media_url: URL_A, text } });
    const [msg] = await out1.waitFor(1);
    expect(msg.payload.media_url).toBe(URL_A);
    expect(msg.payload.segments.map((s: { text: string }) => s.text)).toEqual(text.split(' '));
    for (const [index, segment] of msg.payload.segments.entries()) {
      expect(segment.segment_index).toBe(index);
      expect(segment.end_seconds).toBeGreaterThanOrEqual(segment.start_seconds);
    }
    expect(msg.srt).toContain('یکدیگرند');
  });

  it('takes the URL from the node and the text from a text payload, one message per word', async () => {
    const { node, out1 } = await load({ id: 'n', type: 'harf-align-text', mediaUrl: URL_B, output: 'segment' });
    node.receive({ payload: 'چو عضوی به درد آورد', part: 2 });
    const messages = await out1.waitFor(5);
    expect(messages.map((msg) => msg.payload.text)).toEqual(['چو', 'عضوی', 'به', 'درد', 'آورد']);
    expect(messages.every((msg) => msg.payload.media_url === URL_B && msg.part === 2)).toBe(true);
    for (const msg of messages) {
      const ms = (seconds: number) => Math.round(seconds * 1000) / 1000;
      expect(msg.payload.media_fragment).toBe(`${URL_B}#t=${ms(msg.payload.start_seconds)},${ms(msg.payload.end_seconds)}`);
    }
  });

  it('shapes words and the file exactly as lib/transcript shapes an enriched alignment', async () => {
    const { HarfClient } = await import('../../../lib/harf/client');
    const text = 'ز گهواره تا [گور] دانش بجوی';
    const direct = enrichFileResult(await new HarfClient({ token: sandbox.token, baseUrl: sandbox.url }).alignText(URL_A, text));
    const words = shapeOutput([direct], { output: 'segment', splitUncertain: false }).transcript;
    const [file] = shapeOutput([direct], { output: 'file', splitUncertain: false }).transcript;

    const perWord = await load({ id: 'n', type: 'harf-align-text', output: 'segment' });
    perWord.node.receive({ payload: { media_url: URL_A, text } });
    const messages = await perWord.out1.waitFor(words.length);
    expect(messages.map((msg) => msg.payload)).toEqual(words);
    expect(messages.filter((msg) => msg.payload.uncertain_words.length > 0).map((msg) => msg.payload.text)).toEqual(['[گور]']);
    await helper.unload();

    const whole = await load({ id: 'n', type: 'harf-align-text' });
    whole.node.receive({ payload: { media_url: URL_A, text } });
    const [msg] = await whole.out1.waitFor(1);
    expect(msg.payload).toEqual(file);
    expect(msg.payload.uncertain_count).toBe(1);
    expect(msg.payload.uncertain_words[0]).toMatchObject({ word: 'گور', segment_index: 3 });
    expect(msg.payload.certainty_ratio).toBe(0.833);
  });

  it('refuses a missing text', async () => {
    const { node, errors } = await load({ id: 'n', type: 'harf-align-text' });
    node.receive({ payload: { media_url: URL_A } });
    const [error] = await errors.waitFor(1);
    expect(error.error.message).toBe(
      'BadInputError: Invalid text: found an empty string, expected the text spoken in the media, words separated by spaces',
    );
  });
});
