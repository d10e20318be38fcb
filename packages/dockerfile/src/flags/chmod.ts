import { type FlagResult, invalidValue, parsed } from './errors.js';

/** One clause of a symbolic mode, such as `u+x` or `go=r`. */
export interface SymbolicModeClause {
  /** The classes the clause changes (chmod(1) calls them `who`): any of `u g o a`, or all when empty. */
  readonly who: string;
  /** The operations, in order: `+` adds, `-` removes, `=` sets exactly. */
  readonly operations: readonly SymbolicModeOperation[];
}

/** One operation of a symbolic mode clause. */
export interface SymbolicModeOperation {
  readonly operator: '+' | '-' | '=';
  /** Permission letters (`r w x X s t`), or a class (`u g o`) whose bits are copied. */
  readonly permissions: string;
}

/**
 * The value of `--chmod`: an octal mode (`755`, `0644`), or a symbolic mode as chmod(1)
 * writes it (`u+x`, `u=rwx,go=rx`). BuildKit takes symbolic modes from Dockerfile syntax
 * 1.14 on, and Docker's classic builder rejects `--chmod` altogether.
 */
export type FileMode =
  | { readonly kind: 'octal'; readonly mode: number; readonly text: string }
  | {
      readonly kind: 'symbolic';
      readonly clauses: readonly SymbolicModeClause[];
      readonly text: string;
    };

const OCTAL = /^[0-7]+$/;
const CLAUSE = /^([ugoa]*)((?:[-+=](?:[ugo]|[rwxXst]*))+)$/;
const OPERATION = /([-+=])([ugo]|[rwxXst]*)/g;

/** Parses `--chmod`. An empty value gives `undefined`: Docker treats `--chmod=` as absent. */
export function parseChmod(text: string): FlagResult<FileMode | undefined> {
  if (text === '') {
    return parsed(undefined);
  }
  if (OCTAL.test(text)) {
    const mode = Number.parseInt(text, 8);
    if (mode <= 0o7777) {
      return parsed({ kind: 'octal', mode, text });
    }
    return invalidMode(text, 'above 7777');
  }
  const clauses = text.split(',').map(parseClause);
  if (clauses.some((clause) => clause === undefined)) {
    return invalidMode(text, undefined);
  }
  return parsed({ kind: 'symbolic', clauses: clauses as SymbolicModeClause[], text });
}

function parseClause(text: string): SymbolicModeClause | undefined {
  const match = CLAUSE.exec(text);
  if (match === null) {
    return undefined;
  }
  const operations = Array.from((match[2] as string).matchAll(OPERATION), (operation) => ({
    operator: operation[1] as SymbolicModeOperation['operator'],
    permissions: operation[2] as string,
  }));
  return { who: match[1] as string, operations };
}

function invalidMode(text: string, reason: string | undefined): FlagResult<FileMode | undefined> {
  return invalidValue({
    flag: 'chmod',
    value: text,
    reason,
    expected: 'an octal mode from 0 to 7777, or a symbolic mode such as u+x or u=rwx,go=rx',
    example: '--chmod=755',
  });
}
