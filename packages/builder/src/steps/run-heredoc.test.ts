import { describe, expect, it } from 'vitest';
import { shebang } from './run-heredoc.js';

describe('shebang', () => {
  it.each([
    ['#!/bin/sh\necho', ['/bin/sh', undefined]],
    ['#!/bin/sh -e\n', ['/bin/sh', '-e']],
    ['#! /usr/bin/env python3\n', ['/usr/bin/env', 'python3']],
    ['#!/usr/bin/env -S a b\n', ['/usr/bin/env', '-S a b']],
  ])('%j', (content, expected) => {
    expect(shebang(content)).toEqual(expected);
  });
});
