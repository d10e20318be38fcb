/** The default cache folder, used when the caller names none. */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * Returns `$XDG_CACHE_HOME/gantry`, or `~/.cache/gantry` when `XDG_CACHE_HOME`
 * is unset, empty or relative: the XDG Base Directory specification requires
 * absolute paths and tells implementations to ignore a relative one.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  return join(base, 'gantry');
}
