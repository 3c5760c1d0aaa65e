import { startSandbox } from '../../../sandbox';
import harfConfig = require('../../../nodes/node-red/harf-config');
import transcribeUrls = require('../../../nodes/node-red/harf-transcribe-urls');
import { flowWith, helper, Inbox, startServer, stopServer, type Sandbox } from './support';

let sandbox: Sandbox;
// The documented example: "یکی را از حکما شنیدم که می گفت" becomes "… می‌گفت" once normalised.
const EXAMPLE = 'https://i.ganjoor.net/a2/41417.mp3';

beforeAll(async () => {
  sandbox = await startSandbox({ processingDelayMs: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => startServer());
afterEach(async () => {
  await helper.unload();
  await stopServer();
});

async function transcribe(settings: Record<string, unknown>) {
  await helper.load(
    [harfConfig, transcribeUrls],
    flowWith([
      { id: 'account', type: 'harf-config', baseUrl: sandbox.url },
      { id: 'n', type: 'harf-transcribe-urls', harf: 'account', mode: 'wait', ...settings, wires: [['out1']] },
    ]),
    { account: { token: sandbox.token } },
  );
  const out = new Inbox(helper.getNode('out1'));
  helper.getNode('n').receive({ payload: EXAMPLE });
  const [msg] = await out.waitFor(1);
  return msg;
}

describe('normalized Persian text on a transcript node', () => {
  it('is off by default', async () => {
    const msg = await transcribe({ output: 'file' });
    expect(msg.payload.normalized_text).toBeUndefined();
    expect(msg.payload.segments[1].normalized_text).toBeUndefined();
  });

  it('adds normalized_text beside text on the file and each segment, and msg.normalized_text with text only', async () => {
    const file = await transcribe({ output: 'file', normalize: true, digits: 'persian' });
    expect(file.payload.segments[1].text).toBe('یکی را از حکما شنیدم که می گفت');
    expect(file.payload.segments[1].normalized_text).toBe('یکی را از حکما شنیدم که می\u200Cگفت');
    expect(file.payload.segments[0].normalized_text).toBe('[حکایت]');
    expect(file.payload.normalized_text).toContain('می\u200Cگفت');
    await helper.unload();
    const text = await transcribe({ output: 'text', normalize: 'true' });
    expect(text.payload).toContain('می گفت');
    expect(text.normalized_text).toContain('می\u200Cگفت');
  });
});
