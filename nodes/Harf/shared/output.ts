import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { HarfFileResult } from '../../../lib/harf/types';
import { enrichFileResult, shapeOutput, toSrt, toWebVtt, type TimedText, type TranscriptSource } from '../../../lib/transcript';

export type OutputMode = 'file' | 'segment' | 'text';

export interface TranscriptOptions {
  output: OutputMode;
  splitUncertain: boolean;
  subtitles: Array<'srt' | 'vtt'>;
}

/** What one operation returns for one input item: its Transcript items and its Needs Review items. */
export interface OperationResult {
  main: INodeExecutionData[];
  review: INodeExecutionData[];
}

/** Reads the Output parameter and the transcript options of one item. */
export function readTranscriptOptions(context: IExecuteFunctions, itemIndex: number): TranscriptOptions {
  const output = context.getNodeParameter('output', itemIndex, 'file') as OutputMode;
  const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
  const subtitles = Array.isArray(options.subtitles)
    ? (options.subtitles as string[]).filter((format): format is 'srt' | 'vtt' => format === 'srt' || format === 'vtt')
    : [];
  return { output, splitUncertain: options.splitUncertain === true, subtitles };
}

/** A subtitle file's base name from the media URL (or file name) it transcribes. */
export function subtitleBaseName(mediaUrl: string | undefined): string {
  if (!mediaUrl) return 'transcript';
  let path = mediaUrl;
  try {
    path = decodeURIComponent(new URL(mediaUrl).pathname);
  } catch {
    // Not a URL: a file name from an upload or a live stream.
  }
  const last = path.split('/').filter(Boolean).pop() ?? '';
  const base = last.replace(/\.[^.]*$/, '');
  return base || 'transcript';
}

/**
 * Enriches the service's file results and shapes them into n8n items (lib/transcript does both),
 * adding `fields` (such as task_id) to every item and attaching subtitle files when asked.
 */
export async function transcriptItems(
  context: IExecuteFunctions,
  itemIndex: number,
  results: Array<HarfFileResult | TranscriptSource>,
  options: TranscriptOptions,
  fields: IDataObject = {},
): Promise<OperationResult> {
  const files = results.map((result) => enrichFileResult(result));
  const shaped = shapeOutput(files, { output: options.output, splitUncertain: options.splitUncertain });
  const pairedItem = { item: itemIndex };
  const main: INodeExecutionData[] = shaped.transcript.map((json) => ({
    json: { ...fields, ...json } as IDataObject,
    pairedItem,
  }));
  const review: INodeExecutionData[] = shaped.review.map((json) => ({
    json: { ...fields, ...json } as IDataObject,
    pairedItem,
  }));

  if (options.subtitles.length > 0) {
    const taken = new Set<INodeExecutionData>();
    for (let index = 0; index < files.length; index++) {
      // File and text modes give one transcript item per file, in order; segment mode
      // gives the subtitles to the first item of that file, whichever output it is on.
      const holder =
        options.output === 'segment'
          ? [...main, ...review].find((item) => !taken.has(item) && item.json.media_url === files[index].media_url)
          : main[index];
      if (!holder) continue;
      taken.add(holder);
      await attachSubtitles(context, holder, files[index].segments, subtitleBaseName(files[index].media_url), options.subtitles);
    }
  }
  return { main, review };
}

/** Adds SRT and/or WebVTT renderings of the segments as binary properties `srt` and `vtt`. */
export async function attachSubtitles(
  context: IExecuteFunctions,
  item: INodeExecutionData,
  segments: TimedText[],
  baseName: string,
  formats: Array<'srt' | 'vtt'>,
): Promise<void> {
  item.binary = item.binary ?? {};
  if (formats.includes('srt')) {
    item.binary.srt = await context.helpers.prepareBinaryData(
      Buffer.from(toSrt(segments), 'utf8'),
      `${baseName}.srt`,
      'application/x-subrip',
    );
  }
  if (formats.includes('vtt')) {
    item.binary.vtt = await context.helpers.prepareBinaryData(
      Buffer.from(toWebVtt(segments), 'utf8'),
      `${baseName}.vtt`,
      'text/vtt',
    );
  }
}
