import { BadInputError, SERVICE_NAMES, UnexpectedResponseError, describeValue, type Service } from '../errors';

// Transcript times are Python's str(timedelta), as Harf writes them: H:MM:SS, or H:MM:SS.ffffff when
// there is a fraction (and "N day(s), H:MM:SS" past 24 hours).
const TIME = /^(?:(\d+) days?, )?(\d+):([0-5]\d):([0-5]\d)(?:\.(\d{1,6}))?$/;

/**
 * Parses a transcript time (`H:MM:SS` or `H:MM:SS.ffffff`, hours may have several digits; Python's
 * `1 day, 2:00:00` form too) into seconds.
 * Anything else throws an UnexpectedResponseError naming `field` (and `service`, when given).
 */
export function parseTime(value: string, field = 'time', service?: Service): number {
  const match = typeof value === 'string' ? TIME.exec(value) : null;
  if (!match) {
    throw new UnexpectedResponseError(
      `${sender(service)} ${field} as ${describeValue(value)}; expected a time like H:MM:SS or H:MM:SS.ffffff`,
      { service, field },
    );
  }
  const [, days = '0', hours, minutes, seconds, fraction = ''] = match;
  const micros = fraction === '' ? 0 : Number(fraction.padEnd(6, '0'));
  const whole = Number(days) * 86400 + Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
  // Whole microseconds first, one division last: 2.55 stays 2.55, not 2.5500000000000003.
  return (whole * 1_000_000 + micros) / 1_000_000;
}

/** No recording runs longer than this (30 days): a time past it is the service's error, not a time. */
export const MAX_MEDIA_SECONDS = 30 * 24 * 3600;

/**
 * A segment time in seconds: a number of seconds as sent (speaker tasks send `37.4`), or a time
 * text parsed by `parseTime`.
 */
export function timeSeconds(value: unknown, field = 'time', service?: Service): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0 && value <= MAX_MEDIA_SECONDS) return value;
    throw new UnexpectedResponseError(
      `${sender(service)} ${field} as ${describeValue(value)}; expected seconds, from 0 to ${MAX_MEDIA_SECONDS}`,
      { service, field },
    );
  }
  const seconds = parseTime(value as string, field, service);
  if (seconds > MAX_MEDIA_SECONDS) {
    throw new UnexpectedResponseError(`${sender(service)} ${field} as ${describeValue(value)}; expected a time of at most 30 days`, {
      service,
      field,
    });
  }
  return seconds;
}

/** Who sent a transcript field, for an error about it. */
export function sender(service: Service | undefined): string {
  return service ? `${SERVICE_NAMES[service]} sent` : 'The transcript has';
}

/** Seconds back to the `H:MM:SS` form, with `.ffffff` only when there is a fraction. */
export function formatTime(seconds: number): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new BadInputError('seconds', describeValue(seconds), 'a finite number of seconds, 0 or more');
  }
  const totalMicros = Math.round(seconds * 1_000_000);
  const micros = totalMicros % 1_000_000;
  const whole = (totalMicros - micros) / 1_000_000;
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const base = `${h}:${pad(m, 2)}:${pad(s, 2)}`;
  return micros === 0 ? base : `${base}.${pad(micros, 6)}`;
}

/** Subtitle clock `HH:MM:SS<sep>mmm` (SRT uses a comma, WebVTT a dot), rounded to the millisecond. */
export function formatSubtitleTime(seconds: number, separator: ',' | '.'): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new BadInputError('seconds', describeValue(seconds), 'a finite number of seconds, 0 or more');
  }
  const totalMs = Math.round(seconds * 1000);
  const ms = totalMs % 1000;
  const whole = (totalMs - ms) / 1000;
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${separator}${pad(ms, 3)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
