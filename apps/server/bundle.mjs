// Bundles the built server into dist/bundle/main.js with esbuild, so that
// start-up reads one file instead of hundreds of modules.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

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
