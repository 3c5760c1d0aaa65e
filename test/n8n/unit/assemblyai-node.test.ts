import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { startSandbox } from '../../../sandbox';
import { AssemblyAiApi } from '../../../credentials/AssemblyAiApi.credentials';
import { AssemblyAi } from '../../../nodes/AssemblyAi/AssemblyAi.node';
import { AUDIO_KIND_NAMES } from '../../../lib/audio/detect';
import { SYNC_LIMITS } from '../../../lib/assemblyai';
import { wav } from '../../support/wav';
import { evaluateOutputs, fakeContext, memoryBinary, type ParameterValue } from './support/fakeContext';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

let sandbox: Sandbox;
const node = new AssemblyAi();

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.faults.clear());

function withWav(audio: Buffer, fileName = 'note.wav'): INodeExecutionData[] {
  return [{ json: {}, binary: { data: memoryBinary(audio, fileName, 'audio/wav') } }];
}

function run(
  parameters: Record<string, ParameterValue>,
  items: INodeExecutionData[],
  options: { apiKey?: string; baseUrl?: string; continueOnFail?: boolean } = {},
) {
  const fake = fakeContext({
    description: node.description,
    // The tests below are about the legacy endpoint unless they choose the Sync API.
    parameters: { operation: 'transcribeShortAudio', binaryPropertyName: 'data', endpoint: 'legacy', ...parameters },
    items,
    credentials: {
      assemblyAiApi: { apiKey: options.apiKey ?? sandbox.assemblyAiKey, baseUrl: options.baseUrl ?? sandbox.url, syncBaseUrl: sandbox.url },
    },
    credentialTypes: [new AssemblyAiApi()],
    continueOnFail: options.continueOnFail,
  });
  return { fake, output: node.execute.call(fake.context) };
}

async function failure(promise: Promise<unknown>): Promise<NodeApiError | NodeOperationError> {
  try {
    await promise;
  } catch (error) {
    return error as NodeApiError | NodeOperationError;
  }
  throw new Error('expected the node to fail');
}

describe('AssemblyAI node description', () => {
  it('keeps the saved names and offers the same output and review options as Harf', () => {
    const { description } = node;
    expect(description.name).toBe('assemblyAi');
    expect(description.usableAsTool).toBe(true);
    expect(description.credentials).toEqual([{ name: 'assemblyAiApi', required: true, testedBy: 'assemblyAiApiTest' }]);
    const operation = description.properties.find((p) => p.name === 'operation');
    expect(operation?.options?.map((o) => (o as { value: string }).value)).toEqual(['transcribeShortAudio']);
    const options = description.properties.find((p) => p.name === 'options')?.options as INodeProperties[];
    const byName = Object.fromEntries(options.map((o) => [o.name, o]));
    expect(byName.sampleRate.default).toBe(8000);
    expect(description.properties.find((p) => p.name === 'endpoint')?.default).toBe('sync');
    expect(byName.model.default).toBe('universal-3-5-pro');
    const credential = new AssemblyAiApi().properties.find((p) => p.name === 'syncBaseUrl');
    expect(credential?.default).toBe('https://sync.assemblyai.com');
    expect(byName.uncertaintyThreshold.default).toBe(0.5);
    expect(byName.splitUncertain).toBeDefined();
    expect(evaluateOutputs(description, { options: { splitUncertain: true } } as never)).toHaveLength(2);
    expect(evaluateOutputs(description, {} as never)).toHaveLength(1);
  });

  it("states the Sync API's limit and the formats as lib has them, and links to this package's README", () => {
    const { description } = node;
    const operation = description.properties.find((p) => p.name === 'operation');
    const option = operation?.options?.[0] as { action: string; description: string };
    for (const text of [description.description, option.action, option.description]) {
      expect(text).toContain(`${SYNC_LIMITS.maxSeconds} seconds`);
      expect(text).not.toMatch(/15 seconds|WAV file/);
    }
    for (const kind of Object.values(AUDIO_KIND_NAMES)) expect(description.description).toContain(kind);
    const credential = new AssemblyAiApi();
    expect(credential.documentationUrl).toBe('https://github.com/n8n-nodes-harf/n8n-nodes-harf#readme');
    // Only the legacy endpoint and the credential test use the Base URL: empty means the service's own.
    const baseUrl = credential.properties.find((p) => p.name === 'baseUrl');
    expect(baseUrl?.required).toBeUndefined();
    expect(baseUrl?.default).toBe('https://api.assemblyai.com');
  });
});

