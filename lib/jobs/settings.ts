/**
 * The settings a user gives the jobs, with their defaults and limits, in the units the user types
 * (seconds, minutes, Hz). The n8n node descriptions and the Node-RED editor take their defaults and
 * limits from here; the Node-RED editor gets them as resources/harf-settings.js, written at build.
 */
import { DEFAULT_SAMPLE_RATE, DEFAULT_UNCERTAIN_BELOW, MAX_SECONDS, SAMPLE_RATES } from '../assemblyai/settings';
import { MAX_RETRY_AFTER } from '../http/retry';
import type { NumberSetting } from '../settings';
import { DEFAULT_POLLING } from '../harf/settings';
import { SIMILARITY_THRESHOLD } from '../harf/speakers';
import type { WaitOptions } from '../harf/types';

export { checkSetting, describeRange, isWithin, settingOrDefault, type NumberSetting } from '../settings';

export type SubtitleFormat = 'srt' | 'vtt';
export const SUBTITLE_FORMATS: readonly SubtitleFormat[] = ['srt', 'vtt'];

export const SETTINGS = {
  polling: {
    /** Seconds before a pending task is checked again; later pauses grow by the backoff. */
    interval: { default: DEFAULT_POLLING.intervalMs / 1000, min: 0, above: true, max: 3600 },
    backoff: { default: DEFAULT_POLLING.backoffFactor, min: 1, max: 10 },
    /** Seconds: the pause between two checks never grows beyond this. */
    maxInterval: { default: DEFAULT_POLLING.maxIntervalMs / 1000, min: 0, above: true, max: 3600 },
    /** Minutes to wait for all tasks of one input before failing it. */
    timeout: { default: DEFAULT_POLLING.timeoutMs / 60_000, min: 0, above: true, max: 24 * 60 },
  },
  retry: {
    /** Seconds: the longest Retry-After wait the node honours before failing with a rate-limit error. */
    maxRetryAfter: MAX_RETRY_AFTER,
  },
  speakers: {
    /** The similarity from which a voice counts as a match; unset, Harf's own verdict decides. */
    threshold: SIMILARITY_THRESHOLD,
  },
  live: {
    /** Seconds without audio after which a live stream is ended. */
    idleTimeout: { default: 30, min: 0, above: true, max: 24 * 3600 },
  },
  assemblyAi: {
    /** The legacy endpoint: Hz the audio is converted to before it is sent. */
    sampleRate: { default: DEFAULT_SAMPLE_RATE, min: SAMPLE_RATES.min, max: SAMPLE_RATES.max, integer: true },
    /** A word whose confidence is below this is uncertain. */
    uncertainBelow: { default: DEFAULT_UNCERTAIN_BELOW, min: 0, max: 1 },
    /** The legacy endpoint takes audio under this many seconds (the Sync API's limit is SYNC_LIMITS'). */
    legacyMaxSeconds: MAX_SECONDS,
  },
} as const satisfies Record<string, Record<string, NumberSetting | number>>;

/** Polling settings in the user's units. */
export interface PollingSettings {
  intervalSeconds: number;
  backoffFactor: number;
  maxIntervalSeconds?: number;
  timeoutMinutes: number;
}

/** The polling settings in the milliseconds waitForTasks takes. */
export function waitOptionsOf(
  settings: PollingSettings,
): Required<Pick<WaitOptions, 'intervalMs' | 'backoffFactor' | 'maxIntervalMs' | 'timeoutMs'>> {
  const intervalMs = settings.intervalSeconds * 1000;
  return {
    intervalMs,
    backoffFactor: settings.backoffFactor,
    maxIntervalMs: Math.max(intervalMs, (settings.maxIntervalSeconds ?? SETTINGS.polling.maxInterval.default) * 1000),
    timeoutMs: settings.timeoutMinutes * 60_000,
  };
}
