/**
 * The settings a user gives the jobs, with their defaults and limits, in the units the user types
 * (seconds, minutes, Hz). The n8n node descriptions and the Node-RED editor take their defaults and
 * limits from here; the Node-RED editor gets them as resources/harf-settings.js, written at build.
 */
import { DEFAULT_SAMPLE_RATE, DEFAULT_UNCERTAIN_BELOW, MAX_SECONDS, SAMPLE_RATES } from '../assemblyai/client';
import { BadInputError, describeValue } from '../errors';
import { DEFAULT_POLLING } from '../harf/client';
import type { WaitOptions } from '../harf/types';

/** A number setting: its default and the range it must be in (`above`: greater than, else at least). */
export interface NumberSetting {
  default: number;
  /** The lowest value allowed, or with `above` the value it must exceed. */
  min: number;
  above?: boolean;
  max: number;
  integer?: boolean;
}

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
  live: {
    /** Seconds without audio after which a live stream is ended. */
    idleTimeout: { default: 30, min: 0, above: true, max: 24 * 3600 },
  },
  assemblyAi: {
    /** Hz the audio is converted to before it is sent. */
    sampleRate: { default: DEFAULT_SAMPLE_RATE, min: SAMPLE_RATES.min, max: SAMPLE_RATES.max, integer: true },
    /** A word whose confidence is below this is uncertain. */
    uncertainBelow: { default: DEFAULT_UNCERTAIN_BELOW, min: 0, max: 1 },
    /** The endpoint takes audio under this many seconds. */
    maxSeconds: MAX_SECONDS,
  },
} as const satisfies Record<string, Record<string, NumberSetting | number>>;

/** Whether a number is within the setting's range. */
export function isWithin(setting: NumberSetting, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (setting.integer && !Number.isInteger(value)) return false;
  return (setting.above ? value > setting.min : value >= setting.min) && value <= setting.max;
}

/** What the setting accepts, in words: "a number greater than 0 and at most 60". */
export function describeRange(setting: NumberSetting): string {
  const kind = setting.integer ? 'a whole number' : 'a number';
  if (setting.above) return `${kind} greater than ${setting.min} and at most ${setting.max}`;
  return `${kind} from ${setting.min} to ${setting.max}`;
}

function asNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return NaN;
}

function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * A setting typed by the user: unset gives the default, a number (or numeric text, as expressions
 * give) within the range is taken, anything else is refused naming `field`.
 */
export function checkSetting(setting: NumberSetting, value: unknown, field: string): number {
  if (isUnset(value)) return setting.default;
  const number = asNumber(value);
  if (!isWithin(setting, number)) throw new BadInputError(field, describeValue(value), describeRange(setting));
  return number;
}

/** A setting saved by an editor that validates it already: anything outside the range (a flow edited by hand) gives the default. */
export function settingOrDefault(setting: NumberSetting, value: unknown): number {
  const number = asNumber(value);
  return isWithin(setting, number) ? number : setting.default;
}

/** Polling settings in the user's units. */
export interface PollingSettings {
  intervalSeconds: number;
  backoffFactor: number;
  maxIntervalSeconds?: number;
  timeoutMinutes: number;
}

/** The polling settings in the milliseconds waitForTasks takes. */
export function waitOptionsOf(settings: PollingSettings): Required<Pick<WaitOptions, 'intervalMs' | 'backoffFactor' | 'maxIntervalMs' | 'timeoutMs'>> {
  const intervalMs = settings.intervalSeconds * 1000;
  return {
    intervalMs,
    backoffFactor: settings.backoffFactor,
    maxIntervalMs: Math.max(intervalMs, (settings.maxIntervalSeconds ?? SETTINGS.polling.maxInterval.default) * 1000),
    timeoutMs: settings.timeoutMinutes * 60_000,
  };
}
