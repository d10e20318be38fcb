#!/usr/bin/env node
/**
 * The `gantry` executable. It loads the bundled CLI (`gantry.cjs` beside it)
 * through V8's code cache, which Node.js 20 does not keep for scripts on its
 * own: compiling the 2 MB bundle, and the functions a build calls, took about
 * a third of a fully cached `gantry build`. The cache is a file per Node.js
 * version, bundle and command under `$XDG_CACHE_HOME/gantry/code-cache`; V8
 * checks it against the source and rejects a stale one, which is then
 * rewritten. Any failure to read or write it only costs that saving.
 */
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

/** Exports of the bundle: `runCli` from `main.ts`. */
interface CliModule {
  readonly runCli: (argv: readonly string[]) => Promise<void>;
}

type ModuleFactory = (
  exports: object,
  require: NodeJS.Require,
  module: { exports: object },
  filename: string,
  dirname: string,
) => void;

// The bundle makes this file CommonJS, which starts faster than an ES module,
// so the command runs without a top-level await. A rejection ends the process
// as an uncaught error does, with exit code 1.
void launch(join(dirname(fileURLToPath(import.meta.url)), 'gantry.cjs'), process.argv.slice(2));

async function launch(bundle: string, argv: readonly string[]): Promise<void> {
  // Node.js applies source maps only to modules that its own loader compiles,
  // so with --enable-source-maps the bundle is required, without the code cache.
  if (process.sourceMapsEnabled) {
    await (createRequire(bundle)(bundle) as CliModule).runCli(argv);
    return;
  }
  const cacheFile = codeCacheFile(bundle, argv[0]);
  const cachedData = readOrUndefined(cacheFile);
  const script = new Script(wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  const cli = { exports: {} };
  (script.runInThisContext() as ModuleFactory)(
    cli.exports,
    createRequire(bundle),
    cli,
    bundle,
    dirname(bundle),
  );
  await (cli.exports as CliModule).runCli(argv);
  // Written after the run, so the cache also contains the functions the command compiled.
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    writeAtomically(cacheFile, script.createCachedData());
  }
}

/** Wraps source in the function that Node.js puts around a CommonJS module. */
function wrap(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
}

function codeCacheFile(bundlePath: string, command: string | undefined): string | undefined {
  if (process.env.GANTRY_CODE_CACHE === '0') return undefined;
  try {
    const { size, mtimeMs } = statSync(bundlePath);
    const root = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
    const name = /^[a-z]+$/.test(command ?? '') ? command : 'other';
    const key = `${process.version}-${process.arch}-${size}-${Math.trunc(mtimeMs)}`;
    return join(root, 'gantry', 'code-cache', `${key}-${name}.bin`);
  } catch {
    return undefined;
  }
}

function readOrUndefined(file: string | undefined): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Writes a temporary file and renames it, so a concurrent reader never sees
 * half a cache, then removes the caches of other Node.js versions and bundles.
 */
function writeAtomically(file: string, data: Buffer): void {
  const folder = dirname(file);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(temporary, data);
    renameSync(temporary, file);
    const key = basename(file).replace(/-[a-z]+\.bin$/, '-');
    for (const name of readdirSync(folder)) {
      if (!name.startsWith(key) && !name.endsWith('.tmp'))
        rmSync(join(folder, name), { force: true });
    }
  } catch {
    // A read-only or full cache folder: the next run compiles the bundle again.
    removeQuietly(temporary);
  }
}

function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // The folder is missing or is not a folder, so there is nothing to remove.
  }
}
