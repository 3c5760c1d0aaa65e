/**
 * AssemblyAI's addresses and limits, and the settings a user gives with their defaults: small and free
 * of the client's imports, so an editor or a node that only shows them loads nothing else.
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

export const ASSEMBLYAI_BASE_URL = 'https://api.assemblyai.com';
/** The Sync API is the default; `legacy` is POST /v2/stream, the endpoint of the seed documentation. */
export type ShortAudioEndpoint = 'sync' | 'legacy';
export const SHORT_AUDIO_ENDPOINTS: readonly ShortAudioEndpoint[] = ['sync', 'legacy'];
/**
 * 120 seconds (the Sync API's limit) of the richest WAV (48 kHz, 8 channels, 32-bit) is about 185 MB:
 * a file far larger cannot be short audio, and is refused before it is read into memory.
 */
export const MAX_WAV_BYTES = 200 * 1024 * 1024;

/** AssemblyAI's Sync API hosts: the default, and the US and EU data-residency ones. */
export const SYNC_BASE_URL = 'https://sync.assemblyai.com';
export const SYNC_BASE_URLS = {
  default: SYNC_BASE_URL,
  us: 'https://sync.us.assemblyai.com',
  eu: 'https://sync.eu.assemblyai.com',
} as const;
/** The route AssemblyAI's own SDK (4.41) posts every transcription to, whole clips and live audio alike. */
export const SYNC_PATH = '/v1/transcribe/live';
/** Opens the connection ahead of time; any answer means it is open. */
export const SYNC_WARM_PATH = '/v1/warm';
export const DEFAULT_SYNC_MODEL = 'universal-3-5-pro';
/** What the Sync API takes: 80 ms to 120 s, at most 40 MB, 16-bit, mono or stereo, these rates. */
export const SYNC_LIMITS = {
  minSeconds: 0.08,
  maxSeconds: 120,
  maxBytes: 40 * 1024 * 1024,
  channels: [1, 2],
  sampleRates: [8000, 16000, 22050, 24000, 32000, 44100, 48000],
} as const;
/**
 * The config part's caps: a prompt or key terms over theirs are refused before sending; the
 * conversation context over its caps is trimmed, oldest turns first (as AssemblyAI's SDK does).
 */
export const SYNC_CAPS = { promptChars: 6000, keyTerms: 100, keyTermChars: 8000, contextTurns: 500, contextChars: 16000 } as const;
