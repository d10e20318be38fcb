import createDebug from 'debug';

/** Debug log of this package; enable it with `DEBUG=gantry:daemon`. */
export const log = createDebug('gantry:daemon');

/** Returns the first 12 characters of an id, as the Docker CLI shows it. */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}
