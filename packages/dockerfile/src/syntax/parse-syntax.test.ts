import { describe, expect, it } from 'vitest';
import { dumpSyntax } from './dump.js';
import type { SyntaxTree } from './nodes.js';
import { parseSyntax } from './parse-syntax.js';

function dump(source: string): string {
  return dumpSyntax(parseSyntax(source));
}

function errors(tree: SyntaxTree): string[] {
  return tree.diagnostics.filter((item) => item.severity === 'error').map((item) => item.rule);
}

describe('instructions', () => {
  it.each([
    ['FROM alpine:3.20 AS build', '(from "alpine:3.20" "AS" "build")'],
    ['FROM --platform=linux/arm64 alpine', '(from ["--platform=linux/arm64"] "alpine")'],
    ['RUN make  all', '(run "make  all")'],
    ['RUN ["make", "all"]', '(run "make" "all")'],
    ['CMD ["nginx", "-g", "daemon off;"]', '(cmd "nginx" "-g" "daemon off;")'],
    ['LABEL version=1.0 team=build', '(label "version" "1.0" "=" "team" "build" "=")'],
    ['MAINTAINER Jane Roe <jane@example.org>', '(maintainer "Jane Roe <jane@example.org>")'],
    ['EXPOSE 80/tcp 443', '(expose "80/tcp" "443")'],
    ['ENV PATH=/usr/bin:$PATH', '(env "PATH" "/usr/bin:$PATH" "=")'],
    ['ADD https://example.org/a.tgz /tmp/', '(add "https://example.org/a.tgz" "/tmp/")'],
    ['COPY --from=build /out /app', '(copy ["--from=build"] "/out" "/app")'],
    ['ENTRYPOINT ["/bin/app"]', '(entrypoint "/bin/app")'],
    ['VOLUME /data /cache', '(volume "/data" "/cache")'],
    ['USER app:app', '(user "app:app")'],
    ['WORKDIR /src/app', '(workdir "/src/app")'],
    ['ARG VERSION=1.0 "NAME=a b"', '(arg "VERSION=1.0" "\\"NAME=a b\\"")'],
    ['ONBUILD COPY . /src', '(onbuild (copy "." "/src"))'],
    ['STOPSIGNAL SIGTERM', '(stopsignal "SIGTERM")'],
    ['HEALTHCHECK NONE', '(healthcheck "NONE")'],
    [
      'HEALTHCHECK --interval=5s CMD curl -f http://localhost/',
      '(healthcheck ["--interval=5s"] "CMD" "curl -f http://localhost/")',
    ],
    ['HEALTHCHECK CMD ["true"]', '(healthcheck "CMD" "true")'],
    ['SHELL ["/bin/bash", "-c"]', '(shell "/bin/bash" "-c")'],
  ])('%s', (line, expected) => {
    expect(dump(`${line}\n`)).toBe(`${expected}\n`);
  });

  it('reads keywords in any case', () => {
    const tree = parseSyntax('from alpine\nRuN echo hi\n');
    expect(tree.instructions.map((node) => node.name)).toEqual(['FROM', 'RUN']);
    expect(dumpSyntax(tree)).toBe('(from "alpine")\n(run "echo hi")\n');
  });

  it('reports an unknown instruction with a suggestion', () => {
    const tree = parseSyntax('FORM alpine\nRUN true\n');
    const [diagnostic] = tree.diagnostics;
    expect(diagnostic?.rule).toBe('unknown-instruction');
    expect(diagnostic?.message).toContain('unknown instruction FORM (did you mean FROM?)');
    expect(diagnostic?.message).toContain('(line 1, column 1)');
    expect(diagnostic?.range.end.character).toBe(4);
  });

  it('goes on after a bad line', () => {
    const tree = parseSyntax('FROM alpine\nENV ONLYKEY\nCMD [1]\nRUN true\n');
    expect(errors(tree)).toEqual(['missing-value', 'exec-form-not-strings']);
    expect(tree.instructions.map((node) => node.name)).toEqual(['FROM', 'ENV', 'CMD', 'RUN']);
  });

  it('reports a file without instructions', () => {
    expect(errors(parseSyntax(''))).toEqual(['no-instructions']);
    expect(errors(parseSyntax('# only a comment\n\n'))).toEqual(['no-instructions']);
  });

  it.each([
    ['an empty file', '', { line: 0, character: 0, offset: 0 }],
    ['a final line feed', '# a comment\n', { line: 1, character: 0, offset: 12 }],
    ['a final CRLF', '# a\r\n\r\n', { line: 2, character: 0, offset: 7 }],
    ['no final line feed', '# a\n# bc', { line: 1, character: 4, offset: 8 }],
  ])('places no-instructions at the end of %s', (_, source, end) => {
    const [diagnostic] = parseSyntax(source).diagnostics;
    expect(diagnostic?.range.start).toEqual(end);
    expect(diagnostic?.range.end).toEqual(end);
  });
});

