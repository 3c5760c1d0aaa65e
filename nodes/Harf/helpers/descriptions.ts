import type { INodeProperties } from 'n8n-workflow';

import { SETTINGS } from '../../../lib/jobs';
import { numberLimits } from '../../shared/descriptions';

// Plain names, so that n8n's lint sees each field's default.
const POLL_INTERVAL = SETTINGS.polling.interval.default;
const BACKOFF_FACTOR = SETTINGS.polling.backoff.default;
const MAX_POLL_INTERVAL = SETTINGS.polling.maxInterval.default;
const TIMEOUT_MINUTES = SETTINGS.polling.timeout.default;

/** Options that pace polling until the tasks are done. */
export const pollingOptions: INodeProperties[] = [
  {
    displayName: 'Poll Interval (Seconds)',
    name: 'pollInterval',
    type: 'number',
    default: POLL_INTERVAL,
    ...numberLimits(SETTINGS.polling.interval, 1),
    description:
      'Each task is checked at once, then again after this pause while it is still pending; later pauses grow by the backoff factor',
  },
  {
    displayName: 'Backoff Factor',
    name: 'backoffFactor',
    type: 'number',
    default: BACKOFF_FACTOR,
    ...numberLimits(SETTINGS.polling.backoff, 2),
    description: 'Each pause between two checks is the previous one times this factor',
  },
  {
    displayName: 'Max Interval (Seconds)',
    name: 'maxPollInterval',
    type: 'number',
    default: MAX_POLL_INTERVAL,
    ...numberLimits(SETTINGS.polling.maxInterval),
    description: 'The pause between two checks never grows beyond this',
  },
  {
    displayName: 'Timeout (Minutes)',
    name: 'timeout',
    type: 'number',
    default: TIMEOUT_MINUTES,
    ...numberLimits(SETTINGS.polling.timeout),
    description:
      'How long to wait for all tasks of an item before failing it. The tasks may still finish: check them later with Check Status.',
  },
];

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
