import { request as httpRequest } from 'node:http';
import { startSandbox, type Sandbox } from '../../sandbox';

let sandbox: Sandbox;

function call(
  path: string,
  body?: unknown,
  method = body === undefined ? 'GET' : 'POST',
  token = sandbox.token,
): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { authorization: `Token ${token}` };
    if (text !== undefined) headers['content-type'] = 'application/json';
    const req = httpRequest(`${sandbox.url}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.resetJobs());

const SAMPLES = { Maryam: ['https://example.com/maryam-1.mp3'], Reza: ['https://example.com/s/x.mp3?voice=reza'] };

describe('speaker tasks', () => {
  it('diarizes with times in seconds as numbers and speaker_0… labels, the same for the same URL', async () => {
    const url = 'https://example.com/ep.mp3?voices=maryam,reza&duration=30';
    const first = await call('/api/speaker_tasks/diarization/', { media_urls: [url] });
    expect(first.status).toBe(200);
    const [result] = first.json;
    expect(result.media_url).toBe(url);
    expect(Object.keys(result.segments[0]).sort()).toEqual(['end', 'speaker', 'start', 'text']);
    expect(result.segments[0].speaker).toBe('speaker_0');
    expect(typeof result.segments[0].start).toBe('number');
    expect(result.segments[result.segments.length - 1].end).toBeLessThanOrEqual(30);
    expect((await call('/api/speaker_tasks/diarization/', { media_urls: [url] })).json).toEqual(first.json);
    expect(sandbox.jobs().started).toBe(2);
  });

  it('identifies in Harf\'s mixed case: "Identified" for a known voice, "unknown" otherwise', async () => {
    const known = await call('/api/speaker_tasks/identification/', {
      media_url: 'https://example.com/c.mp3?voice=maryam',
      target_urls: SAMPLES,
    });
    expect(known.json).toEqual([{ result: 'Identified', most_similar_speaker: 'Maryam', similarity: expect.any(Number) }]);
    const other = await call('/api/speaker_tasks/identification/', {
      media_url: 'https://example.com/c.mp3?voice=ali',
      target_urls: SAMPLES,
    });
    expect(other.json[0].result).toBe('unknown');
    expect(other.json[0].similarity).toBeLessThan(0.65);
    expect(other.json[0].similarity).toBeGreaterThanOrEqual(-1);
  });

  it('verifies against samples of one person', async () => {
    const yes = await call('/api/speaker_tasks/verification/', {
      media_url: 'https://example.com/c.mp3?voice=reza',
      target_urls: SAMPLES.Reza,
    });
    expect(yes.json).toEqual([{ result: 'Verified', similarity: expect.any(Number) }]);
    const no = await call('/api/speaker_tasks/verification/', {
      media_url: 'https://example.com/c.mp3?voice=reza',
      target_urls: SAMPLES.Maryam,
    });
    expect(no.json[0].result).toBe('Rejected');
  });

  it('indexes one flat entry per single-speaker stretch', async () => {
    const answer = await call('/api/speaker_tasks/indexing/', {
      media_url: 'https://example.com/p.mp3?voices=maryam,reza&duration=60',
      target_urls: SAMPLES,
    });
    expect(answer.status).toBe(200);
    const names = answer.json.map((s: { most_similar_speaker: string }) => s.most_similar_speaker);
    for (let i = 1; i < names.length; i++) expect(names[i]).not.toBe(names[i - 1]);
    expect(Object.keys(answer.json[0]).sort()).toEqual(['end', 'most_similar_speaker', 'result', 'similarity', 'start', 'text']);
  });

  it('answers field errors like DRF', async () => {
    expect(await call('/api/speaker_tasks/diarization/', { media_urls: ['nope'] })).toEqual({
      status: 400,
      json: { media_urls: { 0: ['Enter a valid URL.'] } },
    });
    expect(
      await call('/api/speaker_tasks/identification/', {
        media_url: 'https://example.com/a.mp3',
        target_urls: ['https://example.com/b.mp3'],
      }),
    ).toEqual({
      status: 400,
      json: { target_urls: ['Expected a dictionary of items but got type "list".'] },
    });
    expect(await call('/api/speaker_tasks/identification/', { target_urls: { Reza: [] } })).toEqual({
      status: 400,
      json: { media_url: ['This field is required.'], target_urls: { Reza: ['This list may not be empty.'] } },
    });
    expect((await call('/api/speaker_tasks/verification/', { media_url: 'https://example.com/a.mp3', target_urls: {} })).json).toEqual({
      target_urls: ['Expected a list of items but got type "dict".'],
    });
    expect(sandbox.jobs().started).toBe(0);
  });

  it('404s an unknown task and a path without its slash; asks for the token', async () => {
    expect((await call('/api/speaker_tasks/emotion/', {})).status).toBe(404);
    expect((await call('/api/speaker_tasks/diarization', { media_urls: ['https://example.com/a.mp3'] })).status).toBe(404);
    expect((await call('/api/speaker_tasks/diarization/', { media_urls: ['https://example.com/a.mp3'] }, 'POST', 'wrong')).status).toBe(
      401,
    );
  });

  it('applies faults to speaker tasks', async () => {
    sandbox.faults.add({ type: 'status', status: 503, path: '/api/speaker_tasks/' });
    expect((await call('/api/speaker_tasks/diarization/', { media_urls: ['https://example.com/a.mp3'] })).status).toBe(503);
    expect((await call('/api/speaker_tasks/diarization/', { media_urls: ['https://example.com/a.mp3'] })).status).toBe(200);
  });
});

describe('healthcheck', () => {
  it('answers GET with the token, refuses POST and a wrong token', async () => {
    expect(await call('/api/healthcheck/')).toEqual({ status: 200, json: { status: 'ok', message: 'Server is up and ready' } });
    expect((await call('/api/healthcheck/', {})).status).toBe(405);
    expect((await call('/api/healthcheck/', undefined, 'GET', 'wrong')).status).toBe(401);
  });
});
