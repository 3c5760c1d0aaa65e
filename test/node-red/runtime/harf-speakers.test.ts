import { diarize, startSandbox } from '../../../sandbox';
import harfConfig = require('../../../nodes/node-red/harf-config');
import harfSpeakers = require('../../../nodes/node-red/harf-speakers');
import { flowWith, helper, Inbox, startServer, statusTexts, stopServer, until, type FlowNode, type Sandbox } from './support';

const NODES = [harfConfig, harfSpeakers];
const PODCAST = 'https://media.example.org/podcast/episode-9.mp3?voices=maryam,reza&duration=50';
const HOSTS =
  'Maryam = https://media.example.org/voices/maryam-1.mp3, https://media.example.org/voices/maryam-2.mp3\nReza = https://media.example.org/voices/reza-1.mp3';
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 0 });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  sandbox.faults.clear();
  sandbox.resetJobs();
  await startServer();
});
afterEach(async () => {
  await helper.unload();
  await stopServer();
});

async function load(node: FlowNode) {
  const wires = node.splitUncertain ? [['out1'], ['out2']] : [['out1']];
  await helper.load(
    NODES,
    flowWith([
      { id: 'account', type: 'harf-config', baseUrl: sandbox.url },
      { harf: 'account', ...node, wires },
    ]),
    {
      account: { token: sandbox.token },
    },
  );
  return {
    node: helper.getNode(node.id),
    out1: new Inbox(helper.getNode('out1')),
    out2: new Inbox(helper.getNode('out2')),
    errors: new Inbox(helper.getNode('errors')),
  };
}

describe('harf-speakers', () => {
  it('diarizes a URL payload into one message per file, the text per turn under the names set, with SRT naming them', async () => {
    const { node, out1 } = await load({
      id: 'n',
      type: 'harf-speakers',
      task: 'diarize',
      speakerNames: 'speaker_0 = Maryam\nspeaker_1 = Reza',
      subtitles: 'srt',
    });
    const statuses = statusTexts(node);
    node.receive({ payload: PODCAST, topic: 'episode 9' });
    const [msg] = await out1.waitFor(1);
    expect(msg.topic).toBe('episode 9');
    expect(msg.payload.media_url).toBe(PODCAST);
    expect(msg.payload.segments.length).toBeGreaterThan(1);
    expect(
      msg.payload.segments.every((s: { speaker: string; start: number }) => /^speaker_\d$/.test(s.speaker) && typeof s.start === 'number'),
    ).toBe(true);
    expect(msg.payload.text.split('\n').every((line: string) => /^(Maryam|Reza): /.test(line))).toBe(true);
    expect(msg.srt).toMatch(/\n\u200F(Maryam|Reza): /);
    expect(statuses).toContain('diarizing');
    expect(statuses[statuses.length - 1]).toMatch(/^1 file · \d+:\d\d$/);
  });

  it('per speaker segment with the review split, and normalized_text when asked', async () => {
    const { node, out1, out2 } = await load({
      id: 'n',
      type: 'harf-speakers',
      task: 'diarize',
      output: 'segment',
      splitUncertain: true,
      normalize: true,
      digits: 'persian',
    });
    node.receive({ payload: { media_urls: [PODCAST] } });
    // The sandbox's own diarization says how many segments there are.
    const count = diarize(PODCAST, 50).length;
    await until(() => out1.messages.length + out2.messages.length >= count);
    const all = [...out1.messages, ...out2.messages];
    expect(out2.messages.length).toBeGreaterThan(0);
    expect(out2.messages.every((m) => m.payload.uncertain_words.length > 0)).toBe(true);
    expect(out1.messages.every((m) => m.payload.uncertain_words.length === 0)).toBe(true);
    expect(all.every((m) => typeof m.payload.speaker === 'string' && typeof m.payload.normalized_text === 'string')).toBe(true);
    // The API's text is kept as sent.
    expect(all.some((m) => m.payload.text.includes('می ') && m.payload.normalized_text.includes('می\u200C'))).toBe(true);
  });

  it("identifies the known host from msg.payload, or from the node's speakers", async () => {
    const { node, out1 } = await load({ id: 'n', type: 'harf-speakers', task: 'identify', speakers: HOSTS });
    node.receive({ payload: 'https://media.example.org/clip.mp3?voice=reza' });
    node.receive({
      payload: {
        media_url: 'https://media.example.org/clip.mp3?voice=ali',
        speakers: { Ali: ['https://media.example.org/voices/ali-1.mp3'] },
      },
    });
    const [found, other] = await out1.waitFor(2);
    expect(found.payload).toMatchObject({ result: 'Identified', most_similar_speaker: 'Reza', identified: true, speaker: 'Reza' });
    expect(other.payload).toMatchObject({ most_similar_speaker: 'Ali', identified: true });
  });

  it('verifies with the threshold set on the node', async () => {
    const { node, out1 } = await load({
      id: 'n',
      type: 'harf-speakers',
      task: 'verify',
      sampleUrls: 'https://media.example.org/voices/maryam-1.mp3',
      threshold: '-1',
    });
    node.receive({ payload: 'https://media.example.org/call.mp3?voice=reza' });
    const [msg] = await out1.waitFor(1);
    expect(msg.payload).toMatchObject({ result: 'Rejected', verified: true });
  });

  it('indexes by known speaker, one message per stretch', async () => {
    const { node, out1 } = await load({ id: 'n', type: 'harf-speakers', task: 'index', speakers: HOSTS, output: 'segment' });
    const panel = 'https://media.example.org/panel.mp3?voices=maryam,reza&duration=60';
    node.receive({ payload: panel });
    const stretches = diarize(panel, 60).filter((segment, i, all) => i === 0 || all[i - 1].voice !== segment.voice).length;
    await out1.waitFor(stretches);
    expect(out1.messages.length).toBe(stretches);
    expect(out1.messages.length).toBeGreaterThan(1);
    expect(new Set(out1.messages.map((m) => m.payload.speaker))).toEqual(new Set(['Maryam', 'Reza']));
    expect(sandbox.jobs().started).toBe(1);
  });

  it('bad input reaches a catch node naming the property, and no job starts', async () => {
    const { node, errors } = await load({
      id: 'n',
      type: 'harf-speakers',
      task: 'identify',
      speakers: 'Maryam https://media.example.org/m.mp3',
    });
    node.receive({ payload: 'https://media.example.org/clip.mp3', topic: 'keep' });
    const [error] = await errors.waitFor(1);
    expect(error.topic).toBe('keep');
    expect(error.error.message).toContain('known speakers line 1');
    expect(sandbox.jobs().started).toBe(0);
  });
});
