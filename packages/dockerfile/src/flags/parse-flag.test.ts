// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Dockerfile flag values, where ${NAME} is literal syntax
import { describe, expect, it } from 'vitest';
import { checkInstructionFlags } from './check-flags.js';
import { parseFlag, parseFlagValue } from './parse-flag.js';
import { flagsOf, INSTRUCTION_FLAGS } from './table.js';
import { flagError, parsedValue } from './test-results.js';

describe('parseFlag', () => {
  it('COPY --chown=1000:app', () => {
    expect(parseFlag('COPY', 'chown', '1000:app')).toEqual({
      status: 'parsed',
      value: {
        name: 'chown',
        value: {
          user: { kind: 'id', id: 1000 },
          group: { kind: 'name', name: 'app' },
          text: '1000:app',
        },
      },
    });
  });

  it('FROM --platform=linux/arm64', () => {
    const result = parseFlag('from', 'platform', 'linux/arm64');
    expect(parsedValue(result)).toEqual({
      name: 'platform',
      value: { os: 'linux', architecture: 'arm64', variant: undefined, text: 'linux/arm64' },
    });
  });

  it('HEALTHCHECK --retries=3', () => {
    expect(parseFlag('HEALTHCHECK', 'retries', '3')).toEqual({
      status: 'parsed',
      value: { name: 'retries', value: 3 },
    });
  });

  it('RUN --mount=type=cache,target=/c', () => {
    const result = parseFlag('RUN', 'mount', 'type=cache,target=/c');
    expect(parsedValue(result).name).toBe('mount');
  });

  it('COPY --exclude=*.md keeps the pattern', () => {
    expect(parseFlag('COPY', 'exclude', '*.md')).toEqual({
      status: 'parsed',
      value: { name: 'exclude', value: '*.md' },
    });
  });

  it.each([
    ['link', undefined, true],
    ['link', 'true', true],
    ['link', 'FALSE', false],
    ['parents', 'True', true],
  ])('COPY --%s=%s is %s', (name, value, expected) => {
    expect(parseFlag('COPY', name, value)).toEqual({
      status: 'parsed',
      value: { name, value: expected },
    });
  });

  it('ADD --keep-git-dir alone is true', () => {
    expect(parseFlag('ADD', 'keep-git-dir', undefined)).toEqual({
      status: 'parsed',
      value: { name: 'keep-git-dir', value: true },
    });
  });

  it('rejects COPY --link= without a value', () => {
    const result = parseFlag('COPY', 'link', '');
    expect(flagError(result).code).toBe('missing-value');
  });

  it('rejects COPY --link=yes', () => {
    const result = parseFlag('COPY', 'link', 'yes');
    expect(flagError(result).message).toBe(
      'Invalid value "yes" for --link: expected true or false, as in --link or --link=false.',
    );
  });

  it('rejects COPY --from without =', () => {
    const result = parseFlag('COPY', 'from', undefined);
    expect(flagError(result).message).toBe('Missing a value for --from: write it as --from=build.');
  });

  it('suggests --from for COPY --form', () => {
    const result = parseFlag('COPY', 'form', 'build');
    expect(result.status).toBe('invalid');
    if (result.status === 'invalid') {
      expect(result.error.code).toBe('unknown-flag');
      expect(result.error.suggestion).toBe('from');
      expect(result.error.message).toBe(
        'Unknown flag --form for COPY: COPY takes --from, --chown, --chmod, --link, --parents, ' +
          '--exclude. Did you mean --from?',
      );
    }
  });

  it('rejects a flag on an instruction that takes none', () => {
    const result = parseFlag('WORKDIR', 'chown', '1');
    expect(flagError(result).message).toBe(
      'Unknown flag --chown for WORKDIR: WORKDIR takes no flags.',
    );
  });

  it('rejects RUN --from, a COPY flag', () => {
    expect(parseFlag('RUN', 'from', 'x').status).toBe('invalid');
  });

  it.each([
    ['FROM', 'platform', '$BUILDPLATFORM'],
    ['COPY', 'from', '${STAGE}'],
    ['COPY', 'chown', '$UID:$GID'],
    ['ADD', 'checksum', '${SUM}'],
  ])('defers %s --%s=%s until expansion', (instruction, name, value) => {
    expect(parseFlag(instruction, name, value)).toEqual({ status: 'deferred', text: value });
  });

  it('rejects RUN --mount with from=$STAGE', () => {
    const error = flagError(parseFlag('RUN', 'mount', 'type=bind,from=$STAGE,target=/x'));
    expect(error.message).toContain('"from" does not expand variables');
  });

  it('defers RUN --mount with target=$HOME', () => {
    expect(parseFlag('RUN', 'mount', 'type=cache,target=$HOME').status).toBe('deferred');
  });

  it('does not defer flags Docker never expands', () => {
    expect(parseFlag('RUN', 'network', '$NET').status).toBe('invalid');
    expect(parseFlag('HEALTHCHECK', 'interval', '$I').status).toBe('invalid');
  });
});

describe('parseFlagValue', () => {
  it('parses a known flag whatever the instruction', () => {
    expect(parseFlagValue('network', 'none')).toEqual({ status: 'parsed', value: 'none' });
  });
});

describe('checkInstructionFlags', () => {
  it('accepts repeated --mount and --exclude', () => {
    const mounts = [
      { name: 'mount', value: 'type=cache,target=/a' },
      { name: 'mount', value: 'type=cache,target=/b' },
    ];
    expect(checkInstructionFlags('RUN', mounts)).toEqual([]);
    const excludes = [
      { name: 'exclude', value: '*.md' },
      { name: 'exclude', value: '*.txt' },
    ];
    expect(checkInstructionFlags('COPY', excludes)).toEqual([]);
  });

  it('reports a repeated --from', () => {
    const errors = checkInstructionFlags('COPY', [
      { name: 'from', value: 'a' },
      { name: 'from', value: 'b' },
    ]);
    expect(errors.map((error) => error.code)).toEqual(['duplicate-flag']);
    expect(errors[0]?.message).toBe('Duplicate flag --from on COPY: give it once.');
  });

  it('reports each unknown flag in order', () => {
    const errors = checkInstructionFlags('ADD', [
      { name: 'chmown', value: '1' },
      { name: 'link', value: undefined },
      { name: 'zzz', value: undefined },
    ]);
    expect(errors.map((error) => [error.code, error.flag, error.suggestion])).toEqual([
      ['unknown-flag', 'chmown', 'chown'],
      ['unknown-flag', 'zzz', undefined],
    ]);
  });
});

describe('INSTRUCTION_FLAGS', () => {
  it('lists the HEALTHCHECK timing flags', () => {
    expect(INSTRUCTION_FLAGS.HEALTHCHECK).toEqual([
      'interval',
      'timeout',
      'start-period',
      'start-interval',
      'retries',
    ]);
  });

  it('gives no flags for instructions without any, in any case', () => {
    expect(flagsOf('env')).toEqual([]);
    expect(flagsOf('copy')).toContain('from');
    expect(flagsOf('constructor')).toEqual([]);
  });
});
