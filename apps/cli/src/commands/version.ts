/** `gantry version`: the version of gantry and of Node.js. */
import { readFileSync } from 'node:fs';
import { VERSION_HELP } from '../help.js';
import { UsageError } from '../usage-error.js';

/**
 * Prints the gantry and Node.js versions, or the help with `--help`, and returns the exit code.
 *
 * @throws UsageError for any other argument.
 */
export function runVersion(argv: readonly string[] = []): number {
  const [first] = argv;
  if (first === '--help' || first === '-h') {
    process.stdout.write(VERSION_HELP);
    return 0;
  }
  if (first !== undefined) {
    throw new UsageError(`"gantry version" takes no arguments; received ${first}`, 'version');
  }
  process.stdout.write(`gantry ${gantryVersion()}\nNode.js ${process.version}\n`);
  return 0;
}

/** Set by the bundle step (`bundle.mjs`) to the package's version. */
declare const GANTRY_VERSION: string | undefined;

function gantryVersion(): string {
  if (typeof GANTRY_VERSION === 'string') return GANTRY_VERSION;
  const manifest = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
