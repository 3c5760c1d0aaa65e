/**
 * Number settings a user types (seconds, minutes, Hz): a default and the range it must be in, and
 * the one way to check a typed value. Every layer of lib may declare its settings with these, so a
 * default or a limit is written once, beside the rule that uses it.
 */
import { BadInputError, describeValue } from './errors';

/** A number setting: its default and the range it must be in (`above`: greater than, else at least). */
export interface NumberSetting {
  default: number;
  /** The lowest value allowed, or with `above` the value it must exceed. */
  min: number;
  above?: boolean;
  max: number;
  integer?: boolean;
  /** What it accepts in the user's words, when the bare range says too little ("a confidence from 0 to 1"). */
  words?: string;
}

/** Whether a number is within the setting's range. */
export function isWithin(setting: NumberSetting, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (setting.integer && !Number.isInteger(value)) return false;
  return (setting.above ? value > setting.min : value >= setting.min) && value <= setting.max;
}

/** What the setting accepts, in words: "a number greater than 0 and at most 60". */
export function describeRange(setting: NumberSetting): string {
  if (setting.words) return setting.words;
  const kind = setting.integer ? 'a whole number' : 'a number';
  if (setting.above) return `${kind} greater than ${setting.min} and at most ${setting.max}`;
  return `${kind} from ${setting.min} to ${setting.max}`;
}

function asNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return NaN;
}

/** Whether the user left the setting empty. */
export function isUnset(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
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
