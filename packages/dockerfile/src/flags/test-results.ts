import { expect } from 'vitest';
import type { FlagError, FlagResult } from './errors.js';

/** Asserts that a flag parsed and returns its value. */
export function parsedValue<T>(result: FlagResult<T>): T {
  expect(result.status).toBe('parsed');
  if (result.status !== 'parsed') {
    throw new Error('unreachable');
  }
  return result.value;
}

/** Asserts that a flag was rejected and returns the error. */
export function flagError<T>(result: FlagResult<T>): FlagError {
  expect(result.status).toBe('invalid');
  if (result.status !== 'invalid') {
    throw new Error('unreachable');
  }
  return result.error;
}
