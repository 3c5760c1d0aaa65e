import { SERVICE_NAMES, UnexpectedResponseError, type Service, type TranscriptionErrorDetails } from '../errors';

/**
 * Checks a 200 answer against the documented shape, naming the service and the first field that is
 * missing or wrong. Each client builds its own checks of its own answers from these.
 */
export class ShapeChecker {
  private readonly serviceName: string;

  constructor(
    private readonly what: string,
    private readonly details: TranscriptionErrorDetails & { service: Service },
  ) {
    this.serviceName = SERVICE_NAMES[details.service];
  }

  fail(field: string, expected: string, found: unknown): never {
    const shown = found === undefined ? 'missing' : `${JSON.stringify(found)?.slice(0, 80)}`;
    throw new UnexpectedResponseError(
      `${this.serviceName}'s answer to ${this.what} is not the documented shape: ${field} should be ${expected}, found ${shown}`,
      { ...this.details, field },
    );
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (!value || typeof value !== 'object' || Array.isArray(value)) this.fail(field, 'an object', value);
    return value as Record<string, unknown>;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string') this.fail(field, 'a string', value);
    return value as string;
  }

  /** A number from `min` to `max`: the service's own range for it (a count, a time, a confidence). */
  within(value: unknown, field: string, min: number, max: number, expected: string): number {
    const number = this.number(value, field);
    if (number < min || number > max) this.fail(field, expected, value);
    return number;
  }

  /** An end that does not come before its start: the service sent them in the wrong order otherwise. */
  ordered(start: number, end: number, field: string, shownEnd: unknown, shownStart: unknown): void {
    if (end < start) this.fail(field, `a time not before its start (${JSON.stringify(shownStart)})`, shownEnd);
  }

  number(value: unknown, field: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(field, 'a number', value);
    return value as number;
  }

  array(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value)) this.fail(field, 'an array', value);
    return value as unknown[];
  }
}
