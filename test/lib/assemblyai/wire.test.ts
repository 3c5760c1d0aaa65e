/**
 * The client and AssemblyAI's own SDK (pinned) send the same request for the same audio and options:
 * path, part order and names, content types, authorization, X-AAI-Model and config keys, as the
 * sandbox saw them. Differences on purpose are named where they are.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssemblyAI } from 'assemblyai';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { AssemblyAiClient } from '../../../lib/assemblyai';
import { decodeToPcm16 } from '../../../lib/audio';
import { wav } from '../../support/wav';

let sandbox: Sandbox;
let ours: AssemblyAiClient;
let sdk: AssemblyAI;
const voiceNote = readFileSync(join(__dirname, '..', '..', 'fixtures', 'audio', 'voice-note.ogg'));

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 0 });
  ours = new AssemblyAiClient({ apiKey: sandbox.assemblyAiKey, syncBaseUrl: sandbox.url });
  sdk = new AssemblyAI({ apiKey: sandbox.assemblyAiKey, syncBaseUrl: sandbox.url });
});
afterAll(() => {
  ours.close();
  return sandbox.close();
});

const lastWire = () => sandbox.syncRequests[sandbox.syncRequests.length - 1].wire;

/** The parts of the wire that must agree; the content length is absent for both (chunked). */
function comparable(wire: ReturnType<typeof lastWire>) {
  const { method, path, authorization, model, contentType, transferEncoding, contentLength, parts, configKeys } = wire;
  return {
    method,
    path,
    authorization,
    model,
    contentType,
    transferEncoding,
    contentLength,
    parts,
    configKeys: [...(configKeys ?? [])].sort(),
  };
}

test('a WAV that fits, with languages, key terms, prompt and context', async () => {
  const audio = wav(16000, 2);
  const options = { languages: ['en'], keyTerms: ['Stella'], prompt: 'A shopping list', conversationContext: ['Earlier: what to buy?'] };
  await ours.transcribeShortAudio(audio, { ...options, filename: 'audio.wav' });
  const fromClient = comparable(lastWire());
  // On purpose: the client always asks for word times (its segments are made from them); the SDK only when told.
  await sdk.sync.transcribe(audio, {
    language_codes: ['en'],
    keyterms_prompt: ['Stella'],
    prompt: 'A shopping list',
    conversation_context: ['Earlier: what to buy?'],
    timestamps: true,
  });
  const fromSdk = comparable(lastWire());
  expect(fromClient).toEqual(fromSdk);
  expect(fromClient.path).toBe('/v1/transcribe/live');
  expect(fromClient.parts.map((part) => part.name)).toEqual(['config', 'audio']);
});

test('a voice note: the client streams it converted as raw PCM, as the SDK sends raw PCM with its rate and channels', async () => {
  await ours.transcribeShortAudio(voiceNote, { model: 'universal-3-5-pro' });
  const fromClient = comparable(lastWire());
  // The SDK cannot read OGG/Opus: it is given the same audio already decoded to 16 kHz mono 16-bit PCM.
  const { pcm } = await decodeToPcm16(voiceNote, 16000);
  await sdk.sync.transcribe(pcm, { sample_rate: 16000, channels: 1, timestamps: true });
  const fromSdk = comparable(lastWire());
  expect(fromClient).toEqual(fromSdk);
  expect(fromClient.parts[1]).toMatchObject({ name: 'audio', contentType: 'audio/pcm', filename: 'audio.pcm' });
  expect(fromClient.configKeys).toEqual(['channels', 'sample_rate', 'timestamps']);
});
