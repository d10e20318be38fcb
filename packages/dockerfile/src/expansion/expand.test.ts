// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Dockerfile words, where ${NAME} is literal syntax
import { describe, expect, it } from 'vitest';
import { ExpansionError } from './errors.js';
import { expandWord, expandWords } from './expand.js';

const env = { HOME: '/root', EMPTY: '', IMAGE: 'busybox:1.36', FILE: 'archive.tar.gz' };

function expand(word: string): string {
  return expandWord(word, { env }).value;
}

function expansionError(word: string, environment: Record<string, string> = env): ExpansionError {
  try {
    expandWord(word, { env: environment });
  } catch (error) {
    if (error instanceof ExpansionError) {
      return error;
    }
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(word)} to fail`);
}

describe('expandWord', () => {
  it.each([
    ['$HOME', '/root'],
    ['${HOME}', '/root'],
    ['${HOME}x', '/rootx'],
    ['$HOMEx', ''],
    ['$UNSET', ''],
    ['a$', 'a$'],
    ['$.', '$.'],
    ['$/x', '$/x'],
  ])('plain substitution %s -> %s', (word, expected) => {
    expect(expand(word)).toBe(expected);
  });

  it.each([
    ['${UNSET:-x}', 'x'],
    ['${EMPTY:-x}', 'x'],
    ['${HOME:-x}', '/root'],
    ['${UNSET-x}', 'x'],
    ['${EMPTY-x}', ''],
    ['${HOME-x}', '/root'],
    ['${UNSET:+x}', ''],
    ['${EMPTY:+x}', ''],
    ['${HOME:+x}', 'x'],
    ['${UNSET+x}', ''],
    ['${EMPTY+x}', 'x'],
    ['${HOME+x}', 'x'],
    ['${HOME:?x}', '/root'],
    ['${EMPTY?x}', ''],
    ['${UNSET:-$HOME}', '/root'],
    ['${UNSET:-${EMPTY:-deep}}', 'deep'],
    ['${UNSET:-a b}', 'a b'],
  ])('default and alternative %s -> %s', (word, expected) => {
    expect(expand(word)).toBe(expected);
  });

  it.each([
    ['${FILE#*.}', 'tar.gz'],
    ['${FILE##*.}', 'gz'],
    ['${FILE%.*}', 'archive.tar'],
    ['${FILE%%.*}', 'archive'],
    ['${IMAGE%:*}', 'busybox'],
    ['${IMAGE#*:}', '1.36'],
    ['${FILE#archive}', '.tar.gz'],
    ['${FILE#nomatch}', 'archive.tar.gz'],
    ['${FILE#a?c}', 'hive.tar.gz'],
    ['${FILE%\\?}', 'archive.tar.gz'],
    ['${FILE#}', 'archive.tar.gz'],
    ['${UNSET#*}', ''],
  ])('prefix and suffix removal %s -> %s', (word, expected) => {
    expect(expand(word)).toBe(expected);
  });

  it('prefix removal with a literal star', () => {
    expect(expandWord('${V#\\*}', { env: { V: '**x' } }).value).toBe('*x');
  });

  it('brackets match themselves in patterns', () => {
    expect(expandWord('${V#[ab]}', { env: { V: '[ab]c' } }).value).toBe('c');
    expect(expandWord('${V#[ab]}', { env: { V: 'ac' } }).value).toBe('ac');
  });

  it('suffix removal keeps characters outside the BMP whole', () => {
    expect(expandWord('${V%?}', { env: { V: 'a😀' } }).value).toBe('a');
  });

  it.each([
    ['${FILE/a/A}', 'Archive.tar.gz'],
    ['${FILE//a/A}', 'Archive.tAr.gz'],
    ['${FILE/.*/}', 'archive'],
    ['${FILE//./_}', 'archive_tar_gz'],
    ['${FILE/nomatch/x}', 'archive.tar.gz'],
    ['${FILE//\\//x}', 'archive.tar.gz'],
    ['${UNSET//*/x}', 'x'],
    ['${FILE///}', 'archive.tar.gz'],
  ])('pattern replacement %s -> %s', (word, expected) => {
    expect(expand(word)).toBe(expected);
  });

  it('replace all reads $0 in the replacement as the match, like Go', () => {
    expect(expandWord('${V//b/<$R>}', { env: { V: 'abc', R: '$0' } }).value).toBe('a<b>c');
    expect(expandWord('${V/b/<$R>}', { env: { V: 'abc', R: '$0' } }).value).toBe('a<$0>c');
  });

  it('replace all with an empty match replaces once at the end', () => {
    expect(expandWord('${V//*/x}', { env: { V: 'abc' } }).value).toBe('x');
  });

  it.each([
    ["'$HOME'", '$HOME'],
    ['"$HOME"', '/root'],
    ['"a b"', 'a b'],
    ['"it\'s"', "it's"],
    ['\'say "hi"\'', 'say "hi"'],
    ['"\\$HOME"', '$HOME'],
    ['"\\a"', '\\a'],
    ['"\\\\"', '\\'],
    ['"\\""', '"'],
    ['\\$HOME', '$HOME'],
    ['\\a', 'a'],
    ['a\\', 'a'],
    ['a\\ b', 'a b'],
    ["\\'", "'"],
  ])('quotes and escapes %s -> %s', (word, expected) => {
    expect(expand(word)).toBe(expected);
  });

  it('backtick escape character from the escape directive', () => {
    const options = { env, escape: '`' as const };
    expect(expandWord('`$HOME', options).value).toBe('$HOME');
    expect(expandWord('C:\\dir', options).value).toBe('C:\\dir');
    expect(expandWord('"`""', options).value).toBe('"');
  });

  it('patterns escape with a backslash under the backtick directive', () => {
    const options = { env: { V: '*x' }, escape: '`' as const };
    expect(expandWord('${V#\\*}', options).value).toBe('x');
    expect(expandWord('${V#`*}', options).value).toBe('*x');
  });

  it('keeps white space in a single word', () => {
    expect(expand('  a  $HOME  ')).toBe('  a  /root  ');
  });
});

