/**
 * harf-align-text: finds when each word of a known text is spoken in a recording.
 * The media URL and text come from msg.payload {media_url, text}, or from the node's settings.
 */
import { checkAlignmentText } from '../../lib/harf';
import { alignmentOutputOptions } from '../../lib/jobs';
import { readMediaUrls } from '../../lib/harf/input';
import type { HarfConfigNode } from './accounts';
import {
  configNode,
  duration,
  missingConfigError,
  readOutputOptions,
  resultsOf,
  RunningWork,
  runInput,
  sendShaped,
  shapeMessages,
  statusBadge,
  endWorkOnClose,
} from './common';
import type { NodeAPI, NodeDefinition, NodeRedNode } from './types';

export = function register(RED: NodeAPI): void {
  function HarfAlignText(this: NodeRedNode, definition: NodeDefinition): void {
    RED.nodes.createNode(this, definition);
    const node = this;
    const account = configNode<HarfConfigNode>(RED, definition.harf, 'harf-config');
    const configuredUrl = typeof definition.mediaUrl === 'string' ? definition.mediaUrl.trim() : '';
    const configuredText = typeof definition.text === 'string' ? definition.text.trim() : '';
    // Shaped as transcripts are: the word segments gain their index, times in seconds and media fragments.
    const output = alignmentOutputOptions(readOutputOptions(definition, ['file', 'segment']));
    const work = new RunningWork();
    const status = statusBadge(RED, node, 'harf-align-text');
    if (!account) status.cause('missing-account');

    node.on('input', (msg, send, done) => {
      void runInput(status, work, msg, done, async (signal) => {
        if (!account) throw missingConfigError('harf', 'harf-config');
        const payload =
          msg.payload && typeof msg.payload === 'object' && !Buffer.isBuffer(msg.payload)
            ? (msg.payload as { media_url?: unknown; text?: unknown })
            : {};
        const mediaUrl = readMediaUrls(
          payload.media_url ?? configuredUrl,
          payload.media_url !== undefined ? 'msg.payload.media_url' : 'media URL',
        )[0];
        let text: unknown = payload.text;
        let textField = 'msg.payload.text';
        if (text === undefined) {
          // A plain text payload is the text to align when the URL is set on the node.
          text = typeof msg.payload === 'string' && configuredUrl !== '' ? msg.payload : configuredText;
          textField = typeof msg.payload === 'string' && configuredUrl !== '' ? 'msg.payload' : 'text';
        }

        const words = checkAlignmentText(text, textField);
        status.working('aligning');
        const aligned = await account.client().alignText(mediaUrl, words, { signal });
        const shaped = shapeMessages(RED, msg, resultsOf([aligned]), { ...output, service: 'harf' });
        sendShaped(send, shaped, false);
        const placed = shaped.files[0]?.segments ?? [];
        status.done('words', { count: placed.length, duration: duration(placed.at(-1)?.end_seconds ?? 0) });
      });
    });

    endWorkOnClose(node, work);
  }

  RED.nodes.registerType('harf-align-text', HarfAlignText);
};
