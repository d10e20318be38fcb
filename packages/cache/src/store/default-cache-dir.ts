/** Where gantry keeps its cache when the caller names no folder. */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * Returns `$XDG_CACHE_HOME/gantry`, or `~/.cache/gantry` when `XDG_CACHE_HOME`
 * is unset, empty or relative (the XDG Base Directory specification says a
 * relative value is invalid and must be ignored).
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  return join(base, 'gantry');
}
