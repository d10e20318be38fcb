/**
 * Vitest global set-up: stops the run with the fix when vendor/chevrotain.js,
 * which `pnpm build` writes and src/chevrotain.ts imports, is missing.
 */
import { existsSync } from 'node:fs';

export function setup(): void {
  const bundle = new URL('../vendor/chevrotain.js', import.meta.url);
  if (existsSync(bundle)) return;
  throw new Error(
    `${bundle.pathname} is missing: run \`pnpm --filter @gantry/dockerfile build\`, which bundles chevrotain there, before the tests`,
  );
}
