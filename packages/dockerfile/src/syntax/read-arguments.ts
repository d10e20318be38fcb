/**
 * Reading the arguments of an instruction by its rule, the way BuildKit's
 * line parsers do: exec form or shell form, word lists, ENV and LABEL pairs,
 * ARG names, ONBUILD's wrapped instruction and HEALTHCHECK.
 */
import type { InstructionBuilder, ReadResult } from './build-instruction.js';
import type { ExecResult } from './engine.js';
import type { ArgumentRule, InstructionSpec } from './instruction-table.js';
import { type ArgumentNode, NONE, type PairNode } from './nodes.js';
import type { ScannedInstruction } from './scanner.js';
import { splitOnWhitespace, splitQuotedWords, trimSpan, type WordSpan } from './words.js';

type Reader = (
  builder: InstructionBuilder,
  scanned: ScannedInstruction,
  start: number,
  end: number,
  name: string,
) => ReadResult;

const READERS: Record<ArgumentRule, Reader> = {
  'exec-or-shell': (builder, scanned, start, end, name) =>
    readExecOr(builder, scanned, start, end, name, readShell),
  'exec-or-list': (builder, scanned, start, end, name) =>
    readExecOr(builder, scanned, start, end, name, readList),
  list: (builder, scanned, start, end) => readList(builder, scanned, start, end),
  string: (builder, scanned, start, end) => readShell(builder, scanned, start, end),
  pairs: readPairs,
  names: readNames,
  subcommand: readSubcommand,
  healthcheck: readHealthcheck,
};

/** Names of every argument rule, for the check of an extension's `arguments`. @internal */
export const ARGUMENT_RULES: readonly string[] = Object.keys(READERS);

/** Reads `scanned.text[start, end)` (already trimmed) by the rule of `spec`. */
export function readArguments(
  builder: InstructionBuilder,
  spec: InstructionSpec,
  scanned: ScannedInstruction,
  start: number,
  end: number,
): ReadResult {
  return READERS[spec.arguments](builder, scanned, start, end, spec.name);
}

function result(
  form: ReadResult['form'],
  args: ArgumentNode[],
  pairs: readonly PairNode[] = NONE,
): ReadResult {
  return { form, arguments: args, pairs, child: undefined };
}

function readExecOr(
  builder: InstructionBuilder,
  scanned: ScannedInstruction,
  start: number,
  end: number,
  name: string,
  otherwise: Reader,
): ReadResult {
  if (start === end) return result('none', []);
  const exec: ExecResult = builder.exec(scanned, start, end);
  if (exec.kind === 'shell') return otherwise(builder, scanned, start, end, name);
  if (exec.kind === 'non-string') {
    const element = scanned.text.slice(exec.start, exec.end);
    builder.error(
      'exec-form-not-strings',
      `the JSON array of ${name} has a non-string element ${truncate(element)}; write every element as a quoted string, for example ["echo", "hello"]`,
      builder.range(scanned.segments, exec.start, exec.end),
    );
    return result('exec', []);
  }
  const args = exec.elements.map((element) =>
    builder.argument(scanned.segments, element.start, element.end, element.value),
  );
  return result('exec', args);
}

function readShell(
  builder: InstructionBuilder,
  scanned: ScannedInstruction,
  start: number,
  end: number,
): ReadResult {
  if (start === end) return result('none', []);
  const value = scanned.text.slice(start, end);
  return result('shell', [builder.argument(scanned.segments, start, end, value)]);
}

function readList(
  builder: InstructionBuilder,
  scanned: ScannedInstruction,
  start: number,
  end: number,
): ReadResult {
  const words = splitOnWhitespace(scanned.text, start, end);
  if (words.length === 0) return result('none', []);
  return result('words', toArguments(builder, scanned, words));
}

function toArguments(
  builder: InstructionBuilder,
  scanned: ScannedInstruction,
  words: readonly WordSpan[],
): ArgumentNode[] {
  return words.map((word) => builder.argument(scanned.segments, word.start, word.end, word.value));
}

function readNames(
  builder: InstructionBuilder,
  scanned: ScannedInstruction,
  start: number,
  end: number,
): ReadResult {
  const words = splitQuotedWords(scanned.text, start, end, builder.escape);
  if (words.length === 0) return result('none', []);
  return result('words', toArguments(builder, scanned, words));
}

