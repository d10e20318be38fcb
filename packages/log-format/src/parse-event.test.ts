import { describe, expect, test } from 'vitest';
import { LogFormatError } from './errors.js';
import { parseBuildEvent, validateBuildEvent } from './parse-event.js';
import { SEQUENCES } from './test-sequences.js';

function rejection(value: unknown): LogFormatError {
  try {
    validateBuildEvent(value);
  } catch (error) {
    if (error instanceof LogFormatError) {
      return error;
    }
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
}

const output = {
  version: 1,
  type: 'output',
  time: 10,
  step: 2,
  stream: 'stdout',
  data: 'hello\n',
  encoding: 'utf-8',
};

describe('parseBuildEvent', () => {
  test('reads back every event of the fixture sequences', () => {
    for (const events of Object.values(SEQUENCES)) {
      for (const event of events) {
        expect(parseBuildEvent(JSON.stringify(event))).toEqual(event);
      }
    }
  });

  test('keeps the code of a build error', () => {
    const failed = {
      version: 1,
      type: 'build-error',
      time: 1,
      message: 'm',
      code: 'ERR_CANCELLED',
    };
    expect(parseBuildEvent(JSON.stringify(failed))).toEqual(failed);
  });

  test('drops fields the schema does not have', () => {
    const event = parseBuildEvent(JSON.stringify({ ...output, extra: true }));

    expect(event).toEqual(output);
  });

  test('rejects text that is not JSON', () => {
    expect(() => parseBuildEvent('{"version":1,')).toThrow(/is not JSON/);
  });

  test('rejection carries the code INVALID_BUILD_EVENT', () => {
    expect(rejection([]).code).toBe('INVALID_BUILD_EVENT');
  });
});

describe('validateBuildEvent names the invalid field', () => {
  test.each([
    ['a non-object', 'step', /must be a JSON object, received "step"/],
    ['a missing version', { ...output, version: undefined }, /field "version" must be 1/],
    ['another version', { ...output, version: 2 }, /field "version" must be 1, received 2/],
    ['an unknown type', { ...output, type: 'log' }, /field "type" must be one of .*received "log"/],
    ['a negative time', { ...output, time: -1 }, /"output" event: field "time"/],
    ['a zero step', { ...output, step: 0 }, /field "step" must be an integer of 1 or more/],
    ['a missing step', { ...output, step: undefined }, /field "step" .*the field is missing/],
    ['an unknown stream', { ...output, stream: 'stdin' }, /field "stream" must be one of/],
    ['an unknown encoding', { ...output, encoding: 'latin1' }, /field "encoding"/],
    [
      'invalid base64',
      { ...output, encoding: 'base64', data: 'not base64!' },
      /field "data" must be base64/,
    ],
    [
      'tags that are not strings',
      { version: 1, type: 'build-done', time: 1, imageId: 'sha256:x', tags: [1], durationMs: 1 },
      /"build-done" event: field "tags" must be an array of strings/,
    ],
    [
      'a malformed range',
      { version: 1, type: 'warning', time: 1, message: 'm', range: { start: { line: -1 } } },
      /"warning" event: field "range" must be a range/,
    ],
    [
      'a fractional exit code',
      { version: 1, type: 'build-error', time: 1, message: 'm', exitCode: 1.5 },
      /field "exitCode" must be an integer/,
    ],
    [
      'an empty error code',
      { version: 1, type: 'build-error', time: 1, message: 'm', code: '' },
      /"build-error" event: field "code"/,
    ],
  ])('rejects %s', (_case, value, message) => {
    expect(rejection(value).message).toMatch(message);
  });
});
