import { describe, expect, test } from 'vitest';
import { formatGeneral, formatHumanSize } from './human-size.js';

describe('formatHumanSize', () => {
  test.each([
    [0, '0B'],
    [512, '512B'],
    [999, '999B'],
    [1000, '1kB'],
    [1200, '1.2kB'],
    [2048, '2.048kB'],
    [3072, '3.072kB'],
    [4_690_000, '4.69MB'],
    [4_694_999, '4.695MB'],
    [1_234_567, '1.235MB'],
    [999_999, '1000kB'],
    [12_125, '12.12kB'],
    [12_375, '12.38kB'],
    [1e15, '1PB'],
    [Number.MAX_SAFE_INTEGER, '9.007PB'],
  ])('%d bytes is %s', (bytes, expected) => {
    expect(formatHumanSize(bytes)).toBe(expected);
  });
});

describe('formatGeneral', () => {
  test.each([
    [999.9, 3, '1e+03'],
    [0.00001234, 3, '1.23e-05'],
    [0.0001234, 3, '0.000123'],
    [-2.5, 4, '-2.5'],
    [0.5, 1, '0.5'],
    [2.5, 1, '2'],
    [3.5, 1, '4'],
  ])('%d with %d digits is %s', (value, precision, expected) => {
    expect(formatGeneral(value, precision)).toBe(expected);
  });
});
