import { startSandbox } from '../../sandbox';
import { AssemblyAiClient } from '../../lib/assemblyai';
import {
  AbortedError,
  AuthenticationError,
  BadInputError,
  ConnectionError,
  ERROR_KINDS,
  RateLimitError,
  RequestRejectedError,
  ServerError,
  StreamClosedError,
  TaskFailedError,
  TaskTimedOutError,
  TranscriptionError,
  UnexpectedResponseError,
  WaitTimeoutError,
  errorKind,
} from '../../lib/errors';
import { HarfClient, checkHarfBaseUrl, checkToken } from '../../lib/harf/client';
import { readMediaUrls } from '../../lib/harf/input';
import { enrichFileResult, toSrt, toWebVtt } from '../../lib/transcript';
import { wav } from '../support/wav';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ taskDelayMs: 50, processingDelayMs: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.faults.clear());

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const segment = { start: '0:00:00', end: '0:00:02', text: 'سلام [دنیا]' };

describe('public functions throw typed errors naming the field', () => {
  it('enrichFileResult: a segment whose uncertain_words is not a list', () => {
    const error = thrown(() =>
      enrichFileResult({ media_url: 'u', segments: [{ ...segment, uncertain_words: 'دنیا' }] }),
    ) as UnexpectedResponseError;
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.field).toBe('segments[0].uncertain_words');
  });

  it('toSrt and toWebVtt: a null among the segments, or no list at all', () => {
    for (const format of [toSrt, toWebVtt]) {
      const error = thrown(() => format([segment, null as never])) as BadInputError;
      expect(error).toBeInstanceOf(BadInputError);
      expect(error.field).toBe('segments[1]');
      expect(error.found).toBe('null');
      expect(thrown(() => format('0:00:01 hi' as never))).toBeInstanceOf(BadInputError);
    }
  });

  it('enrichFileResult: more known words than words, and a segment ending before it starts, are refused', () => {
    const counted = thrown(() =>
      enrichFileResult({ media_url: 'u', segments: [segment], stats: { words: 1, known_words: 5 } }),
    ) as UnexpectedResponseError;
    expect(counted).toMatchObject({ name: 'UnexpectedResponseError', field: 'stats.known_words' });
    const backwards = thrown(() =>
      enrichFileResult({ media_url: 'u', segments: [{ ...segment, start: '0:00:05' }] }),
    ) as UnexpectedResponseError;
    expect(backwards).toMatchObject({ name: 'UnexpectedResponseError', field: 'segments[0].end' });
  });
});

describe("the service's answers are checked for sense", () => {
  const client = () => new HarfClient({ token: sandbox.token, baseUrl: sandbox.url, retry: { retries: 0 } });
  const file = (changes: Record<string, unknown>, stats = { words: 2, known_words: 1 }) =>
    JSON.stringify([{ media_url: 'https://m.example/a.mp3', duration: '0:00:10', segments: [{ ...segment, ...changes }], stats }]);

  it.each([
    ['known_words over words', file({}, { words: 1, known_words: 5 }), '[0].stats.known_words'],
    ['a segment ending before it starts', file({ start: '0:00:09', end: '0:00:03' }), '[0].segments[0].end'],
    ['a negative time', file({ start: '-0:00:01' }), '[0].segments[0].start'],
    ['a time that is not one', file({ end: '2 seconds' }), '[0].segments[0].end'],
  ])('Harf: %s is an UnexpectedResponseError of the service, naming the field', async (_what, body, field) => {
    sandbox.faults.add({ type: 'malformed', body });
    const error = (await client()
      .transcribeUrls(['https://m.example/a.mp3'])
      .catch((e: unknown) => e)) as UnexpectedResponseError;
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.service).toBe('harf');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/^Harf's answer/);
  });

  const badWords: [string, Record<string, unknown>, string][] = [
    ['a negative time', { text: 'hi', confidence: 0.9, start: -20, end: 300 }, 'words[0].start'],
    ['an end before its start', { text: 'hi', confidence: 0.9, start: 500, end: 300 }, 'words[0].end'],
    ['a confidence over 1', { text: 'hi', confidence: 5, start: 0, end: 300 }, 'words[0].confidence'],
  ];
  const endpoints = [
    ['the Sync API', 'sync', '/v1/transcribe'],
    ['the legacy endpoint', 'legacy', '/v2/stream'],
  ] as const;
  it.each(
    endpoints.flatMap(([name, endpoint, path]) =>
      badWords.map(([what, word, field]) => [name, what, endpoint, path, word, field] as const),
    ),
  )("AssemblyAI, %s: %s is the service's bad answer, not the user's bad input", async (_name, _what, endpoint, path, word, field) => {
    const aai = new AssemblyAiClient({
      apiKey: sandbox.assemblyAiKey,
      baseUrl: sandbox.url,
      syncBaseUrl: sandbox.url,
      retry: { retries: 0 },
    });
    sandbox.faults.add({ type: 'malformed', path, body: JSON.stringify({ status: 'completed', text: 'hi', words: [word] }) });
    const error = (await aai.transcribeShortAudio(wav(16000, 1), { endpoint }).catch((e: unknown) => e)) as UnexpectedResponseError;
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error).not.toBeInstanceOf(BadInputError);
    expect(error).toMatchObject({ service: 'assemblyai', field });
  });
});

