import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { AUDIO_KIND_NAMES } from '../../lib/audio';
import { SETTINGS, type NumberSetting } from '../../lib/jobs';

/**
 * A number field's limits, as lib/jobs sets them. Its default is written beside it in each field
 * (`default: SETTINGS….default`) so that n8n's lint, which reads the source, sees one.
 */
export function numberLimits(setting: NumberSetting, numberPrecision?: number): Pick<INodeProperties, 'typeOptions'> {
  return { typeOptions: { minValue: setting.min, maxValue: setting.max, ...(numberPrecision === undefined ? {} : { numberPrecision }) } };
}

/**
 * How an operation that reads binary data ends its action. n8n gives an agent the action followed by
 * " in <node name>" as the tool's description, and its lint wants one sentence with no punctuation.
 */
export const NOT_A_TOOL = 'but an AI agent cannot pass a file so this operation is not meant as a tool';

/** The audio formats the package decodes, as lib names them: "WAV, OGG/Opus, OGG/Vorbis, MP3 or FLAC". */
export const AUDIO_FORMATS = Object.values(AUDIO_KIND_NAMES)
  .join(', ')
  .replace(/, ([^,]+)$/, ' or $1');

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
      description: 'The whole transcript of each file: segments, stats, joined text, uncertain words with their times',
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
  displayName: 'Needs Review Output',
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
  description: 'Subtitle files to attach to each file item as binary data (with One Item per Segment, to the first segment of each file)',
};

export const normalizeOptions: INodeProperties[] = [
  {
    displayName: 'Normalize Persian Text',
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
    displayOptions: { show: { normalizeText: [true] } },
    description: 'How digits are written in normalized_text',
  },
];

/** Options that shape a transcript: review split, subtitles and normalised text. */
export const transcriptOptions: INodeProperties[] = [splitUncertainOption, subtitlesOption, ...normalizeOptions];

/**
 * The binary property holding the audio, in n8n's usual wording. `hint` shows under the field, so
 * the formats a node accepts are said where the user types, not only in the tooltip.
 */
export function binaryPropertyField(
  description: string,
  hint = 'The name of the input binary field containing the audio',
): INodeProperties {
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

const MAX_RETRY_AFTER = SETTINGS.retry.maxRetryAfter.default;

export const maxRetryAfterOption: INodeProperties = {
  displayName: 'Max Retry Wait (Seconds)',
  name: 'maxRetryAfter',
  type: 'number',
  default: MAX_RETRY_AFTER,
  ...numberLimits(SETTINGS.retry.maxRetryAfter),
  description:
    'When the service is busy (HTTP 429 or 503) it says how long to wait before trying again. The node waits up to this long; a longer wait fails the item at once with a rate-limit error giving the wait asked for.',
};

/** Node versions: 1 keeps every option in Options, as saved workflows have them; 2 adds Advanced. */
export const NODE_VERSIONS = [1, 2];
type Show = NonNullable<IDisplayOptions['show']>;
const VERSION_1: Show = { '@version': [1] };
const FROM_VERSION_2: Show = { '@version': [{ _cnd: { gte: 2 } }] };

/**
 * An operation's Options collection, and from version 2 on its Advanced collection for the settings
 * few change (polling and retries). Version 1 shows them all in Options, where its saved workflows
 * keep them; readOptions reads both places. `show` limits the options to some modes; the advanced
 * settings show in every mode, since every mode sends requests that may be told to wait.
 */
export function optionsCollection(options: INodeProperties[], advanced: INodeProperties[] = [], show: Show = {}): INodeProperties[] {
  const collection = (displayName: string, name: string, values: INodeProperties[], when: Show): INodeProperties => ({
    displayName,
    name,
    type: 'collection',
    placeholder: displayName === 'Options' ? 'Add Option' : 'Add Setting',
    default: {},
    displayOptions: { show: when },
    options: values,
  });
  // Inside version 1's one collection, each option carries the modes itself (paths from the node's root).
  const fromRoot = Object.fromEntries(Object.entries(show).map(([name, values]) => [`/${name}`, values]));
  const inModes = (option: INodeProperties): INodeProperties =>
    Object.keys(show).length === 0 ? option : { ...option, displayOptions: { show: { ...option.displayOptions?.show, ...fromRoot } } };
  const version1 =
    advanced.length > 0
      ? collection('Options', 'options', [...options.map(inModes), ...advanced], VERSION_1)
      : collection('Options', 'options', options, { ...show, ...VERSION_1 });
  return [
    version1,
    ...(options.length > 0 ? [collection('Options', 'options', options, { ...show, ...FROM_VERSION_2 })] : []),
    ...(advanced.length > 0 ? [collection('Advanced', 'advanced', advanced, FROM_VERSION_2)] : []),
  ];
}
