import { describe, expect, test } from 'vitest';
import { compareApiVersions, negotiateApiVersion } from './api-version.js';

describe('negotiateApiVersion', () => {
  test.each([
    ['1.41', '1.41'],
    ['1.45', '1.45'],
    ['1.47', '1.45'],
    ['2.0', '1.45'],
    ['1.40', '1.40'],
  ])('engine %s gives %s', (engine, expected) => {
    expect(negotiateApiVersion(engine)).toBe(expected);
  });

  test('engine older than the minimum', () => {
    expect(negotiateApiVersion('1.39')).toBeUndefined();
  });

  test('client maximum below the engine', () => {
    expect(negotiateApiVersion('1.44', '1.43')).toBe('1.43');
  });
});

describe('compareApiVersions', () => {
  test('minor versions compare as numbers', () => {
    expect(compareApiVersions('1.9', '1.10')).toBeLessThan(0);
    expect(compareApiVersions('1.41', '1.41')).toBe(0);
    expect(compareApiVersions('2.1', '1.50')).toBeGreaterThan(0);
  });
});