describe('expandWord errors', () => {
  it.each([
    ["it's", 'unterminated-quote', 2],
    ['"open', 'unterminated-quote', 0],
    ['x"a\\"', 'unterminated-quote', 1],
    ['${HOME', 'unterminated-substitution', 0],
    ['a${', 'unterminated-substitution', 1],
    ['${A:-x', 'unterminated-substitution', 0],
    ['${A/x', 'unterminated-substitution', 0],
    ['${A:-"x}', 'unterminated-substitution', 0],
    ['${}', 'bad-substitution', 0],
    ['x${:-a}', 'bad-substitution', 1],
    ['${{A}', 'bad-substitution', 0],
    ['${.}', 'bad-substitution', 0],
    ['${A:=x}', 'unsupported-modifier', 0],
    ['${A=x}', 'unsupported-modifier', 0],
    ['${A:#x}', 'unsupported-modifier', 0],
    ['${A:%x}', 'unsupported-modifier', 0],
    ['${HOME#\\x}', 'invalid-pattern', 0],
    ['${UNSET?}', 'required-variable', 0],
    ['${UNSET:?}', 'required-variable', 0],
    ['${EMPTY:?}', 'required-variable', 0],
  ])('%s fails with %s at offset %d', (word, code, offset) => {
    const error = expansionError(word);
    expect(error.code).toBe(code);
    expect(error.offset).toBe(offset);
    expect(error.word).toBe(word);
  });

  it('required variable message uses the given text', () => {
    const error = expansionError('ab${TAG:?set TAG to a version}');
    expect(error.variable).toBe('TAG');
    expect(error.message).toContain('TAG: set TAG to a version');
    expect(error.message).toContain('--build-arg TAG=value');
  });

  it('required variable message without text says unset or empty', () => {
    expect(expansionError('${UNSET?}').message).toContain('is not allowed to be unset');
    expect(expansionError('${EMPTY:?}').message).toContain('is not allowed to be empty');
  });

  it('missing brace keeps the inner error as cause', () => {
    const error = expansionError('${A:-"x}');
    expect(error.cause).toBeInstanceOf(ExpansionError);
    expect((error.cause as ExpansionError).code).toBe('unterminated-quote');
  });

  it('messages quote the word and say how to fix it', () => {
    const error = expansionError('he${PWD');
    expect(error.message).toBe(
      'Cannot expand "he${PWD": the substitution at offset 2 is missing its closing "}". ' +
        'Close it, as in ${NAME}, or escape the "$" to keep it literal.',
    );
  });
});

