import { BadInputError } from '../../../lib/errors';
import { retryOptionsFromSeconds } from '../../../lib/http/retry';
import { checkSetting, describeRange, settingOrDefault, SETTINGS, waitOptionsOf } from '../../../lib/jobs';

describe('settings', () => {
  it('poll as the README documents when not told otherwise: 2 s, ×1.5, at most 30 s apart, 30 min in all', () => {
    expect(SETTINGS.polling.interval.default).toBe(2);
    expect(SETTINGS.polling.backoff.default).toBe(1.5);
    expect(SETTINGS.polling.maxInterval.default).toBe(30);
    expect(SETTINGS.polling.timeout.default).toBe(30);
    const defaults = waitOptionsOf({
      intervalSeconds: SETTINGS.polling.interval.default,
      backoffFactor: SETTINGS.polling.backoff.default,
      timeoutMinutes: SETTINGS.polling.timeout.default,
    });
    expect(defaults).toEqual({ intervalMs: 2000, backoffFactor: 1.5, maxIntervalMs: 30_000, timeoutMs: 1_800_000 });
  });

  it('wait up to 60 s for a Retry-After by default; a negative wait is refused naming the field', () => {
    expect(SETTINGS.retry.maxRetryAfter.default).toBe(60);
    expect(retryOptionsFromSeconds(undefined)).toEqual({});
    expect(retryOptionsFromSeconds('0')).toEqual({ maxRetryAfterMs: 0 });
    expect(retryOptionsFromSeconds(90)).toEqual({ maxRetryAfterMs: 90_000 });
    expect(() => retryOptionsFromSeconds(-1, 'Longest Retry-After Wait (Seconds)')).toThrow(
      'Invalid Longest Retry-After Wait (Seconds): found number -1, expected a number from 0 to 86400',
    );
  });

  it('never pause less than the first interval, even when the longest interval is set lower', () => {
    expect(waitOptionsOf({ intervalSeconds: 45, backoffFactor: 1, maxIntervalSeconds: 10, timeoutMinutes: 1 }).maxIntervalMs).toBe(45_000);
  });

  describe('typed by a user (checkSetting)', () => {
    const timeout = SETTINGS.polling.timeout;

    it('gives the default when unset and takes numbers and numeric text within the range', () => {
      expect(checkSetting(timeout, undefined, 'Timeout (Minutes)')).toBe(30);
      expect(checkSetting(timeout, '', 'Timeout (Minutes)')).toBe(30);
      expect(checkSetting(timeout, 2.5, 'Timeout (Minutes)')).toBe(2.5);
      expect(checkSetting(timeout, '12', 'Timeout (Minutes)')).toBe(12);
      expect(checkSetting(timeout, 1440, 'Timeout (Minutes)')).toBe(1440);
    });

    it('refuses zero, text and values past the limit, naming the field, the value and the range', () => {
      expect(() => checkSetting(timeout, 0, 'Timeout (Minutes)')).toThrow(
        /^Invalid Timeout \(Minutes\): found number 0, expected a number greater than 0 and at most 1440$/,
      );
      expect(() => checkSetting(timeout, 'soon', 'Timeout (Minutes)')).toThrow(BadInputError);
      expect(() => checkSetting(timeout, 1441, 'Timeout (Minutes)')).toThrow(/found number 1441/);
      expect(() => checkSetting(SETTINGS.polling.backoff, 0.5, 'Backoff Factor')).toThrow(/expected a number from 1 to 10/);
      expect(() => checkSetting(SETTINGS.assemblyAi.sampleRate, 8000.5, 'Sample Rate')).toThrow(
        /expected a whole number from 8000 to 48000/,
      );
    });
  });

  describe('saved by an editor (settingOrDefault)', () => {
    it('takes what is within the range and gives the default for anything else', () => {
      const interval = SETTINGS.polling.interval;
      expect(settingOrDefault(interval, 0.05)).toBe(0.05);
      expect(settingOrDefault(interval, '3')).toBe(3);
      expect(settingOrDefault(interval, 0)).toBe(2);
      expect(settingOrDefault(interval, 3601)).toBe(2);
      expect(settingOrDefault(interval, 'often')).toBe(2);
      expect(settingOrDefault(SETTINGS.live.idleTimeout, undefined)).toBe(30);
      expect(settingOrDefault(SETTINGS.assemblyAi.uncertainBelow, 1)).toBe(1);
    });
  });

  it('say their range in words', () => {
    expect(describeRange(SETTINGS.live.idleTimeout)).toBe('a number greater than 0 and at most 86400');
    expect(describeRange(SETTINGS.assemblyAi.uncertainBelow)).toBe('a number from 0 to 1');
  });
});
