import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox } from '../../../sandbox';
import { AssemblyAiClient, type AssemblyAiFileResult } from '../../../lib/assemblyai';
import { ShortAudioStreams } from '../../../lib/jobs';
import { wav } from '../../support/wav';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;
let client: AssemblyAiClient;
const voiceNote = readFileSync(join(__dirname, '..', '..', 'fixtures', 'audio', 'voice-note.ogg'));

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 0 });
  client = new AssemblyAiClient({ apiKey: sandbox.assemblyAiKey, syncBaseUrl: sandbox.url, retry: { minDelayMs: 5 } });
});
afterAll(() => {
  client.close();
  return sandbox.close();
});

function streams(idleMs = 5000) {
  const transcripts: { key: string; context: string; result: AssemblyAiFileResult; idle: boolean }[] = [];
  const failures: { key: string; error: Error }[] = [];
  const jobs = new ShortAudioStreams<string>({
    client: () => client,
    request: () => ({ languages: ['en'] }),
    idleMs,
    audioField: 'msg.payload',
    onTranscript: (stream, result, idle) => transcripts.push({ key: stream.key, context: stream.context, result, idle }),
    onFailure: (stream, error) => failures.push({ key: stream.key, error }),
  });
  return { jobs, transcripts, failures };
}

const pieces = (buffer: Buffer, size: number) =>
  Array.from({ length: Math.ceil(buffer.length / size) }, (_, i) => buffer.subarray(i * size, (i + 1) * size));

it('interleaved streams each go up over one request of their own and never mix', async () => {
  const { jobs, transcripts } = streams();
  const before = sandbox.syncRequests.length;
  const note = pieces(voiceNote, 3000);
  const call = pieces(wav(16000, 2), 10_000);
  const pending: Promise<void>[] = [];
  for (let i = 0; i < Math.max(note.length, call.length); i++) {
    if (note[i]) pending.push(jobs.push('telegram-1', note[i], false, `note ${i}`));
    if (call[i]) pending.push(jobs.push('call-2', call[i], false, `call ${i}`));
  }
  expect(jobs.size).toBe(2);
  await Promise.all([...pending, jobs.push('telegram-1', undefined, true, 'note end'), jobs.push('call-2', undefined, true, 'call end')]);
  expect(sandbox.syncRequests.length - before).toBe(2);
  const byKey = Object.fromEntries(transcripts.map((t) => [t.key, t]));
  expect(byKey['telegram-1'].result.duration).toBe('0:00:03');
  expect(byKey['call-2'].result.duration).toBe('0:00:02');
  expect(byKey['telegram-1'].context).toBe('note end');
  expect(byKey['call-2'].result.media_url).toBe('call-2');
  expect(transcripts.every((t) => !t.idle)).toBe(true);
  expect(jobs.size).toBe(0);
});

it('a stream that goes idle is transcribed as it is, and says so', async () => {
  const { jobs, transcripts } = streams(300);
  await jobs.push('mic', wav(16000, 1), false, 'first');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(transcripts).toHaveLength(1);
  expect(transcripts[0]).toMatchObject({ key: 'mic', idle: true });
  expect(transcripts[0].result.duration).toBe('0:00:01');
});

it('what is not audio fails the stream, naming the field the chunks came in; the message that ends it gets the error', async () => {
  const { jobs, failures } = streams();
  const ended = jobs.push('not-audio', Buffer.from('this is plainly some text and not audio at all'), true, 'x');
  await expect(ended).rejects.toThrow(/^Invalid msg\.payload: found/);
  expect(failures).toHaveLength(0);
});

it('a failure between chunks goes to onFailure, and the key can start again', async () => {
  const { jobs, failures, transcripts } = streams();
  await jobs.push('k', Buffer.from('not audio either, only words in a buffer'), false, 'a');
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(failures.map((f) => f.key)).toEqual(['k']);
  await jobs.push('k', wav(16000, 1), true, 'again');
  expect(transcripts.map((t) => t.key)).toEqual(['k']);
});
