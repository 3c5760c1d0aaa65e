/**
 * The AssemblyAI settings a user gives, with their defaults and limits: small and free of the client's
 * imports, so an editor or a node that only shows them loads nothing else.
 */
import type { NumberSetting } from '../settings';

/** The legacy endpoint takes audio under 15 seconds. */
export const MAX_SECONDS = 15;
/**
 * Legacy endpoint only: the rate (Hz) the audio is converted to. Its documentation's format list is
 * cut off; AssemblyAI's own clients of that endpoint sent 8 kHz.
 */
export const SAMPLE_RATE = {
  default: 8000,
  min: 8000,
  max: 48000,
  integer: true,
  words: 'a whole number of Hz from 8000 to 48000 (8000 by default)',
} as const satisfies NumberSetting;
export const DEFAULT_SAMPLE_RATE = SAMPLE_RATE.default;
/** The rates the audio may be converted to before sending (Hz). */
export const SAMPLE_RATES = { min: SAMPLE_RATE.min, max: SAMPLE_RATE.max } as const;
/** A word whose confidence is below this is uncertain (bracketed, sent for review). */
export const UNCERTAIN_BELOW = {
  default: 0.5,
  min: 0,
  max: 1,
  words: 'a confidence from 0 to 1 (0.5 by default)',
} as const satisfies NumberSetting;
export const DEFAULT_UNCERTAIN_BELOW = UNCERTAIN_BELOW.default;
