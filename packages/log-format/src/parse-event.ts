import { LogFormatError } from './errors.js';
import { BUILD_EVENT_SCHEMA_VERSION, type BuildEvent, type BuildEventType } from './events.js';

/** Checks one field's value; returns what was expected when the value is invalid. */
type FieldCheck = (value: unknown) => string | undefined;

interface FieldRule {
  check: FieldCheck;
  optional?: boolean;
}

/**
 * Parses one line of NDJSON into a build event, checking every field.
 *
 * @throws {LogFormatError} with code `INVALID_BUILD_EVENT` when the text is not
 * JSON or the event is malformed; the message names the field.
 * @example
 * parseBuildEvent('{"version":1,"type":"step-cache-hit","time":0,"step":2}');
 */
export function parseBuildEvent(json: string): BuildEvent {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    const received = json.length > 60 ? `${json.slice(0, 60)}...` : json;
    throw new LogFormatError(
      'INVALID_BUILD_EVENT',
      `Invalid build event: ${JSON.stringify(received)} is not JSON; send one JSON object per line.`,
      { cause: error },
    );
  }
  return validateBuildEvent(value);
}

/**
 * Checks that a value parsed from JSON is a build event of this schema
 * version, and returns a copy that holds only the schema's fields.
 *
 * @throws {LogFormatError} with code `INVALID_BUILD_EVENT`, naming the field.
 */
export function validateBuildEvent(value: unknown): BuildEvent {
  if (!isRecord(value)) {
    throw invalid('Invalid build event', `must be a JSON object, received ${describe(value)}`);
  }
  if (value.version !== BUILD_EVENT_SCHEMA_VERSION) {
    const expected = `must be ${BUILD_EVENT_SCHEMA_VERSION}, received ${describe(value.version)}`;
    throw invalid('Invalid build event', `field "version" ${expected}`);
  }
  const type = value.type;
  if (typeof type !== 'string' || !Object.hasOwn(EVENT_FIELDS, type)) {
    const expected = `must be one of ${Object.keys(EVENT_FIELDS).join(', ')}`;
    throw invalid('Invalid build event', `field "type" ${expected}, received ${describe(type)}`);
  }
  return copyFields(value, type as BuildEventType);
}

function copyFields(value: Record<string, unknown>, type: BuildEventType): BuildEvent {
  const copy: Record<string, unknown> = { version: value.version, type };
  const rules: Record<string, FieldRule> = { time: { check: nonNegativeNumber } };
  Object.assign(rules, EVENT_FIELDS[type]);
  for (const [field, rule] of Object.entries(rules)) {
    const fieldValue = value[field];
    if (fieldValue === undefined && rule.optional) {
      continue;
    }
    const expected = rule.check(fieldValue);
    if (expected !== undefined) {
      const problem = `field "${field}" must be ${expected}, received ${describe(fieldValue)}`;
      throw invalid(`Invalid "${type}" event`, problem);
    }
    copy[field] = fieldValue;
  }
  if (type === 'output' && copy.encoding === 'base64' && !BASE64.test(copy.data as string)) {
    const problem = `field "data" must be base64 when "encoding" is "base64", received ${describe(copy.data)}`;
    throw invalid('Invalid "output" event', problem);
  }
  return copy as unknown as BuildEvent;
}

function invalid(subject: string, problem: string): LogFormatError {
  return new LogFormatError('INVALID_BUILD_EVENT', `${subject}: ${problem}.`);
}

function describe(value: unknown): string {
  if (value === undefined) {
    return 'nothing (the field is missing)';
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const nonNegativeNumber: FieldCheck = (value) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? undefined
    : 'a finite number of 0 or more';

const nonNegativeInteger: FieldCheck = (value) =>
  Number.isSafeInteger(value) && (value as number) >= 0 ? undefined : 'an integer of 0 or more';

const positiveInteger: FieldCheck = (value) =>
  Number.isSafeInteger(value) && (value as number) >= 1 ? undefined : 'an integer of 1 or more';

const integer: FieldCheck = (value) => (Number.isSafeInteger(value) ? undefined : 'an integer');

const text: FieldCheck = (value) => (typeof value === 'string' ? undefined : 'a string');

const nonEmptyText: FieldCheck = (value) =>
  typeof value === 'string' && value !== '' ? undefined : 'a non-empty string';

const textList: FieldCheck = (value) =>
  Array.isArray(value) && value.every((item) => typeof item === 'string')
    ? undefined
    : 'an array of strings';

function oneOf(...allowed: string[]): FieldCheck {
  const expected = `one of ${allowed.map((item) => JSON.stringify(item)).join(', ')}`;
  return (value) => (allowed.includes(value as string) ? undefined : expected);
}

const position: FieldCheck = (value) =>
  isRecord(value) &&
  nonNegativeInteger(value.line) === undefined &&
  nonNegativeInteger(value.character) === undefined
    ? undefined
    : 'a position {"line", "character"} of zero-based integers';

const range: FieldCheck = (value) =>
  isRecord(value) && position(value.start) === undefined && position(value.end) === undefined
    ? undefined
    : 'a range {"start", "end"} of zero-based positions {"line", "character"}';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const step = { check: positiveInteger };
const optionalStep = { check: positiveInteger, optional: true };
const optionalRange = { check: range, optional: true };
const purpose = { check: oneOf('run', 'commit', 'copy') };

const EVENT_FIELDS: Record<BuildEventType, Record<string, FieldRule>> = {
  'build-start': {
    contextSize: { check: nonNegativeInteger, optional: true },
    steps: { check: nonNegativeInteger },
    stages: { check: nonNegativeInteger },
  },
  'step-start': {
    step,
    steps: { check: positiveInteger },
    stage: { check: nonNegativeInteger },
    stageName: { check: nonEmptyText, optional: true },
    stageStep: { check: positiveInteger },
    stageSteps: { check: positiveInteger },
    instruction: { check: text },
    range: optionalRange,
  },
  'step-triggers': { step, count: { check: positiveInteger } },
  'step-cache-hit': { step },
  'step-cache-miss': {
    step,
    code: {
      check: oneOf(
        'cache-disabled',
        'no-entry',
        'image-removed',
        'parent-changed',
        'source-changed',
        'builder-changed',
        'not-cacheable',
      ),
    },
    reason: { check: text },
  },
  'container-created': { step, containerId: { check: nonEmptyText }, purpose },
  output: {
    step,
    stream: { check: oneOf('stdout', 'stderr') },
    data: { check: text },
    encoding: { check: oneOf('utf-8', 'base64') },
  },
  'container-removed': { step, containerId: { check: nonEmptyText }, purpose },
  'step-done': { step, imageId: { check: nonEmptyText }, durationMs: { check: nonNegativeNumber } },
  warning: {
    message: { check: text },
    step: optionalStep,
    rule: { check: nonEmptyText, optional: true },
    range: optionalRange,
    instruction: { check: text, optional: true },
  },
  'pull-progress': {
    step: optionalStep,
    image: { check: nonEmptyText },
    status: { check: text },
    id: { check: text, optional: true },
    current: { check: nonNegativeInteger, optional: true },
    total: { check: nonNegativeInteger, optional: true },
    progress: { check: text, optional: true },
  },
  'build-done': {
    imageId: { check: nonEmptyText },
    tags: { check: textList },
    durationMs: { check: nonNegativeNumber },
  },
  'build-error': {
    message: { check: text },
    code: { check: nonEmptyText, optional: true },
    step: optionalStep,
    exitCode: { check: integer, optional: true },
    command: { check: textList, optional: true },
    range: optionalRange,
  },
};
