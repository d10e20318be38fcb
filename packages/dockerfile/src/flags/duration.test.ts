import { describe, expect, it } from 'vitest';
import { parseGoDuration } from './duration.js';
import { parseHealthcheckDuration, parseRetries } from './healthcheck.js';
import { flagError, parsedValue } from './test-results.js';

describe('parseGoDuration', () => {
  it.each([
    ['0', 0n],
    ['30s', 30_000_000_000n],
    ['1m30s', 90_000_000_000n],
    ['1h', 3_600_000_000_000n],
    ['500ms', 500_000_000n],
    ['1.5s', 1_500_000_000n],
    ['.5s', 500_000_000n],
    ['5.s', 5_000_000_000n],
    ['2us', 2_000n],
    ['2µs', 2_000n],
    ['2μs', 2_000n],
    ['7ns', 7n],
    ['-1s', -1_000_000_000n],
    ['+1s', 1_000_000_000n],
    ['1h2m3s4ms', 3_723_004_000_000n],
  ])('%s is %d ns', (text, expected) => {
    expect(parseGoDuration(text)).toBe(expected);
  });

  it.each(['', '30', 's', '.s', '1x', '1d', '1.2.3s', '-', '2562048h'])('%j is invalid', (text) => {
    expect(typeof parseGoDuration(text)).toBe('string');
  });
});

describe('parseHealthcheckDuration', () => {
  it('reads 1m30s as nanoseconds', () => {
    expect(parseHealthcheckDuration('interval', '1m30s')).toEqual({
      status: 'parsed',
      value: { nanoseconds: 90_000_000_000, text: '1m30s' },
    });
  });

  it.each(['', '0', '0s'])('%j keeps the default', (text) => {
    const result = parseHealthcheckDuration('timeout', text);
    expect(parsedValue(result).nanoseconds).toBe(0);
  });

  it('accepts exactly 1ms', () => {
    expect(parseHealthcheckDuration('timeout', '1ms').status).toBe('parsed');
  });

  it.each(['999us', '-1s'])('rejects %s as shorter than 1ms', (text) => {
    const result = parseHealthcheckDuration('start-period', text);
    expect(result.status).toBe('invalid');
    if (result.status === 'invalid') {
      expect(result.error.message).toContain('shorter than 1ms');
      expect(result.error.flag).toBe('start-period');
    }
  });

  it('explains a missing unit', () => {
    const result = parseHealthcheckDuration('interval', '30');
    expect(flagError(result).message).toBe(
      'Invalid value "30" for --interval ("30" has no unit): ' +
        'expected a duration of at least 1ms, with a unit: ns, us, ms, s, m or h, as in --interval=30s.',
    );
  });
});

describe('parseRetries', () => {
  it.each([
    ['3', 3],
    ['0', 0],
    ['', 0],
    ['+2', 2],
    ['2147483647', 2147483647],
  ])('%j is %d', (text, expected) => {
    expect(parseRetries(text)).toEqual({ status: 'parsed', value: expected });
  });

  it.each(['-1', 'x', '1.5', '2147483648', ' 3'])('%j is invalid', (text) => {
    expect(parseRetries(text).status).toBe('invalid');
  });
});
