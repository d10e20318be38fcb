import { expect, test } from 'vitest';
import { shouldUseColor } from './color.js';

test.each([
  [{}, true, true],
  [{}, false, false],
  [{ NO_COLOR: '1' }, true, false],
  [{ NO_COLOR: '' }, true, true],
  [{ FORCE_COLOR: '1' }, false, true],
  [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
  [{ FORCE_COLOR: '0' }, true, true],
  [{ FORCE_COLOR: '0', NO_COLOR: '1' }, true, false],
  [{ FORCE_COLOR: 'false' }, false, false],
])('env %j on a terminal %s gives colour %s', (env, isTerminal, expected) => {
  expect(shouldUseColor(env, isTerminal)).toBe(expected);
});
