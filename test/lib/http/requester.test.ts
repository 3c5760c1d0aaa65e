/**
 * The one requester against servers that misbehave: answers too large or endless, answers that
 * stop, uploads cut after they reached the service, and every error body form the services send.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { AssemblyAiClient } from '../../../lib/assemblyai';
import { ConnectionError, RateLimitError, RequestRejectedError, UnexpectedResponseError, WaitTimeoutError } from '../../../lib/errors';
import { HarfClient } from '../../../lib/harf';
import { serviceWords } from '../../../lib/http/response';
import { enrichFileResult } from '../../../lib/transcript';

async function serve(handle: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const noRetry = { retries: 0 };

describe('answers are read within limits', () => {
  it('a 50 MB status answer is refused as an UnexpectedResponseError naming the size, in bounded memory', async () => {
    let sent = 0;
    const server = await serve((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      const piece = Buffer.alloc(64 * 1024, 0x20);
      res.write('{"state": "PENDING", "pad": "');
      const more = () => {
        while (sent < 50 * 1024 * 1024) {
          sent += piece.length;
          if (!res.write(piece)) return void res.once('drain', more);
        }
        res.end('"}');
      };
      more();
    });
    try {
      const client = new HarfClient({ token: 'hostile-token-1', baseUrl: server.url, retry: noRetry });
      const before = process.memoryUsage().rss;
      const error = await client.checkTask('t-1').then(
        () => new Error('it resolved'),
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect(error.message).toMatch(/larger than the 4\.0 MB an answer may be: it was refused after 4\.\d MB/);
      expect((error as UnexpectedResponseError).service).toBe('harf');
      // The 50 MB were never read whole.
      expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
      expect(sent).toBeLessThan(50 * 1024 * 1024);
      client.close();
    } finally {
      await server.close();
    }
  });

  it('an endless chunked answer is refused at the size limit, long before the request timeout', async () => {
    const server = await serve((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      const piece = Buffer.alloc(16 * 1024, 0x20);
      const more = () => {
        while (res.write(piece));
        res.once('drain', more);
      };
      more();
    });
    try {
      const client = new HarfClient({ token: 'hostile-token-1', baseUrl: server.url, retry: noRetry });
      const started = Date.now();
      const error = await client.checkTask('t-1').then(
        () => new Error('it resolved'),
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect(Date.now() - started).toBeLessThan(20_000);
      client.close();
    } finally {
      await server.close();
    }
  });

  it('an answer that stops arriving fails by the overall limit, saying only part of it came and how much', async () => {
    const server = await serve((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"state": "PEN');
      });
    });
    try {
      const client = new HarfClient({ token: 'hostile-token-1', baseUrl: server.url, retry: noRetry, requestTimeoutMs: 1500 });
      const error = await client.checkTask('t-1').then(
        () => new Error('it resolved'),
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(WaitTimeoutError);
      expect(error.message).toMatch(/Only part of the answer from 127\.0\.0\.1:\d+ arrived within 2 s \(14 bytes\)/);
      client.close();
    } finally {
      await server.close();
    }
  });

  it('no answer at all says that nothing came', async () => {
    const server = await serve((req) => req.resume());
    try {
      const client = new HarfClient({ token: 'hostile-token-1', baseUrl: server.url, retry: noRetry, requestTimeoutMs: 1000 });
      const error = await client.checkTask('t-1').then(
        () => new Error('it resolved'),
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(WaitTimeoutError);
      expect(error.message).toMatch(/^No answer from 127\.0\.0\.1:\d+ within 1 s/);
      client.close();
    } finally {
      await server.close();
    }
  });
});

describe('an upload cut by the service', () => {
  it('says the service was reached and how much had been sent, not that it could not be reached', async () => {
    const server = await serve((req) => {
      let read = 0;
      req.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > 1024 * 1024) req.socket.destroy();
      });
    });
    try {
      const client = new HarfClient({ token: 'hostile-token-1', baseUrl: server.url, retry: noRetry });
      const audio = Readable.from(
        (function* () {
          const piece = Buffer.alloc(64 * 1024, 1);
          piece.write('ID3', 0, 'latin1');
          for (let i = 0; i < 256; i++) yield piece;
        })(),
      );
      const error = await client.uploadFile(audio, { filename: 'talk.mp3' }).then(
        () => new Error('it resolved'),
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.message).toMatch(/broke while sending the request, after \d+\.\d MB/);
      expect(error.message).not.toMatch(/Could not reach/);
      client.close();
    } finally {
      await server.close();
    }
  });
});

describe('every error body form', () => {
  it.each([
    ['{"error_code":"bad_audio","message":"Audio could not be decoded"}', 'Audio could not be decoded', 'bad_audio'],
    ['{"error":"Audio is too short","error_code":"audio_too_short"}', 'Audio is too short', 'audio_too_short'],
    [
      '{"type":"about:blank","status":413,"title":"Audio Too Large","detail":"Audio exceeds 40 MB"}',
      'Audio Too Large: Audio exceeds 40 MB',
      'audio_too_large',
    ],
    ['{"detail":"Invalid token."}', 'Invalid token.', undefined],
    ['{"detail":[{"loc":["body","prompt"],"msg":"too long","type":"value_error"}]}', 'prompt: too long', undefined],
    ['{"error":"Unauthorized"}', 'Unauthorized', undefined],
    ['{"message":"Too many requests"}', 'Too many requests', undefined],
    ['upstream connect error', 'upstream connect error', undefined],
  ])('%s', (body, message, code) => {
    expect(serviceWords(Buffer.from(body))).toEqual({ message, code });
  });

  it('the code travels on the error, with the service words in its message', async () => {
    const server = await serve((req, res) => {
      req.resume();
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '120' });
      res.end('{"error":"Concurrency limit reached","error_code":"rate_limited"}');
    });
    try {
      const client = new AssemblyAiClient({ apiKey: 'hostile-key-12345', baseUrl: server.url, retry: noRetry });
      const error = await client.checkApiKey().then(
        () => new Error('it resolved'),
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error.message).toMatch(/Concurrency limit reached/);
      expect((error as RateLimitError).errorCode).toBe('rate_limited');
      expect((error as RateLimitError).retryAfterMs).toBe(120_000);
      expect(JSON.stringify(error)).toContain('"error_code":"rate_limited"');
      client.close();
    } finally {
      await server.close();
    }
  });

  it('a 404 in the problem form keeps its title as the code', async () => {
    const server = await serve((req, res) => {
      req.resume();
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end('{"status":404,"title":"Not Found","detail":"No route /v2/transcript"}');
    });
    try {
      const client = new AssemblyAiClient({ apiKey: 'hostile-key-12345', baseUrl: server.url, retry: noRetry });
      const error = (await client.checkApiKey().catch((e: Error) => e)) as RequestRejectedError;
      expect(error).toBeInstanceOf(RequestRejectedError);
      expect(error.errorCode).toBe('not_found');
      expect(error.message).toMatch(/Not Found: No route/);
      client.close();
    } finally {
      await server.close();
    }
  });
});

describe('numbers the service sends are checked before use', () => {
  const file = (segment: Record<string, unknown>) =>
    ({ media_url: 'https://example.com/a.mp3', duration: '0:00:10', segments: [segment] }) as unknown as Parameters<
      typeof enrichFileResult
    >[0];
  it.each([-1, 1e308, Number.NaN])('a start_seconds of %p is the service error, naming the field', (value) => {
    const error = (() => {
      try {
        enrichFileResult(file({ start: '0:00:01', end: '0:00:02', text: 'سلام', start_seconds: value }), { service: 'harf' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as UnexpectedResponseError).field).toBe('segments[0].start_seconds');
    expect(error?.message).toMatch(/^Harf sent segments\[0\]\.start_seconds/);
  });
});
