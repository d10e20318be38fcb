/** `gantry version`: the version of gantry and of Node.js. */
import { readFileSync } from 'node:fs';

/** Prints the gantry and Node.js versions; returns the exit code. */
export function runVersion(): number {
  const manifest = new URL('../../package.json', import.meta.url);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  process.stdout.write(`gantry ${version}\nNode.js ${process.version}\n`);
  return 0;
}
