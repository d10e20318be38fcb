import { describe, expect, it } from 'vitest';
import { findGlobSyntaxError } from './glob-syntax.js';

describe('findGlobSyntaxError', () => {
  it.each(['*.go', 'a?c', '[abc]', '[^a-z]x', '[a\\]]', '\\*', 'a]b', '[!a]'])(
    'accepts %j',
    (pattern) => {
      expect(findGlobSyntaxError(pattern)).toBeUndefined();
    },
  );

  it.each(['a\\', '[', '[]', '[]a]', '[a', '[a-', '[a-]', '[-a]', '[^]', 'x[a-b'])(
    'rejects %j',
    (pattern) => {
      expect(findGlobSyntaxError(pattern)).toBeTypeOf('string');
    },
  );
});
