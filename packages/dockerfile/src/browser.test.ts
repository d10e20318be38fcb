// The package must bundle for a browser: no module of the build may import a
// Node built-in or use Node globals, and chevrotain is the only dependency.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = import.meta.dirname;
const NODE_ONLY = /from ['"]node:|require\(|\bprocess\.|\bBuffer\b|import\.meta\.dirname/;

function buildModules(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return buildModules(path);
    const isTest = entry.name.includes('.test.') || entry.name.startsWith('test-');
    return entry.name.endsWith('.ts') && !isTest ? [path] : [];
  });
}

describe('browser bundle', () => {
  it.each(buildModules(root).map((path) => relative(root, path)))(
    '%s uses no Node-only API',
    (path) => {
      expect(readFileSync(join(root, path), 'utf8')).not.toMatch(NODE_ONLY);
    },
  );

  it('depends on chevrotain only', () => {
    const manifest = JSON.parse(readFileSync(join(root, '../package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies ?? {})).toEqual(['chevrotain']);
  });
});