describe('exec and shell form', () => {
  it('falls back to shell form for text that is no JSON array', () => {
    expect(dump('CMD ["a", \'b\']\n')).toBe('(cmd "[\\"a\\", \'b\']")\n');
    expect(dump('RUN ["unterminated"\n')).toBe('(run "[\\"unterminated\\"")\n');
  });

  it('reads an array with an invalid string as shell form', () => {
    expect(dump('CMD ["a\\q"]\n')).toBe('(cmd "[\\"a\\\\q\\"]")\n');
    const tree = parseSyntax('CMD [1, "a\\q"]\n');
    expect(tree.diagnostics).toEqual([]);
    expect(tree.instructions[0]?.form).toBe('shell');
  });

  it('reads a long unterminated string of escaped quotes', () => {
    const tree = parseSyntax(`CMD ["${'\\"'.repeat(50_000)}\n`);
    expect(tree.instructions[0]?.form).toBe('shell');
  });

  it('ignores text after the closing bracket as BuildKit does', () => {
    expect(dump('CMD ["a"] trailing\n')).toBe('(cmd "a")\n');
  });

  it.each([['CMD ["a", 1]'], ['CMD ["a", ["b"]]'], ['RUN [{"a": "b"}]'], ['COPY [true, null] /x']])(
    'rejects a non-string element in %s',
    (line) => {
      const tree = parseSyntax(`${line}\n`);
      expect(errors(tree)).toEqual(['exec-form-not-strings']);
      expect(tree.diagnostics[0]?.message).toContain('non-string element');
    },
  );

  it('decodes JSON escapes', () => {
    expect(dump('CMD ["a\\u0041\\n"]\n')).toBe('(cmd "aA\\n")\n');
  });
});

describe('flags', () => {
  it('keeps flags as written and reads name and value', () => {
    const tree = parseSyntax('COPY --chown="app user" --link -- --weird /dst\n');
    const [copy] = tree.instructions;
    expect(copy?.flags.map((flag) => flag.text)).toEqual(['--chown="app user"', '--link']);
    expect(copy?.flags.map((flag) => [flag.name, flag.value])).toEqual([
      ['chown', 'app user'],
      ['link', undefined],
    ]);
    expect(copy?.flagsEnd?.start.character).toBe(31);
    expect(copy?.arguments.map((node) => node.value)).toEqual(['--weird', '/dst']);
  });

  it('reads flags on every instruction', () => {
    expect(dump('CMD --doit=true -- ["a"]\n')).toBe('(cmd ["--doit=true"] "a")\n');
  });
});

describe('ENV and LABEL', () => {
  it.each([
    ['ENV A b c', '(env "A" "b c" "")'],
    ['ENV A="b c" D=e\\ f', '(env "A" "\\"b c\\"" "=" "D" "e\\\\ f" "=")'],
    ["LABEL a.b='x y'", '(label "a.b" "\'x y\'" "=")'],
    ['ENV A=', '(env "A" "" "=")'],
  ])('%s', (line, expected) => {
    expect(dump(`${line}\n`)).toBe(`${expected}\n`);
  });

  it('rejects a word without = in the key=value form', () => {
    const tree = parseSyntax('ENV A=b c\n');
    expect(errors(tree)).toEqual(['missing-equals']);
    expect(tree.diagnostics[0]?.message).toContain('ENV "c" has no \'=\'');
  });

  it('rejects a legacy pair without value', () => {
    expect(errors(parseSyntax('LABEL lonely\n'))).toEqual(['missing-value']);
  });
});

