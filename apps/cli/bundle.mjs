// Bundles the built CLI into dist/bundle with esbuild: one file per lazily
// loaded command, so start-up reads a few files instead of hundreds of modules.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes, so old chunks would pile up.
rmSync('dist/bundle', { recursive: true, force: true });

const banner = [
  "import { createRequire as __gantryRequire } from 'node:module';",
  "import { fileURLToPath as __gantryPath } from 'node:url';",
  "import { dirname as __gantryDirname } from 'node:path';",
  'const require = __gantryRequire(import.meta.url);',
  'const __filename = __gantryPath(import.meta.url);',
  'const __dirname = __gantryDirname(__filename);',
].join('\n');

await build({
  entryPoints: ['dist/main.js'],
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // ssh2 loads this optional native module inside a try block.
  external: ['cpu-features'],
  banner: { js: banner },
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
