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
import { checkHarfBaseUrl, checkToken } from '../../lib/harf/client';
import { readMediaUrls } from '../../lib/harf/input';
import { AssemblyAiClient } from '../../lib/assemblyai';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

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
