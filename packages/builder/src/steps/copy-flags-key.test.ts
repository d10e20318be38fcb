import { type CopyInstruction, parse } from '@gantry/dockerfile';
import { describe, expect, it } from 'vitest';
import type { StageState } from '../stage-state.js';
import { copyFlags, flagInputs } from './copy-flags.js';

/** A stage with three ENV variables and no build args, enough to expand flags. */
const STATE = {
  config: { Env: ['SKIP=tmp', 'OWNER=7:8', 'MODE=640'] },
  args: { allowed: () => [] },
  escape: '\\',
} as unknown as StageState;

function inputsOf(line: string): Record<string, string | readonly string[]> {
  const [stage] = parse(`FROM busybox\n${line}\n`).stages;
  const instruction = stage?.instructions.find((item) => item.kind === 'copy') as CopyInstruction;
  return flagInputs(instruction, copyFlags(instruction, STATE), STATE);
}

describe('flagInputs', () => {
  it.each([
    ['COPY a /b', {}],
    ['COPY --chmod=u+x a /b', { chmod: 'u+x' }],
    ['COPY --chown=1:2 --chmod=755 a /b', { chown: '1:2', chmod: '755' }],
    ['COPY --chown=$OWNER --chmod=${MODE} a /b', { chown: '7:8', chmod: '640' }],
    ['COPY --parents a /b/', { parents: 'true' }],
    ['COPY --exclude=*.md --exclude=$SKIP a /b/', { exclude: ['*.md', 'tmp'] }],
    [
      `ADD --checksum=sha256:${'a'.repeat(64)} http://x/y /b`,
      { checksum: `sha256:${'a'.repeat(64)}` },
    ],
  ])('%s', (line, expected) => {
    expect(inputsOf(line)).toEqual(expected);
  });
});
