import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Service } from '../../lib/errors';
import {
  SUBTITLE_FORMATS,
  transcriptOutputs,
  type OutputEntry,
  type OutputOptions,
  type SubtitleFormat,
  type TranscriptOutputs,
} from '../../lib/jobs';
import { checkDigitStyle, type OutputMode, type TranscriptSource } from '../../lib/transcript';

/** What one operation returns for one input item: its Transcript items and its Needs Review items. */
export interface OperationResult {
  main: INodeExecutionData[];
  review: INodeExecutionData[];
}

/** Reads the Output parameter and the transcript options of one item. */
export function readTranscriptOptions(context: IExecuteFunctions, itemIndex: number, service: Service): OutputOptions {
  const output = context.getNodeParameter('output', itemIndex, 'file') as OutputMode;
  const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
  const subtitles = Array.isArray(options.subtitles)
    ? (options.subtitles as string[]).filter((format): format is SubtitleFormat => SUBTITLE_FORMATS.includes(format as SubtitleFormat))
    : [];
  const normalize = options.normalizeText === true ? { digits: checkDigitStyle(options.digits, 'Digits') } : undefined;
  return { output, splitUncertain: options.splitUncertain === true, subtitles, service, ...(normalize && { normalize }) };
}

/**
 * Turns the service's results into n8n items through lib's transcriptOutputs, adding `fields`
 * (such as task_id) to every item and the subtitle files lib made as binary data.
 */
export async function transcriptItems(
  context: IExecuteFunctions,
  itemIndex: number,
  results: TranscriptSource[],
  options: OutputOptions,
  fields: IDataObject = {},
): Promise<OperationResult> {
  const outputs = transcriptOutputs(
    results.map((result) => ({ result, fields })),
    options,
  );
  return await outputItems(context, itemIndex, outputs);
}

/** Entries lib shaped as n8n items, with their subtitle files as binary data. */
export async function outputItems(context: IExecuteFunctions, itemIndex: number, outputs: TranscriptOutputs): Promise<OperationResult> {
  const toItem = async (entry: OutputEntry): Promise<INodeExecutionData> => {
    // The entry's own fields lead (media URL, text, …); what goes with its file (a task id) follows.
    const json: IDataObject = { ...(entry.json as IDataObject) };
    for (const [key, value] of Object.entries(entry.fields ?? {})) if (!(key in json)) json[key] = value as IDataObject[string];
    const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
    const subtitles = entry.subtitles;
    if (subtitles) {
      item.binary = {};
      if (subtitles.srt !== undefined) {
        item.binary.srt = await context.helpers.prepareBinaryData(
          Buffer.from(subtitles.srt, 'utf8'),
          `${subtitles.baseName}.srt`,
          'application/x-subrip',
        );
      }
      if (subtitles.vtt !== undefined) {
        item.binary.vtt = await context.helpers.prepareBinaryData(
          Buffer.from(subtitles.vtt, 'utf8'),
          `${subtitles.baseName}.vtt`,
          'text/vtt',
        );
      }
    }
    return item;
  };
  const main: INodeExecutionData[] = [];
  for (const entry of outputs.transcript) main.push(await toItem(entry));
  const review: INodeExecutionData[] = [];
  for (const entry of outputs.review) review.push(await toItem(entry));
  return { main, review };
}
