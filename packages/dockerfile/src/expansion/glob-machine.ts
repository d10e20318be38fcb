// A matcher for shell patterns that runs in time linear in the text, like Go's regexp
// package (RE2) that BuildKit uses. JavaScript's backtracking RegExp would take
// exponential time on patterns such as `*a*a*a*a*c`, so patterns run on a small Pike
// virtual machine instead. It keeps Go's leftmost-first rule for which match wins.

const LINE_FEED = 0x0a;

/** One instruction of a compiled pattern. @internal */
export type GlobInstruction =
  | { readonly op: 'char'; readonly codePoint: number; readonly next: number }
  | { readonly op: 'any'; readonly next: number }
  | { readonly op: 'split'; readonly preferred: number; readonly other: number }
  | { readonly op: 'match' };

/** One part of a pattern: a literal character, `?`, or `*`. @internal */
export type GlobToken =
  | { readonly kind: 'char'; readonly codePoint: number }
  | { readonly kind: 'any' }
  | { readonly kind: 'star' };

/** A match, as code point indexes into the text. @internal */
export interface GlobMatch {
  readonly start: number;
  readonly end: number;
}

/**
 * Compiles pattern tokens to instructions. A star becomes a loop over "any character
 * but a line feed" whose split prefers another turn when greedy and leaving when not.
 *
 * @internal
 */
export function compileTokens(tokens: readonly GlobToken[], greedy: boolean): GlobInstruction[] {
  const program: GlobInstruction[] = [];
  for (const token of tokens) {
    const here = program.length;
    if (token.kind === 'char') {
      program.push({ op: 'char', codePoint: token.codePoint, next: here + 1 });
    } else if (token.kind === 'any') {
      program.push({ op: 'any', next: here + 1 });
    } else {
      const loop = here + 1;
      const after = here + 2;
      program.push(
        greedy
          ? { op: 'split', preferred: loop, other: after }
          : { op: 'split', preferred: after, other: loop },
      );
      program.push({ op: 'any', next: here });
    }
  }
  program.push({ op: 'match' });
  return program;
}

/** Threads of the machine at one text index, in priority order, one per program counter. */
class ThreadList {
  readonly pcs: Int32Array;
  readonly starts: Int32Array;
  length = 0;

  constructor(size: number) {
    this.pcs = new Int32Array(size);
    this.starts = new Int32Array(size);
  }
}

/**
 * Finds the match Go's regexp would report in `text` (code points), starting the search
 * at index `from`. When `anchored`, only a match that starts at `from` counts.
 *
 * @internal
 */
export function runGlob(
  program: readonly GlobInstruction[],
  text: readonly number[],
  from: number,
  anchored: boolean,
): GlobMatch | undefined {
  const marks = new Int32Array(program.length).fill(-1);
  let current = new ThreadList(program.length);
  let next = new ThreadList(program.length);
  let found: GlobMatch | undefined;
  for (let index = from; index <= text.length; index++) {
    if (found === undefined && (index === from || !anchored)) {
      addThread(program, current, marks, index, 0, index);
    }
    if (current.length === 0) {
      break;
    }
    next.length = 0;
    const codePoint = index < text.length ? (text[index] as number) : -1;
    for (let thread = 0; thread < current.length; thread++) {
      const instruction = program[current.pcs[thread] as number] as GlobInstruction;
      const start = current.starts[thread] as number;
      if (instruction.op === 'match') {
        // Lower-priority threads cannot win any more, so they stop here.
        found = { start, end: index };
        break;
      }
      if (consumes(instruction, codePoint)) {
        const target = (instruction as { next: number }).next;
        addThread(program, next, marks, index + 1, target, start);
      }
    }
    [current, next] = [next, current];
  }
  return found;
}

function consumes(instruction: GlobInstruction, codePoint: number): boolean {
  if (codePoint < 0) {
    return false;
  }
  if (instruction.op === 'char') {
    return instruction.codePoint === codePoint;
  }
  return instruction.op === 'any' && codePoint !== LINE_FEED;
}

/**
 * Adds a thread and follows its splits, in priority order. `generation` is the text
 * index the list is for, so each program counter enters a list once.
 */
function addThread(
  program: readonly GlobInstruction[],
  list: ThreadList,
  marks: Int32Array,
  generation: number,
  pc: number,
  start: number,
): void {
  const stack = [pc];
  while (stack.length > 0) {
    const counter = stack.pop() as number;
    if (marks[counter] === generation) {
      continue;
    }
    marks[counter] = generation;
    const instruction = program[counter] as GlobInstruction;
    if (instruction.op === 'split') {
      stack.push(instruction.other, instruction.preferred);
    } else {
      list.pcs[list.length] = counter;
      list.starts[list.length] = start;
      list.length++;
    }
  }
}
