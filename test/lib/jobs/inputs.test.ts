/**
 * What the runtimes hand lib as a user gave it: a speaker job's input from a message and the node's
 * settings, an upload's source, and an account's client with the fields named as the user sees them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AssemblyAiClient } from '../../../lib/assemblyai';
import { BadInputError } from '../../../lib/errors';
import { checkUploadSource, clientNamingFields, speakerJobInput } from '../../../lib/jobs';

const A = 'https://example.com/a.mp3';
const B = 'https://example.com/b.mp3';
const field = 'msg.payload';

describe('speakerJobInput', () => {
  it('takes a plain URL or list as the media, and the rest from the settings', () => {
    const names = { speakerNames: 'speaker_0 = Maryam' };
    expect(speakerJobInput('diarize', { given: `${A}\n${B}`, givenField: field, settings: names })).toEqual({
      mediaUrls: [A, B],
      speakerNames: 'speaker_0 = Maryam',
    });
    const known = { speakers: `Maryam = ${B}`, threshold: '0.7' };
    expect(speakerJobInput('identify', { given: [A], givenField: field, settings: known })).toEqual({
      mediaUrls: [A],
      speakers: { Maryam: [B] },
      threshold: 0.7,
    });
  });

  it("reads Harf's own keys from an object, target_urls included", () => {
    const given = { media_url: A, target_urls: { Reza: [B] }, threshold: 0.5 };
    expect(speakerJobInput('index', { given, givenField: field, settings: { speakers: 'ignored = x' } })).toEqual({
      mediaUrls: [A],
      speakers: { Reza: [B] },
      threshold: 0.5,
    });
    expect(speakerJobInput('verify', { given: { media_url: A, target_urls: [B] }, givenField: field, settings: {} })).toEqual({
      mediaUrls: [A],
      sampleUrls: [B],
      threshold: undefined,
    });
  });

  it("names what was wrong where it came from: the message's key or the setting", () => {
    const input =
      (job: 'identify' | 'verify' | 'diarize', given: unknown, settings: Record<string, unknown> = {}) =>
      () =>
        speakerJobInput(job, { given, givenField: field, settings });
    expect(input('identify', { media_url: A, threshold: 3 }, { speakers: `M = ${B}` })).toThrow(
      /Invalid msg\.payload\.threshold: found number 3, expected a number from -1 to 1/,
    );
    expect(input('identify', A, { speakers: 'Maryam' })).toThrow(/Invalid known speakers line 1/);
    expect(input('diarize', undefined)).toThrow(/Invalid media URLs/);
    expect(input('verify', { media_urls: 'ftp://x/y.mp3' })).toThrow(/msg\.payload\.media_urls/);
  });
});

describe('checkUploadSource', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harf-upload-source-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes a Buffer with bytes, or the path of a file with content, and gives its size', async () => {
    const file = path.join(dir, 'voice.ogg');
    fs.writeFileSync(file, Buffer.alloc(1234, 1));
    const bytes = Buffer.from('RIFF');
    await expect(checkUploadSource(bytes, { field })).resolves.toEqual({ source: bytes, size: 4 });
    await expect(checkUploadSource(`  ${file}\n`, { field })).resolves.toEqual({ source: file, size: 1234 });
  });

  it('refuses an empty Buffer, a missing path, a folder and an empty file, naming the field', async () => {
    const empty = path.join(dir, 'empty.mp3');
    fs.writeFileSync(empty, '');
    await expect(checkUploadSource(Buffer.alloc(0), { field })).rejects.toThrow('Invalid msg.payload: found an empty Buffer');
    const missing = '/no/such/file.mp3';
    await expect(checkUploadSource(missing, { field })).rejects.toThrow(`found the path "${missing}", which is not a readable file`);
    await expect(checkUploadSource(dir, { field })).rejects.toThrow('which is not a readable file');
    const expected = 'a voice note';
    await expect(checkUploadSource(empty, { field, expected })).rejects.toThrow(`found the empty file "${empty}", expected a voice note`);
    await expect(checkUploadSource(42, { field })).rejects.toBeInstanceOf(BadInputError);
  });
});

describe('clientNamingFields', () => {
  it('names a missing key as the user sees it; the client decides what is wrong', () => {
    const fields = { apiKey: 'API key (in the assemblyai-config node "main")' };
    const make = () => clientNamingFields(() => new AssemblyAiClient({ apiKey: ' ' }), fields);
    expect(make).toThrow('Invalid API key (in the assemblyai-config node "main"): found');
    try {
      make();
    } catch (error) {
      expect((error as BadInputError).kind).toBe('missing-credential');
    }
    const client = clientNamingFields(() => new AssemblyAiClient({ apiKey: 'key-1234' }), { apiKey: 'API key' });
    expect(client).toBeInstanceOf(AssemblyAiClient);
    client.close();
  });
});