function readPairs(
  builder: InstructionBuilder,
  scanned: ScannedInstruction,
  start: number,
  end: number,
  name: string,
): ReadResult {
  const words = splitQuotedWords(scanned.text, start, end, builder.escape);
  const first = words[0];
  if (first === undefined) return result('none', []);
  if (!first.value.includes('=')) return readLegacyPair(builder, scanned, start, end, name);
  const pairs: PairNode[] = [];
  for (const word of words) {
    const equals = word.value.indexOf('=');
    if (equals === -1) {
      builder.error(
        'missing-equals',
        `${name} ${truncate(word.value)} has no '='; write each pair as name=value, for example ${name} MODE=release`,
        builder.range(scanned.segments, word.start, word.end),
      );
      continue;
    }
    pairs.push(pair(builder, scanned, word, equals));
  }
  return result('pairs', [], pairs);
}

function pair(
  builder: InstructionBuilder,
  scanned: ScannedInstruction,
  word: WordSpan,
  equals: number,
): PairNode {
  const keyEnd = word.start + equals;
  const key = builder.argument(scanned.segments, word.start, keyEnd, word.value.slice(0, equals));
  const valueText = word.value.slice(equals + 1);
  const value = builder.argument(
    scanned.segments,
    keyEnd + 1,
    keyEnd + 1 + valueText.length,
    valueText,
  );
  const range = builder.range(scanned.segments, word.start, word.end);
  return {
    kind: 'pair',
    key,
    value,
    separator: '=',
    range,
    text: builder.source.slice(range.start.offset, range.end.offset),
  };
}

function readLegacyPair(
  builder: InstructionBuilder,
  scanned: ScannedInstruction,
  start: number,
  end: number,
  name: string,
): ReadResult {
  const [key] = splitOnWhitespace(scanned.text, start, end);
  const [valueStart] = trimSpan(scanned.text, (key as WordSpan).end, end);
  const range = builder.range(scanned.segments, start, end);
  if (key === undefined || valueStart === end) {
    builder.error(
      'missing-value',
      `${name} ${truncate(scanned.text.slice(start, end))} has a name but no value; write ${name} name=value (or ${name} name value)`,
      range,
    );
    // The typed layer reads form `pairs` without a pair as "already reported" and adds no error.
    return result('pairs', []);
  }
  const keyNode = builder.argument(scanned.segments, key.start, key.end, key.value);
  const value = builder.argument(
    scanned.segments,
    valueStart,
    end,
    scanned.text.slice(valueStart, end),
  );
  const node: PairNode = {
    kind: 'pair',
    key: keyNode,
    value,
    separator: '',
    range,
    text: builder.source.slice(range.start.offset, range.end.offset),
  };
  return result('pairs', [], [node]);
}

function readSubcommand(
  builder: InstructionBuilder,
  scanned: ScannedInstruction,
  start: number,
  end: number,
  name: string,
): ReadResult {
  if (start === end) return result('none', []);
  const cst = builder.engine.parseInstruction(scanned.text.slice(start, end));
  if (cst === undefined) {
    builder.error(
      'invalid-subcommand',
      `${name} needs an instruction after it, for example ${name} RUN make`,
      builder.range(scanned.segments, start, end),
    );
    return result('none', []);
  }
  const child = builder.build(cst, scanned, start, true);
  if (child.name === 'ONBUILD' || child.name === 'FROM' || child.name === 'MAINTAINER') {
    builder.error(
      'invalid-onbuild',
      `${child.name} is not allowed inside ONBUILD; use another instruction, for example ONBUILD RUN make`,
      child.keyword.range,
    );
  }
  return { form: 'none', arguments: NONE, pairs: NONE, child };
}

function readHealthcheck(
  builder: InstructionBuilder,
  scanned: ScannedInstruction,
  start: number,
  end: number,
): ReadResult {
  const [type] = splitOnWhitespace(scanned.text, start, end);
  if (type === undefined) return result('none', []);
  const typeNode = builder.argument(scanned.segments, type.start, type.end, type.value);
  const [commandStart] = trimSpan(scanned.text, type.end, end);
  const command = readExecOr(builder, scanned, commandStart, end, 'HEALTHCHECK', readShell);
  return { ...command, arguments: [typeNode, ...command.arguments] };
}

/** Quotes a value for a message, shortened to 40 characters. */
export function truncate(value: string): string {
  const short = value.length > 40 ? `${value.slice(0, 37)}...` : value;
  return JSON.stringify(short);
}