describe('continuation', () => {
  it('joins lines and drops comment lines inside', () => {
    const tree = parseSyntax('RUN a \\\n# note\n  b \\\n    # indented note\n  c\n');
    expect(dumpSyntax(tree)).toBe('(run "a   b   c")\n');
    expect(tree.instructions[0]?.comments.map((comment) => comment.value)).toEqual([
      'note',
      'indented note',
    ]);
  });

  it('warns about an empty continuation line', () => {
    const tree = parseSyntax('RUN a \\\n\n  b\n');
    expect(dumpSyntax(tree)).toBe('(run "a   b")\n');
    const [warning] = tree.diagnostics;
    expect(warning?.severity).toBe('warning');
    expect(warning?.rule).toBe('NoEmptyContinuation');
    expect(warning?.range.start.line).toBe(1);
  });

  it('ends the instruction at end of file', () => {
    expect(dump('FROM a\nRUN b \\')).toBe('(from "a")\n(run "b")\n');
  });

  it('keeps an escaped escape at the end of a line', () => {
    expect(dump('ENV A b\\\\\nENV C d\n')).toBe('(env "A" "b\\\\\\\\" "")\n(env "C" "d" "")\n');
  });
});

describe('directives', () => {
  it('reads syntax, escape and check', () => {
    const tree = parseSyntax('# syntax=docker/dockerfile:1\n# escape=`\n#check=skip=all\nFROM a\n');
    expect(tree.directives.map((node) => [node.name, node.value])).toEqual([
      ['syntax', 'docker/dockerfile:1'],
      ['escape', '`'],
      ['check', 'skip=all'],
    ]);
    expect(tree.escape).toBe('`');
  });

  it('uses the backtick for continuation after escape=`', () => {
    const tree = parseSyntax('# escape=`\nRUN dir C:\\ `\n  /s\n');
    expect(dumpSyntax(tree)).toBe('(run "dir C:\\\\   /s")\n');
  });

  it.each([
    ['after a comment', '# hello\n# escape=`\nFROM a\n'],
    ['after an empty line', '\n# escape=`\nFROM a\n'],
    ['after an instruction', 'FROM a\n# escape=`\n'],
    ['after an unknown directive', '# foo=bar\n# escape=`\nFROM a\n'],
  ])('is a comment %s', (_, source) => {
    const tree = parseSyntax(source);
    expect(tree.directives.map((node) => node.name)).not.toContain('escape');
    expect(tree.escape).toBe('\\');
  });

  it('rejects a repeated directive and an invalid escape', () => {
    expect(errors(parseSyntax('# escape=`\n# escape=`\nFROM a\n'))).toEqual([
      'duplicate-directive',
    ]);
    expect(errors(parseSyntax('# escape=x\nFROM a\n'))).toEqual(['invalid-escape']);
  });

  it('trims blanks around a directive value', () => {
    const tree = parseSyntax('#  syntax =  docker/dockerfile:1 \t \nFROM a\n');
    expect(tree.directives[0]?.value).toBe('docker/dockerfile:1');
  });

  it('reads a long blank run in a directive', () => {
    const tree = parseSyntax(`# escape=\\${' '.repeat(50_000)}x\nFROM a\n`);
    expect(tree.diagnostics.map((item) => item.rule)).toEqual(['invalid-escape']);
  });

  it('skips a byte order mark', () => {
    expect(parseSyntax('\uFEFF# escape=`\nFROM a\n').escape).toBe('`');
  });
});

describe('ranges', () => {
  it('gives zero-based line, character and offset', () => {
    const tree = parseSyntax('FROM a\n  COPY --link x \\\n    /y\n');
    const copy = tree.instructions[1];
    expect(copy?.keyword.range.start).toEqual({ line: 1, character: 2, offset: 9 });
    expect(copy?.flags[0]?.range.start).toEqual({ line: 1, character: 7, offset: 14 });
    expect(copy?.arguments[1]?.range).toEqual({
      start: { line: 2, character: 4, offset: 29 },
      end: { line: 2, character: 6, offset: 31 },
    });
    expect(copy?.range.end).toEqual({ line: 2, character: 6, offset: 31 });
  });

  it('spans a word split by a continuation', () => {
    const tree = parseSyntax('EXPOSE 80\\\n80\n');
    const port = tree.instructions[0]?.arguments[0];
    expect(port?.value).toBe('8080');
    expect(port?.text).toBe('80\\\n80');
  });

  it('places comments and directives', () => {
    const tree = parseSyntax('# syntax=x\n\n  # note\nFROM a\n');
    expect(
      tree.nodes.map((node) => [node.kind, node.range.start.line, node.range.start.character]),
    ).toEqual([
      ['directive', 0, 0],
      ['comment', 2, 2],
      ['instruction', 3, 0],
    ]);
  });
});
