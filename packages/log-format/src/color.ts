/** Environment variables that decide whether output is coloured. */
export interface ColorEnvironment {
  NO_COLOR?: string | undefined;
  FORCE_COLOR?: string | undefined;
}

/**
 * Decides whether to colour output: `FORCE_COLOR` set to anything but `0` or
 * `false` forces colour, otherwise a non-empty `NO_COLOR` turns it off,
 * otherwise colour is on exactly when the output is a terminal.
 *
 * @example
 * shouldUseColor(process.env, process.stdout.isTTY === true);
 */
export function shouldUseColor(env: ColorEnvironment, isTerminal: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') {
    return true;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') {
    return false;
  }
  return isTerminal;
}
