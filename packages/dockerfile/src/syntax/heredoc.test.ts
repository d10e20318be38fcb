import { describe, expect, it } from 'vitest';
import { printSyntax } from '../print/print.js';
import { dumpSyntax } from './dump.js';
import type { HeredocNode } from './nodes.js';
import { parseSyntax } from './parse-syntax.js';

function heredocs(source: string): HeredocNode[] {
  return parseSyntax(source).instructions.flatMap((node) => node.heredocs);
}

function summary(node: HeredocNode): unknown {
  const { name, fileDescriptor, chomp, expand, content, terminated } = node;
  return { name, fileDescriptor, chomp, expand, content, terminated };
}

describe('heredocs', () => {
  it('reads <<EOF with its body', () => {
    const source = 'FROM a\nRUN <<EOF\necho $HOME\nls\nEOF\nRUN next\n';
    const tree = parseSyntax(source);
    expect(tree.instructions[1]?.heredocs.map(summary)).toEqual([
      {
        name: 'EOF',
        fileDescriptor: 0,
        chomp: false,
        expand: true,
        content: 'echo $HOME\nls\n',
        terminated: true,
      },
    ]);
    expect(dumpSyntax(tree)).toBe('(from "a")\n(run "<<EOF")\n(run "next")\n');
  });

  it('keeps tabs in the content of <<- and strips them from the terminator', () => {
    const [node] = heredocs('RUN <<-EOF\n\tone\n\ttwo\n\tEOF\n');
    expect(node?.chomp).toBe(true);
    expect(node?.content).toBe('\tone\n\ttwo\n');
    expect(node?.terminated).toBe(true);
  });

  it.each([['RUN <<"EOF"\n$A\nEOF\n'], ["RUN <<'EOF'\n$A\nEOF\n"], ["RUN <<-'EOF'\n$A\nEOF\n"]])(
    'turns expansion off for a quoted delimiter in %j',
    (source) => {
      const [node] = heredocs(source);
      expect(node?.name).toBe('EOF');
      expect(node?.expand).toBe(false);
    },
  );

  it('accepts a blank after <<', () => {
    const [node] = heredocs('RUN cat << EOF > /x\nhello\nEOF\n');
    expect(node?.name).toBe('EOF');
    expect(node?.content).toBe('hello\n');
  });

  it('reads a file descriptor prefix', () => {
    expect(heredocs('RUN 3<<EOF\nx\nEOF\n')[0]?.fileDescriptor).toBe(3);
  });

  it('reads several heredocs on one line in order', () => {
    const tree = parseSyntax('COPY <<A <<B /dest/\nfirst\nA\nsecond\nB\nRUN done\n');
    expect(tree.instructions[0]?.heredocs.map((node) => [node.name, node.content])).toEqual([
      ['A', 'first\n'],
      ['B', 'second\n'],
    ]);
    expect(tree.instructions[0]?.arguments.map((node) => node.value)).toEqual([
      '<<A',
      '<<B',
      '/dest/',
    ]);
    expect(tree.instructions[1]?.name).toBe('RUN');
  });

  it('opens after a continued line', () => {
    const tree = parseSyntax('RUN --mount=type=cache,target=/root \\\n    sh <<EOF\nmake\nEOF\n');
    expect(tree.instructions[0]?.heredocs[0]?.content).toBe('make\n');
    expect(tree.instructions[0]?.heredocs[0]?.marker.start.line).toBe(1);
  });

  it('reads text after the marker and instructions after the terminator', () => {
    const tree = parseSyntax('RUN <<EOF python3 -\nprint(1)\nEOF\nCMD run\n');
    expect(dumpSyntax(tree)).toBe('(run "<<EOF python3 -")\n(cmd "run")\n');
  });

  it('works inside ONBUILD', () => {
    const tree = parseSyntax('ONBUILD RUN <<EOF\nmake\nEOF\nCMD x\n');
    expect(tree.instructions[0]?.heredocs[0]?.content).toBe('make\n');
    expect(dumpSyntax(tree)).toBe('(onbuild (run "<<EOF"))\n(cmd "x")\n');
  });

  it.each([
    ['RUN ["<<EOF"]\nEOF\n'],
    ['RUN "<<EOF"\nEOF\n'],
    ['USER <<EOF\nEOF\n'],
    ['RUN cat<<EOF\nEOF\n'],
  ])('opens no heredoc in %j', (source) => {
    const tree = parseSyntax(source);
    expect(tree.instructions.flatMap((node) => node.heredocs)).toEqual([]);
    expect(tree.instructions.length).toBe(2);
  });

  it('reports an unterminated heredoc', () => {
    const tree = parseSyntax('RUN <<EOF\necho\n');
    expect(tree.diagnostics.map((item) => item.rule)).toEqual(['unterminated-heredoc']);
    expect(tree.diagnostics[0]?.message).toContain('add a line that is exactly EOF');
    expect(tree.instructions[0]?.heredocs[0]?.content).toBe('echo\n');
  });

  it('reports an unterminated quote in the delimiter', () => {
    expect(parseSyntax("RUN <<'EOF\nx\n").diagnostics.map((item) => item.rule)).toContain(
      'invalid-heredoc',
    );
  });

  it.each([
    ['a double quote', 'RUN <<"EOF\necho\nEOF\n', '"EOF"'],
    ['a single quote', "RUN <<'EOF\necho\nEOF\n", "'EOF'"],
    ['a chomp marker', 'RUN <<-"EOF\n\techo\n\tEOF\n', '"EOF"'],
    ['text after the marker', 'RUN cat <<"EOF > /x\necho\nEOF\n', '"EOF"'],
    ['a file descriptor', 'RUN 3<<"EOF cat\necho\nEOF\n', '"EOF"'],
  ])('reads the body of an invalid marker with %s', (_, source, fix) => {
    const tree = parseSyntax(`FROM a\n${source}FORM x\n`);
    expect(tree.diagnostics.map((item) => item.rule)).toEqual([
      'invalid-heredoc',
      'unknown-instruction',
    ]);
    expect(tree.diagnostics[0]?.message).toContain(`write it as ${fix}`);
    expect(tree.diagnostics[1]?.range.start.line).toBe(4);
    expect(tree.instructions.map((node) => node.name)).toEqual(['FROM', 'RUN', 'FORM']);
    expect(tree.instructions[1]?.heredocs[0]?.name).toBe('EOF');
    expect(tree.instructions[1]?.heredocs[0]?.terminated).toBe(true);
    expect(printSyntax(tree)).toBe(`FROM a\n${source}FORM x\n`);
  });

  it('underlines only the invalid marker', () => {
    const [diagnostic] = parseSyntax('RUN cat <<"EOF > /x\nEOF\n').diagnostics;
    expect(diagnostic?.range.start.character).toBe(8);
    expect(diagnostic?.range.end.character).toBe(14);
  });

  it('reads on after an invalid marker without terminator', () => {
    const tree = parseSyntax('FROM a\nRUN <<"EOF\nCMD x\n');
    expect(tree.diagnostics.map((item) => item.rule)).toEqual(['invalid-heredoc']);
    expect(tree.instructions.map((node) => node.name)).toEqual(['FROM', 'RUN', 'CMD']);
    expect(tree.instructions[1]?.heredocs).toEqual([]);
  });

  it('matches the terminator of a CRLF file', () => {
    const [node] = heredocs('RUN <<EOF\r\nhi\r\nEOF\r\nCMD x\r\n');
    expect(node?.terminated).toBe(true);
    expect(node?.content).toBe('hi\r\n');
  });

  it('places an unterminated heredoc at end of file', () => {
    const [node] = heredocs('RUN <<EOF');
    expect(node?.range.start).toEqual({ line: 0, character: 9, offset: 9 });
    expect(node?.range.end).toEqual({ line: 0, character: 9, offset: 9 });
    const [open] = heredocs('RUN <<EOF\nline\n');
    expect(open?.content).toBe('line\n');
    expect(open?.range.end).toEqual({ line: 1, character: 4, offset: 14 });
  });

  it.each([
    ['a final line feed', 'RUN <<EOF\n', { line: 1, character: 0, offset: 10 }],
    ['a final CRLF', 'RUN <<EOF\r\n', { line: 1, character: 0, offset: 11 }],
    ['a terminated heredoc', 'RUN <<A <<B\nx\nA\n', { line: 3, character: 0, offset: 16 }],
  ])('places an empty last heredoc after %s', (_, source, end) => {
    const node = heredocs(source).at(-1);
    expect(node?.range.start).toEqual(end);
    expect(node?.range.end).toEqual(end);
    expect(parseSyntax(source).instructions[0]?.range.end).toEqual(end);
  });

  it('gives the body a range from its first line to the terminator', () => {
    const [node] = heredocs('RUN <<EOF\nab\nEOF\n');
    expect(node?.range.start).toEqual({ line: 1, character: 0, offset: 10 });
    expect(node?.range.end).toEqual({ line: 2, character: 3, offset: 16 });
  });
});
