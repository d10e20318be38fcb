import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../vendor/chevrotain.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * Lists each import of a module under src/ that leaves src/, as "FILE imports
 * SPECIFIER", for every module that the entry loads at run time.
 */
async function importsOutsideSrc(): Promise<string[]> {
  const result = await build({
    entryPoints: ['src/index.ts'],
    absWorkingDir: packageDir,
    // tsconfig.json sets verbatimModuleSyntax, so esbuild keeps exactly the
    // imports that Node.js loads from the compiled files.
    tsconfig: 'tsconfig.json',
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    // Imports of packages stay imports, listed in the metafile without being read.
    packages: 'external',
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const lines: string[] = [];
  for (const [path, input] of Object.entries(result.metafile.inputs)) {
    if (!path.startsWith('src/')) continue;
    for (const target of input.imports) {
      if (!target.path.startsWith('src/'))
        lines.push(`${path} imports ${target.original ?? target.path}`);
    }
  }
  return lines;
}

describe('chevrotain runtime', () => {
  it('comes from the vendor bundle alone', async () => {
    const imports = await importsOutsideSrc();

    expect(imports).toEqual(['src/chevrotain.ts imports ../vendor/chevrotain.js']);
  });

  it('bundle matches installed chevrotain', () => {
    const manifestPath = new URL('../node_modules/chevrotain/package.json', import.meta.url);
    const installed = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string };

    expect(VERSION, 'run `pnpm build` to bundle the installed chevrotain').toBe(installed.version);
  });
});
