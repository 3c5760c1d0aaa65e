import type { IDataObject } from 'n8n-workflow';
import { startSandbox } from '../../../sandbox';
import { AssemblyAiApi } from '../../../credentials/AssemblyAiApi.credentials';
import { HarfApi } from '../../../credentials/HarfApi.credentials';
import { Harf } from '../../../nodes/Harf/Harf.node';
import { normalizePersianText } from '../../../lib/transcript';
import { operations } from '../../../nodes/Harf/actions/registry';
import { configuredOutputs as outputsOf } from '../../../nodes/shared/registry';

const configuredOutputs = (parameters: Parameters<typeof outputsOf>[1]) => outputsOf(operations, parameters);
import { fakeContext, type ParameterValue } from './support/fakeContext';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

let sandbox: Sandbox;
const node = new Harf();
const PODCAST = 'https://media.example/podcast/episode-3.mp3?voices=maryam,reza&duration=50';
const hosts = {
  speaker: [
    { name: 'Maryam', sampleUrls: 'https://media.example/voices/maryam-1.mp3, https://media.example/voices/maryam-2.mp3' },
    { name: 'Reza', sampleUrls: 'https://media.example/voices/reza-1.mp3' },
  ],
};

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.resetJobs();
});

function run(parameters: Record<string, ParameterValue>, options: { continueOnFail?: boolean; items?: Array<{ json: IDataObject }> } = {}) {
  const fake = fakeContext({
    description: node.description,
    parameters,
    items: options.items,
    credentials: {
      harfApi: { token: sandbox.token, baseUrl: sandbox.url },
      assemblyAiApi: { apiKey: sandbox.assemblyAiKey, baseUrl: sandbox.url },
    },
    credentialTypes: [new HarfApi(), new AssemblyAiApi()],
    continueOnFail: options.continueOnFail,
  });
  return node.execute.call(fake.context);
}

describe('Diarize Speakers', () => {
  it('one item per file with speaker segments, the text per turn under the names given, and SRT with names', async () => {
    const [items] = await run({
      operation: 'diarizeSpeakers',
      mediaUrls: PODCAST,
      speakerNames: {
        name: [
          { label: 'speaker_0', name: 'Maryam' },
          { label: 'speaker_1', name: 'Reza' },
        ],
      },
      output: 'file',
      options: { subtitles: ['srt'] },
    });
    expect(items).toHaveLength(1);
    const file = items[0].json as IDataObject & { segments: IDataObject[] };
    expect(file.media_url).toBe(PODCAST);
    expect(file.segments.length).toBeGreaterThan(1);
    expect(file.segments.every((s) => typeof s.start === 'number' && /^speaker_\d$/.test(String(s.speaker)))).toBe(true);
    expect(
      String(file.text)
        .split('\n')
        .every((line) => /^(Maryam|Reza): /.test(line)),
    ).toBe(true);
    const srt = Buffer.from(items[0].binary?.srt.data ?? '', 'base64').toString('utf8');
    expect(srt).toMatch(/\n\u200F(Maryam|Reza): /);
    expect(srt).not.toContain('speaker_');
  });

  it('per segment with the review split: every speaker segment on exactly one output, with its speaker', async () => {
    const parameters = { operation: 'diarizeSpeakers', mediaUrls: PODCAST, output: 'segment', options: { splitUncertain: true } };
    expect(configuredOutputs(parameters)).toHaveLength(2);
    const [transcript, review] = await run(parameters);
    expect(review.length).toBeGreaterThan(0);
    expect(transcript.length).toBeGreaterThan(0);
    expect(review.every((item) => String(item.json.text).includes('['))).toBe(true);
    expect(transcript.every((item) => !String(item.json.text).includes('['))).toBe(true);
    expect(
      [...transcript, ...review].every((item) => typeof item.json.speaker === 'string' && typeof item.json.start_seconds === 'number'),
    ).toBe(true);
  });

  it('Text Only with normalisation: normalized_text beside the text as sent', async () => {
    const [items] = await run({
      operation: 'diarizeSpeakers',
      mediaUrls: PODCAST,
      output: 'text',
      options: { normalizeText: true, digits: 'persian' },
    });
    expect(Object.keys(items[0].json).sort()).toEqual(['media_url', 'normalized_text', 'text']);
    const text = String(items[0].json.text);
    expect(items[0].json.normalized_text).toBe(normalizePersianText(text, { digits: 'persian' }));
    expect(items[0].json.normalized_text).not.toBe(text);
  });
});

describe('Identify Speaker', () => {
  it('finds the known host among the sample voices', async () => {
    const [items] = await run({ operation: 'identifySpeaker', mediaUrl: 'https://media.example/clip.mp3?voice=reza', speakers: hosts });
    expect(items).toHaveLength(1);
    expect(items[0].json).toMatchObject({ result: 'Identified', most_similar_speaker: 'Reza', identified: true, speaker: 'Reza' });
    expect(configuredOutputs({ operation: 'identifySpeaker', options: { splitUncertain: true } })).toHaveLength(1);
  });

  it('a speaker without samples fails the item, naming the field; continue on fail keeps the other items', async () => {
    const items = [{ json: {} }, { json: {} }];
    const [out] = await run(
      {
        operation: 'identifySpeaker',
        mediaUrl: 'https://media.example/clip.mp3?voice=reza',
        // The first item names a speaker without samples, the second the known hosts.
        speakers: (itemIndex: number) => (itemIndex === 0 ? { speaker: [{ name: 'Maryam', sampleUrls: '' }] } : hosts),
      },
      { continueOnFail: true, items },
    );
    expect(out).toHaveLength(2);
    expect(String(out[0].json.error)).toMatch(/Known Speakers\[0\]\.sample_urls/);
    expect(out[1].json).toMatchObject({ identified: true, speaker: 'Reza' });
    expect(out[1].pairedItem).toEqual({ item: 1 });
  });
});

describe('Verify Speaker', () => {
  it("verifies against samples of one person, with a threshold of the user's when set", async () => {
    const [same] = await run({
      operation: 'verifySpeaker',
      mediaUrl: 'https://media.example/call.mp3?voice=maryam',
      sampleUrls: 'https://media.example/voices/maryam-1.mp3',
    });
    expect(same[0].json).toMatchObject({ result: 'Verified', verified: true });
    const [other] = await run({
      operation: 'verifySpeaker',
      mediaUrl: 'https://media.example/call.mp3?voice=reza',
      sampleUrls: 'https://media.example/voices/maryam-1.mp3',
      options: { threshold: -1 },
    });
    expect(other[0].json).toMatchObject({ result: 'Rejected', verified: true });
  });
});

describe('Index Speakers', () => {
  it('one item per stretch with the matched name as speaker', async () => {
    const [items] = await run({
      operation: 'indexSpeakers',
      mediaUrl: 'https://media.example/panel.mp3?voices=maryam,reza&duration=60',
      speakers: hosts,
      output: 'segment',
    });
    expect(items.length).toBeGreaterThan(1);
    expect(new Set(items.map((item) => item.json.speaker))).toEqual(new Set(['Maryam', 'Reza']));
    expect(items.every((item) => typeof item.json.similarity === 'number' && item.json.identified === true)).toBe(true);
    expect(sandbox.jobs().started).toBe(1);
  });
});
