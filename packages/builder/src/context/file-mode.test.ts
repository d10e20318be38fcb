import { type FileMode, parseFlagValue } from '@gantry/dockerfile';
import { describe, expect, it } from 'vitest';
import { modeAfterChown, modeChangeOf } from './file-mode.js';

function modeOf(text: string): FileMode {
  const result = parseFlagValue('chmod', text);
  if (result.status !== 'parsed' || result.value === undefined) throw new Error(text);
  return result.value;
}

describe('modeChangeOf', () => {
  it.each([
    // value, mode before, folder, mode after
    ['755', 0o644, false, 0o755],
    ['u+x', 0o644, false, 0o744],
    ['+x', 0o644, false, 0o755],
    ['go=r', 0o755, false, 0o744],
    ['go-w', 0o666, false, 0o644],
    ['a+rwX', 0o600, false, 0o666],
    ['a+rwX', 0o700, false, 0o777],
    ['a+rwX', 0o700, true, 0o777],
    ['u=rwX,go=rX', 0o600, false, 0o644],
    ['u=rwX,go=rX', 0o700, false, 0o755],
    ['u=rwX,go=rX', 0o700, true, 0o755],
    ['g=u', 0o640, false, 0o660],
    ['o=g', 0o750, false, 0o755],
    ['u+s', 0o755, false, 0o4755],
    ['g+s', 0o755, true, 0o2755],
    ['+t', 0o777, true, 0o1777],
    ['u=', 0o755, false, 0o055],
    ['u+r-w', 0o644, false, 0o444],
  ])('%s on %o (folder %s)', (text, before, folder, after) => {
    expect(modeChangeOf(modeOf(text))(before, folder).toString(8)).toBe(after.toString(8));
  });
});

describe('modeAfterChown', () => {
  it.each([
    // mode before, folder, mode after
    [0o4755, false, 0o755],
    [0o2755, false, 0o755],
    [0o2644, false, 0o2644],
    [0o6711, false, 0o711],
    [0o1755, false, 0o1755],
    [0o6755, true, 0o6755],
  ])('mode %o (folder %s) becomes %o', (mode, directory, expected) => {
    expect(modeAfterChown(mode, directory)).toBe(expected);
  });
});
