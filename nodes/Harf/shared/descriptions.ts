import type { INodeProperties } from 'n8n-workflow';
import { SETTINGS, type NumberSetting } from '../../../lib/jobs';

/** A number field's default and limits, as lib/jobs sets them. */
export function numberField(setting: NumberSetting, numberPrecision?: number): Pick<INodeProperties, 'default' | 'typeOptions'> {
  return {
    default: setting.default,
    typeOptions: { minValue: setting.min, maxValue: setting.max, ...(numberPrecision === undefined ? {} : { numberPrecision }) },
  };
}

/** How transcripts come out: one item per file, per segment, or the text alone. */
export const outputProperty: INodeProperties = {
  displayName: 'Output',
  name: 'output',
  type: 'options',
  noDataExpression: true,
  default: 'file',
  options: [
    {
      name: 'One Item per File',
      value: 'file',
      description:
        'The whole transcript of each file: segments, stats, joined text, uncertain words with their times',
    },
    {
      name: 'One Item per Segment',
      value: 'segment',
      description: 'Each timed segment as its own item, with its media URL, times and uncertain words',
    },
    {
      name: 'Text Only',
      value: 'text',
      description: 'Just the media URL and the joined text of each file',
    },
  ],
};

export const splitUncertainOption: INodeProperties = {
  displayName: 'Split Uncertain Words for Review',
  name: 'splitUncertain',
  type: 'boolean',
  // The outputs expression reads it from the raw parameters, so it cannot be an expression itself.
  noDataExpression: true,
  default: false,
  description:
    'Whether to add a second output, Needs Review, that receives every segment with words the service was unsure of (with its times and a link to the spot in the media). Per segment, every segment reaches exactly one output; per file, the file stays on the first output.',
};

export const subtitlesOption: INodeProperties = {
  displayName: 'Add Subtitles',
  name: 'subtitles',
  type: 'multiOptions',
  default: [],
  options: [
    { name: 'SRT', value: 'srt', description: 'A SubRip file in the binary property "srt"' },
    { name: 'WebVTT', value: 'vtt', description: 'A WebVTT file in the binary property "vtt"' },
  ],
  description:
    'Subtitle files to attach to each file item as binary data (with One Item per Segment, to the first segment of each file)',
};

export const normalizeOptions: INodeProperties[] = [
  {
    displayName: 'Add Normalized Persian Text',
    name: 'normalizeText',
    type: 'boolean',
    default: false,
    description:
      'Whether to add normalized_text beside each text: Persian ی and ک for Arabic ي and ك, half-spaces where Persian writing wants them (می‌گفت, کتاب‌ها), digits as chosen below. The text the service sent is kept as it is.',
  },
  {
    displayName: 'Digits in Normalized Text',
    name: 'digits',
    type: 'options',
    default: 'keep',
    options: [
      { name: 'As Sent', value: 'keep' },
      { name: 'Persian (۱۲۳)', value: 'persian' },
      { name: 'Latin (123)', value: 'latin' },
    ],
    description: 'How digits are written in normalized_text',
  },
];

/** Options that shape a transcript: review split, subtitles and normalised text. */
export const transcriptOptions: INodeProperties[] = [splitUncertainOption, subtitlesOption, ...normalizeOptions];

/** Options that pace polling until the tasks are done. */
export const pollingOptions: INodeProperties[] = [
  {
    displayName: 'Poll Interval (Seconds)',
    name: 'pollInterval',
    type: 'number',
    ...numberField(SETTINGS.polling.interval, 1),
    description:
      'Each task is checked at once, then again after this pause while it is still pending; later pauses grow by the backoff factor',
  },
  {
    displayName: 'Backoff Factor',
    name: 'backoffFactor',
    type: 'number',
    ...numberField(SETTINGS.polling.backoff, 2),
    description: 'Each pause between two checks is the previous one times this factor',
  },
  {
    displayName: 'Longest Poll Interval (Seconds)',
    name: 'maxPollInterval',
    type: 'number',
    ...numberField(SETTINGS.polling.maxInterval),
    description: 'The pause between two checks never grows beyond this',
  },
  {
    displayName: 'Timeout (Minutes)',
    name: 'timeout',
    type: 'number',
    ...numberField(SETTINGS.polling.timeout),
    description:
      'How long to wait for all tasks of an item before failing it. The tasks may still finish: check them later with Check Status.',
  },
];

/**
 * The binary property holding the audio, in n8n's usual wording. `hint` shows under the field, so
 * the formats a node accepts are said where the user types, not only in the tooltip.
 */
export function binaryPropertyField(description: string, hint = 'The name of the input binary field containing the audio'): INodeProperties {
  return {
    displayName: 'Input Binary Field',
    name: 'binaryPropertyName',
    type: 'string',
    default: 'data',
    required: true,
    placeholder: 'e.g. data',
    hint,
    description,
  };
}

export const maxRetryAfterOption: INodeProperties = {
  displayName: 'Longest Retry-After Wait (Seconds)',
  name: 'maxRetryAfter',
  type: 'number',
  ...numberField(SETTINGS.retry.maxRetryAfter),
  description:
    'When the service is busy (HTTP 429 or 503) it says how long to wait before trying again. The node waits up to this long; a longer wait fails the item at once with a rate-limit error giving the wait asked for.',
};

/** The Options collection of an operation. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
  return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options };
}

/** Media URLs, as a list in text or an array from an expression. */
export const mediaUrlsProperty: INodeProperties = {
  displayName: 'Media URLs',
  name: 'mediaUrls',
  type: 'string',
  default: '',
  required: true,
  placeholder: 'e.g. https://example.com/episode-12.mp3',
  typeOptions: { rows: 3 },
  description: 'Public URLs of audio or video files, separated by commas or new lines, or an expression that gives an array of URLs',
};

/** One media URL. */
export function mediaUrlProperty(placeholder: string, description: string): INodeProperties {
  return { displayName: 'Media URL', name: 'mediaUrl', type: 'string', default: '', required: true, placeholder, description };
}
