import { describe, expect, it } from 'vitest';
import { parseDockerignore } from './read-dockerignore.js';

describe('parseDockerignore', () => {
  it('skips a line starting with #', () => {
    expect(parseDockerignore('# comment\nfoo')).toEqual(['foo']);
  });

  it('keeps # after leading space as a pattern', () => {
    expect(parseDockerignore('  # lead')).toEqual(['# lead']);
  });

  it('trims each line', () => {
    expect(parseDockerignore('  *.tmp   \n\tbuild\t')).toEqual(['*.tmp', 'build']);
  });

  it('skips blank lines', () => {
    expect(parseDockerignore('\n   \nfoo\n\n')).toEqual(['foo']);
  });

  it('drops carriage returns of CRLF lines', () => {
    expect(parseDockerignore('foo\r\nbar\r\n')).toEqual(['foo', 'bar']);
  });

  it('drops a byte order mark on the first line', () => {
    expect(parseDockerignore('\uFEFFfoo')).toEqual(['foo']);
  });

  it('drops a leading slash', () => {
    expect(parseDockerignore('/abs.txt\n/dir/sub')).toEqual(['abs.txt', 'dir/sub']);
  });

  it('keeps a lone slash', () => {
    expect(parseDockerignore('/')).toEqual(['/']);
  });

  it('cleans patterns like filepath.Clean', () => {
    expect(parseDockerignore('sub/../clean.txt\n./a//b/\nx/./y')).toEqual([
      'clean.txt',
      'a/b',
      'x/y',
    ]);
  });

  it('trims and cleans after !', () => {
    expect(parseDockerignore('!  /docs/./README.md')).toEqual(['!docs/README.md']);
  });

  it('keeps ! alone for the matcher to reject', () => {
    expect(parseDockerignore('!')).toEqual(['!']);
  });
});
