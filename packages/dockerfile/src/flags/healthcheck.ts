import { parseGoDuration } from './duration.js';
import { type FlagResult, invalidValue, parsed } from './errors.js';
import { parseGoInt32 } from './go-values.js';

/** A HEALTHCHECK timing: `--interval`, `--timeout`, `--start-period` or `--start-interval`. */
export interface HealthcheckDuration {
  /** The length in nanoseconds, the unit of the Engine API; 0 keeps Docker's default. */
  readonly nanoseconds: number;
  /** The value as written. */
  readonly text: string;
}

/** Docker rejects a non-zero health check timing below one millisecond. */
const MINIMUM_NANOSECONDS = 1_000_000n;

/**
 * Parses a health check timing written as a Go duration (`30s`, `1m30s`, `500ms`).
 * An empty value or `0` keeps Docker's default; any other value must be at least 1ms.
 */
export function parseHealthcheckDuration(
  flag: string,
  text: string,
): FlagResult<HealthcheckDuration> {
  const expected = 'a duration of at least 1ms, with a unit: ns, us, ms, s, m or h';
  const example = `--${flag}=30s`;
  if (text === '') {
    return parsed({ nanoseconds: 0, text });
  }
  const nanoseconds = parseGoDuration(text);
  if (typeof nanoseconds === 'string') {
    return invalidValue({ flag, value: text, reason: nanoseconds, expected, example });
  }
  if (nanoseconds !== 0n && nanoseconds < MINIMUM_NANOSECONDS) {
    return invalidValue({ flag, value: text, reason: 'shorter than 1ms', expected, example });
  }
  return parsed({ nanoseconds: Number(nanoseconds), text });
}

/** Parses HEALTHCHECK's `--retries`: a count from 0, where 0 or empty keeps Docker's default. */
export function parseRetries(text: string): FlagResult<number> {
  if (text === '') {
    return parsed(0);
  }
  const retries = parseGoInt32(text);
  if (retries === undefined || retries < 0) {
    const reason = retries === undefined ? undefined : 'negative';
    return invalidValue({
      flag: 'retries',
      value: text,
      reason,
      expected: 'a whole number from 0 to 2147483647',
      example: '--retries=3',
    });
  }
  return parsed(retries);
}
