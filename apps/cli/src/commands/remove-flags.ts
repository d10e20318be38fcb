/** `--rm` and `--force-rm`: which step containers `gantry build` keeps. */
import type { KeepContainers } from '@gantry/builder';
import { readBoolean } from './boolean-flag.js';

/** The command line without `--rm` and `--force-rm`, and what they ask for. */
export interface RemoveFlags {
  readonly argv: string[];
  readonly keepContainers: KeepContainers;
}

const REMOVE_FLAG = /^--(rm|force-rm)(?:=(.*))?$/s;

/**
 * Takes `--rm[=bool]` and `--force-rm[=bool]` out of the command line, as
 * docker build reads them. gantry removes every step container by default.
 * `--force-rm=false` keeps the container of a failing step (docker's
 * default), and `--rm=false` keeps them all unless `--force-rm` is set,
 * which wins, as in the classic builder.
 *
 * @throws UsageError for a value that is neither true nor false.
 */
export function readRemoveFlags(argv: readonly string[]): RemoveFlags {
  const end = argv.indexOf('--');
  const flags = end === -1 ? argv : argv.slice(0, end);
  const values: { rm?: boolean; 'force-rm'?: boolean } = {};
  const rest: string[] = [];
  for (const argument of flags) {
    const match = REMOVE_FLAG.exec(argument);
    const name = match?.[1] as 'rm' | 'force-rm' | undefined;
    if (name === undefined) {
      rest.push(argument);
      continue;
    }
    const value = match?.[2];
    values[name] = value === undefined ? true : readBoolean(`--${name}`, value);
  }
  return {
    argv: [...rest, ...(end === -1 ? [] : argv.slice(end))],
    keepContainers: keepOf(values.rm ?? true, values['force-rm']),
  };
}

function keepOf(remove: boolean, forceRemove: boolean | undefined): KeepContainers {
  if (forceRemove === true) return 'none';
  if (!remove) return 'all';
  return forceRemove === false ? 'failed' : 'none';
}
