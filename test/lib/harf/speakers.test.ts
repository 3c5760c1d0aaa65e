import { startSandbox } from '../../../sandbox';
import { AuthenticationError, BadInputError, ServerError, UnexpectedResponseError } from '../../../lib/errors';
import { HarfClient } from '../../../lib/harf/client';
import { diarizationTranscript, identificationVerdict, indexingTranscript, verificationVerdict } from '../../../lib/harf/speakers';
import { enrichFileResult, shapeOutput } from '../../../lib/transcript';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

let sandbox: Sandbox;
let client: HarfClient;
const fastRetry = { retries: 3, minDelayMs: 10, maxDelayMs: 200, maxElapsedMs: 5_000 };

const PODCAST = 'https://example.com/episodes/ep-12.mp3?voices=maryam,reza&duration=60';
const HOSTS = {
  Maryam: ['https://example.com/samples/maryam-1.mp3', 'https://example.com/samples/maryam-2.mp3'],
  Reza: ['https://example.com/samples/reza-1.mp3'],
};

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.resetJobs();
  client = new HarfClient({ token: sandbox.token, baseUrl: sandbox.url, retry: fastRetry });
});

describe('diarization', () => {
  it('answers one result per URL with numeric times and anonymous labels in order of first appearance', async () => {
    const other = 'https://example.com/a.mp3?speakers=3&duration=40';
    const results = await client.diarizeSpeakers([PODCAST, other]);
    expect(results.map((r) => r.media_url)).toEqual([PODCAST, other]);
    for (const result of results) {
      expect(result.segments.length).toBeGreaterThan(3);
      const seen: string[] = [];
      let last = 0;
      for (const segment of result.segments) {
        expect(typeof segment.start).toBe('number');
        expect(segment.end).toBeGreaterThan(segment.start);
        expect(segment.start).toBeGreaterThanOrEqual(last);
        last = segment.end;
        if (!seen.includes(segment.speaker)) seen.push(segment.speaker);
      }
      expect(seen).toEqual(seen.map((_, i) => `speaker_${i}`));
    }
    expect(new Set(results[0].segments.map((s) => s.speaker))).toEqual(new Set(['speaker_0', 'speaker_1']));
    expect(sandbox.jobs().started).toBe(2);
  });

  it('shapes into speaker segments: text joined per turn, uncertain words and the review split on speaker segments', async () => {
    const [result] = await client.diarizeSpeakers([PODCAST]);
    const file = enrichFileResult(diarizationTranscript(result, { speaker_0: 'Maryam', speaker_1: 'Reza' }));
    // API fields kept as sent, derived ones beside them.
    expect(file.segments[0].start).toBe(result.segments[0].start);
    expect(file.segments[0].start_seconds).toBe(result.segments[0].start);
    expect(file.segments[0].speaker).toBe(result.segments[0].speaker);
    const turns = file.text.split('\n');
    expect(turns.every((line) => /^(Maryam|Reza): \S/.test(line))).toBe(true);
    for (let i = 1; i < turns.length; i++) expect(turns[i].split(':')[0]).not.toBe(turns[i - 1].split(':')[0]);
    const bracketed = file.segments.filter((s) => s.text.includes('['));
    expect(bracketed.length).toBeGreaterThan(0);
    expect(file.uncertain_words.length).toBeGreaterThanOrEqual(bracketed.length);
    const { transcript, review } = shapeOutput([file], { output: 'segment', splitUncertain: true });
    expect(review.length).toBe(bracketed.length);
    expect(transcript.length + review.length).toBe(file.segments.length);
    expect([...transcript, ...review].every((entry) => typeof entry.speaker === 'string' && typeof entry.speaker_name === 'string')).toBe(
      true,
    );
  });

  it('refuses a list with a bad URL before sending, naming its position', async () => {
    const before = sandbox.log.length;
    await expect(client.diarizeSpeakers(['https://example.com/a.mp3', 'ftp://x'])).rejects.toMatchObject({ field: 'media_urls[1]' });
    expect(sandbox.log.length).toBe(before);
  });
});

describe('identification', () => {
  it('finds the known host among sample voices', async () => {
    const found = await client.identifySpeaker('https://example.com/clip.mp3?voice=reza', HOSTS);
    expect(found.result).toBe('Identified');
    expect(found.most_similar_speaker).toBe('Reza');
    expect(found.similarity).toBeGreaterThanOrEqual(0.65);
    expect(identificationVerdict(found)).toMatchObject({ identified: true, speaker: 'Reza', result: 'Identified' });
  });

  it('takes "unknown" in any case, and a threshold of the user\'s decides instead when given', async () => {
    const stranger = await client.identifySpeaker('https://example.com/clip.mp3?voice=ali', HOSTS);
    expect(stranger.result.toLowerCase()).toBe('unknown');
    expect(stranger.similarity).toBeLessThan(0.65);
    expect(identificationVerdict(stranger)).toMatchObject({ identified: false, speaker: null });
    expect(identificationVerdict(stranger, { threshold: -1 })).toMatchObject({ identified: true, speaker: stranger.most_similar_speaker });
    expect(() => identificationVerdict(stranger, { threshold: 2 })).toThrow(BadInputError);
  });

  it('refuses speakers without samples, naming the speaker', async () => {
    await expect(client.identifySpeaker(PODCAST, { Maryam: [] })).rejects.toMatchObject({ field: 'target_urls.Maryam' });
    await expect(client.identifySpeaker(PODCAST, { Maryam: ['not a url'] })).rejects.toMatchObject({ field: 'target_urls.Maryam[0]' });
    await expect(client.identifySpeaker(PODCAST, {})).rejects.toBeInstanceOf(BadInputError);
  });
});