describe('Transcribe Short Audio', () => {
  it('sends a Telegram voice note (OGG/Opus) to the Sync API with the model, languages and key terms', async () => {
    const note = readFileSync(join(__dirname, '..', '..', 'fixtures', 'audio', 'voice-note.ogg'));
    const items = [{ json: {}, binary: { data: memoryBinary(note, 'voice.oga', 'audio/ogg') } }];
    const [[item]] = await run(
      {
        endpoint: 'sync',
        output: 'file',
        options: { model: 'universal-2', languages: 'en, fa', keyTerms: 'Stella, Harf', prompt: 'shopping' },
      },
      items,
    ).output;
    expect(item.json.media_url).toBe('voice.oga');
    expect(item.json.session_id).toEqual(expect.any(String));
    expect(item.json.duration).toBe('0:00:03');
    const request = sandbox.syncRequests[sandbox.syncRequests.length - 1];
    expect(request.model).toBe('universal-2');
    expect(request.config).toEqual({
      sample_rate: 16000,
      channels: 1,
      timestamps: true,
      language_codes: ['en', 'fa'],
      keyterms_prompt: ['Stella', 'Harf'],
      prompt: 'shopping',
    });
    // Decoded as it was sent: 16 kHz mono 16-bit raw PCM, config first.
    expect(request.parts).toEqual(['config', 'audio']);
    expect(request.audio?.contentType).toBe('audio/pcm');
    expect((request.audio?.bytes as Buffer).length / 32000).toBeCloseTo(3, 2);
  });

  it('the Sync API names its own fields when they are wrong', async () => {
    const error = await failure(run({ endpoint: 'sync', options: { languages: 'English!' } }, withWav(wav(8000, 1))).output);
    expect(error.message).toMatch(/^Invalid Languages: found "English!"/);
  });

  it('transcribes a short WAV of any format into the Harf file shape', async () => {
    const [items] = await run({ output: 'file' }, withWav(wav(44100, 4, 2))).output;
    expect(items).toHaveLength(1);
    const file = items[0].json;
    expect(file.media_url).toBe('note.wav');
    expect(Array.isArray(file.words)).toBe(true);
    expect((file.segments as IDataObject[]).length).toBeGreaterThan(0);
    expect(typeof file.text).toBe('string');
    expect(typeof file.certainty_ratio).toBe('number');
    expect(items[0].pairedItem).toEqual({ item: 0 });
  });

  it('splits by the threshold: at 1 every segment needs review, at 0 none', async () => {
    const audio = withWav(wav(16000, 5));
    const [allCertain, noneUncertain] = await run({ output: 'segment', options: { splitUncertain: true, uncertaintyThreshold: 0 } }, audio)
      .output;
    expect(noneUncertain).toHaveLength(0);
    const [certain, review] = await run({ output: 'segment', options: { splitUncertain: true, uncertaintyThreshold: 1 } }, audio).output;
    expect(certain).toHaveLength(0);
    expect(review).toHaveLength(allCertain.length);
    expect(String(review[0].json.media_fragment)).toMatch(/^note\.wav#t=/);
  });

  it('refuses a 15-second WAV with the length and a pointer to Harf (the endpoint takes audio under 15 seconds)', async () => {
    const error = await failure(run({}, withWav(wav(8000, 15))).output);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.message).toMatch(/15\.0 seconds/);
    expect(error.message).toMatch(/under 15 seconds/);
    expect(error.message).toMatch(/Harf/);
    expect(error.context.itemIndex).toBe(0);
  });

  it('a wrong API key is a 401 NodeApiError naming the AssemblyAI key, without showing it', async () => {
    const apiKey = 'wrong-assembly-key-77';
    const error = await failure(run({}, withWav(wav(8000, 2)), { apiKey }).output);
    expect(error).toBeInstanceOf(NodeApiError);
    expect((error as NodeApiError).httpCode).toBe('401');
    expect(error.message).toBe('The AssemblyAI API key was refused — check the credential');
    expect(JSON.stringify({ m: error.message, d: error.description })).not.toContain(apiKey);
  });

  it('lib checks the options and the Base URL; the errors name the fields this node shows', async () => {
    const audio = withWav(wav(8000, 2));
    const cases: Array<[Record<string, ParameterValue>, { baseUrl?: string }, RegExp]> = [
      [{ options: { uncertaintyThreshold: 1.5 } }, {}, /^Invalid Uncertainty Threshold: found number 1\.5, expected a number from 0 to 1/],
      // An expression may give the rate as text: a number in text is taken, anything else refused.
      [{ options: { sampleRate: '7000' } }, {}, /^Invalid Sample Rate: found the text "7000", expected a whole number from 8000 to 48000/],
      [{ options: { sampleRate: 'fast' } }, {}, /^Invalid Sample Rate: found the text "fast"/],
      [{}, { baseUrl: 'api.assemblyai.com' }, /^Invalid Base URL: found the text "api\.assemblyai\.com"/],
    ];
    for (const [parameters, credential, message] of cases) {
      const { fake, output } = run(parameters, audio, credential);
      const error = await failure(output);
      expect(error).toBeInstanceOf(NodeOperationError);
      expect(error.message).toMatch(message);
      expect(error.context.itemIndex).toBe(0);
      expect(fake.requests).toHaveLength(0);
    }
    const [[item]] = await run({ output: 'text', options: { sampleRate: '16000' } }, audio).output;
    expect(typeof item.json.text).toBe('string');
  });

  it('continue on fail: a file that is not WAV fails alone', async () => {
    const items = [
      ...withWav(wav(8000, 2), 'first.wav'),
      { json: {}, binary: { data: memoryBinary(Buffer.from('ID3 not a wav at all'), 'song.mp3', 'audio/mpeg') } },
      ...withWav(wav(8000, 2), 'third.wav'),
    ];
    const [output] = await run({ output: 'text' }, items, { continueOnFail: true }).output;
    expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
    expect(output[0].json.media_url).toBe('first.wav');
    expect(output[1].json.error).toMatch(/Invalid audio/);
    expect(output[2].json.media_url).toBe('third.wav');
  });
});
