import fc from 'fast-check';
import { describe, it } from 'vitest';
import { FlagError } from './errors.js';
import { parseMount } from './mount/parse-mount.js';
import { parseFlag } from './parse-flag.js';
import { FLAG_SPECS, INSTRUCTION_FLAGS } from './table.js';

const instruction = fc.constantFrom(...Object.keys(INSTRUCTION_FLAGS), 'ENV', 'onbuild');
const flagName = fc.oneof(
  fc.constantFrom(...Object.keys(FLAG_SPECS)),
  fc.string({ maxLength: 12 }),
);
const flagValue = fc.option(
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc
      .array(
        fc.constantFrom('type=', 'cache', 'secret', ',', '"', '=', 'target', '/x', '$', 'ro', '1'),
      )
      .map((parts) => parts.join('')),
  ),
  { nil: undefined },
);

describe('flag parsing properties', () => {
  it('parseFlag returns a result and never throws', () => {
    fc.assert(
      fc.property(instruction, flagName, flagValue, (keyword, name, value) => {
        const result = parseFlag(keyword, name, value);
        return result.status !== 'invalid' || result.error instanceof FlagError;
      }),
      { numRuns: 3000 },
    );
  });

  it('parseMount returns a result and never throws', () => {
    fc.assert(
      fc.property(flagValue, (value) => {
        const result = parseMount(value ?? '');
        return ['parsed', 'deferred', 'invalid'].includes(result.status);
      }),
      { numRuns: 3000 },
    );
  });
});