describe('verification', () => {
  it('verifies the same voice and rejects another', async () => {
    const same = await client.verifySpeaker('https://example.com/call.mp3?voice=maryam', HOSTS.Maryam);
    expect(verificationVerdict(same)).toMatchObject({ result: 'Verified', verified: true });
    const other = await client.verifySpeaker('https://example.com/call.mp3?voice=reza', HOSTS.Maryam);
    expect(verificationVerdict(other).verified).toBe(false);
    expect(other.similarity).toBeGreaterThanOrEqual(-1);
    expect(verificationVerdict(other, { threshold: other.similarity }).verified).toBe(true);
  });
});

describe('indexing', () => {
  it('names each single-speaker stretch, with unknown voices as unknown', async () => {
    const media = 'https://example.com/panel.mp3?voices=maryam,ali,reza&duration=90';
    const segments = await client.indexSpeakers(media, HOSTS);
    expect(segments.length).toBeGreaterThan(2);
    const file = enrichFileResult(indexingTranscript(media, segments));
    const speakers = new Set(file.segments.map((s) => s.speaker));
    expect(speakers).toEqual(new Set(['Maryam', 'Reza', 'unknown']));
    for (const segment of file.segments) {
      expect(segment.identified).toBe(String(segment.result).toLowerCase() === 'identified');
      expect(segment.start_seconds).toBe(segment.start);
    }
    for (let i = 1; i < segments.length; i++) expect(segments[i].start).toBeGreaterThanOrEqual(segments[i - 1].end);
  });
});

describe('answers that are not the documented shape', () => {
  it.each([
    ['/api/speaker_tasks/identification/', '[{"result":"Maybe","most_similar_speaker":"Reza","similarity":0.7}]', '[0].result'],
    ['/api/speaker_tasks/identification/', '[{"result":"Identified","most_similar_speaker":"Reza","similarity":1.5}]', '[0].similarity'],
    ['/api/speaker_tasks/verification/', '[]', '(body)'],
    [
      '/api/speaker_tasks/diarization/',
      '[{"media_url":"x","segments":[{"start":"0:00:01","end":2,"speaker":"speaker_0","text":""}]}]',
      '[0].segments[0].start',
    ],
    ['/api/speaker_tasks/indexing/', '[{"start":1,"end":2,"result":"UNKNOWN","most_similar_speaker":"Reza","similarity":0.1}]', '[0].text'],
  ])('%s answered %s names %s', async (path, body, field) => {
    sandbox.faults.add({ type: 'malformed', path, body });
    const call = path.includes('diarization')
      ? client.diarizeSpeakers(['https://example.com/a.mp3'])
      : path.includes('verification')
        ? client.verifySpeaker('https://example.com/a.mp3', HOSTS.Reza)
        : path.includes('indexing')
          ? client.indexSpeakers('https://example.com/a.mp3', HOSTS)
          : client.identifySpeaker('https://example.com/a.mp3', HOSTS);
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as UnexpectedResponseError).field).toBe(field);
    expect((error as Error).message).toContain('Harf');
  });
});

describe('retries: speaker tasks start jobs', () => {
  it('sends again after a 503, once the job can not have started', async () => {
    sandbox.faults.add({ type: 'status', status: 503, path: '/api/speaker_tasks/' });
    await client.diarizeSpeakers([PODCAST]);
    expect(sandbox.jobs().started).toBe(1);
  });

  it('never sends again after a 504 that came once the job began, and says it may have started', async () => {
    sandbox.faults.add({ type: 'status', status: 504, path: '/api/speaker_tasks/', passThrough: true });
    const error = await client.identifySpeaker('https://example.com/clip.mp3?voice=reza', HOSTS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).jobMayHaveStarted).toBe(true);
    expect(sandbox.jobs().started).toBe(1);
  });
});

describe('healthcheck', () => {
  it('answers ok with the right token, and is asked again after a 502', async () => {
    sandbox.faults.add({ type: 'html', status: 502, path: '/api/healthcheck/' });
    await expect(client.healthcheck()).resolves.toMatchObject({ status: 'ok' });
    expect(sandbox.jobs().started).toBe(0);
  });

  it('says the token was refused, without showing it', async () => {
    const wrong = new HarfClient({ token: 'wrong-secret-token', baseUrl: sandbox.url, retry: fastRetry });
    const error = await wrong.healthcheck().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(String((error as Error).message)).not.toContain('wrong-secret-token');
  });
});