describe('messages', () => {
  it('a refused token says so in one sentence, without a double full stop', async () => {
    const wrong = new HarfClient({ token: 'wrong-token-1234', baseUrl: sandbox.url, retry: { retries: 0 } });
    const error = (await wrong.transcribeUrls(['https://m.example/a.mp3']).catch((e: unknown) => e)) as TranscriptionError;
    expect(error.message).toBe('Harf refused the token (HTTP 401): Invalid token. Check the credential.');
  });

  it('a whitespace-only or non-text token is described as what it is, never as the text "string"', () => {
    expect(thrown(() => checkToken('   '))).toMatchObject({ found: 'only whitespace (3 characters)' });
    expect(thrown(() => checkToken(42))).toMatchObject({ found: 'a number instead of text' });
    expect(thrown(() => checkToken(undefined))).toMatchObject({ found: 'an empty value' });
    expect(thrown(() => new AssemblyAiClient({ apiKey: '\t' }))).toMatchObject({ found: 'only whitespace (1 character)' });
    expect((thrown(() => checkToken('  ')) as Error).message).not.toMatch(/"string"/);
  });
});

// The kinds: one stable word per failure.

describe('error kinds', () => {
  it('gives every error class its own stable kind', () => {
    const kinds = [
      new AuthenticationError('x'),
      new RateLimitError('x'),
      new ServerError('x', { status: 502 }),
      new RequestRejectedError('x'),
      new UnexpectedResponseError('x'),
      new TaskFailedError('t'),
      new TaskTimedOutError('t'),
      new WaitTimeoutError('x', 1),
      new ConnectionError('x'),
      new StreamClosedError('x', 1011, []),
      new BadInputError('f', 'a', 'b'),
      new AbortedError(),
      new TranscriptionError('x'),
    ].map((error) => [error.name, error.kind]);
    expect(kinds).toEqual([
      ['AuthenticationError', 'credential-refused'],
      ['RateLimitError', 'rate-limited'],
      ['ServerError', 'server-error'],
      ['RequestRejectedError', 'request-refused'],
      ['UnexpectedResponseError', 'unexpected-answer'],
      ['TaskFailedError', 'task-failed'],
      ['TaskTimedOutError', 'task-timed-out'],
      ['WaitTimeoutError', 'timed-out'],
      ['ConnectionError', 'connection-failed'],
      ['StreamClosedError', 'connection-closed'],
      ['BadInputError', 'invalid-input'],
      ['AbortedError', 'cancelled'],
      ['TranscriptionError', 'failed'],
    ]);
    for (const [, kind] of kinds) expect(ERROR_KINDS).toContain(kind);
  });

  it('says when the bad input was a URL or a missing credential, and keeps it when the field is renamed', () => {
    expect((thrown(() => readMediaUrls('ftp://a.example/1.mp3', 'msg.payload')) as BadInputError).kind).toBe('invalid-url');
    expect((thrown(() => checkHarfBaseUrl('harf.example')) as BadInputError).kind).toBe('invalid-url');
    expect((thrown(() => checkToken('  ')) as BadInputError).kind).toBe('missing-credential');
    expect((thrown(() => new AssemblyAiClient({ apiKey: '' })) as BadInputError).kind).toBe('missing-credential');
    const renamed = (thrown(() => checkHarfBaseUrl('nope')) as BadInputError).renamed('Base URL');
    expect(renamed).toMatchObject({ field: 'Base URL', kind: 'invalid-url' });
    expect(renamed.message).toMatch(/^Invalid Base URL: found the text "nope"/);
  });

  it('gives any other error a kind too', () => {
    expect(errorKind(new Error('boom'))).toBe('failed');
    expect(errorKind(Object.assign(new Error('stop'), { name: 'AbortError' }))).toBe('cancelled');
    expect(errorKind('a string')).toBe('failed');
    expect(errorKind(new AuthenticationError('x'))).toBe('credential-refused');
  });
});