describe('expandWord nesting', () => {
  function nested(depth: number): string {
    return `${'${A:-'.repeat(depth)}x${'}'.repeat(depth)}`;
  }

  it('expands 500 nested defaults', () => {
    expect(expandWord(nested(500), { env: {} }).value).toBe('x');
  });

  it('rejects 501 nested defaults', () => {
    expect(expansionError(nested(501), {}).code).toBe('nesting-too-deep');
  });

  it('rejects deep nesting inside double quotes', () => {
    const word = `${'${A:-"'.repeat(600)}x${'"}'.repeat(600)}`;
    expect(expansionError(word, {}).code).toBe('nesting-too-deep');
  });

  it('rejects 100000 levels without overflowing the stack', () => {
    expect(expansionError(nested(100_000), {}).code).toBe('nesting-too-deep');
  });
});

describe('expandWord references', () => {
  it('lists each variable once with whether it was set', () => {
    const { references } = expandWord('$HOME ${UNSET:-$EMPTY} $HOME', { env });
    expect(references).toEqual([
      { name: 'HOME', set: true },
      { name: 'EMPTY', set: true },
      { name: 'UNSET', set: false },
    ]);
  });

  it('lists nothing for quoted or escaped dollars', () => {
    expect(expandWord("'$HOME' \\$HOME", { env }).references).toEqual([]);
  });

  it('counts special parameters but not a bare dollar', () => {
    expect(expandWord('$ $1 $@', { env }).references.map((reference) => reference.name)).toEqual([
      '1',
      '@',
    ]);
  });

  it('accepts a Map as the environment', () => {
    const result = expandWord('${A}-${B-b}', { env: new Map([['A', 'a']]) });
    expect(result.value).toBe('a-b');
    expect(result.references).toEqual([
      { name: 'A', set: true },
      { name: 'B', set: false },
    ]);
  });

  it('ignores properties inherited by a plain object', () => {
    expect(expandWord('${toString-unset}', { env: {} }).value).toBe('unset');
  });
});

describe('expandWords', () => {
  function words(word: string, environment: Record<string, string> = env): readonly string[] {
    return expandWords(word, { env: environment }).words;
  }

  it.each([
    ['a b  c', ['a', 'b', 'c']],
    ['  a  ', ['a']],
    ['"a b" c', ['a b', 'c']],
    ["'a b'c", ['a bc']],
    ['a\\ b', ['a b']],
    ['$LIST', ['x', 'y']],
    ['"$LIST"', ['x y']],
    ['${UNSET:-"p q"}', ['p', 'q']],
    ['a$LIST', ['ax', 'y']],
    ['""', []],
    ['a "" b', ['a', 'b']],
    ["''x", ['x']],
    ['', []],
    ['\t\n', []],
  ])('splits %s into %j', (word, expected) => {
    expect(words(word, { ...env, LIST: 'x y' })).toEqual(expected);
  });

  it('splits on Unicode white space in values', () => {
    expect(words('$V', { V: 'a\u00a0b\u3000c' })).toEqual(['a', 'b', 'c']);
  });

  it('reports references', () => {
    expect(expandWords('$HOME $X', { env }).references).toEqual([
      { name: 'HOME', set: true },
      { name: 'X', set: false },
    ]);
  });

  it('throws the same errors as expandWord', () => {
    expect(() => expandWords('"a', { env })).toThrow(ExpansionError);
  });
});

describe('pattern matching cost', () => {
  // A backtracking matcher needs about 2^40 steps for this pattern; the pattern
  // machine visits each character of the value a bounded number of times.
  it('handles forty stars against a long value', () => {
    const pattern = `${'*a'.repeat(40)}*c`;
    const env = { V: 'a'.repeat(200) };
    expect(expandWord(`\${V#${pattern}}`, { env }).value).toBe(env.V);
    expect(expandWord(`\${V//${pattern}/x}`, { env }).value).toBe(env.V);
  });
});
