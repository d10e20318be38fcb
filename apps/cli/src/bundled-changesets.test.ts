/**
 * The gantry bin is one bundle that contains the workspace packages it
 * builds on, so they are devDependencies, and changesets does not release
 * the CLI when only they change. This test fails when a pending changeset
 * releases a package in the bundle and none releases the CLI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'apps/cli/package.json'), 'utf8')) as {
  name: string;
  devDependencies: Record<string, string>;
};

/** Returns the package names in a changeset's front matter. */
function releasedPackages(text: string): string[] {
  const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
  return [...front.matchAll(/^\s*["']?(@?[\w./-]+)["']?\s*:/gm)].map((match) => match[1] ?? '');
}

describe('pending changesets', () => {
  it('release the CLI with its bundled packages', () => {
    const folder = join(root, '.changeset');
    const pending = readdirSync(folder)
      .filter((name) => name.endsWith('.md') && name !== 'README.md')
      .map((name) => ({
        name,
        packages: releasedPackages(readFileSync(join(folder, name), 'utf8')),
      }));
    const bundled = Object.keys(manifest.devDependencies).filter((name) => {
      const range = manifest.devDependencies[name] ?? '';
      return range.startsWith('workspace:') && name !== '@gantry/testing';
    });
    const releasesBundled = pending.filter((changeset) =>
      changeset.packages.some((name) => bundled.includes(name)),
    );
    const releasesCli = pending.some((changeset) => changeset.packages.includes(manifest.name));
    const names = releasesBundled.map((changeset) => changeset.name).join(', ');
    expect(
      releasesBundled.length === 0 || releasesCli,
      `${names} release packages that the gantry bundle contains; add a changeset for ${manifest.name} too`,
    ).toBe(true);
  });

  it('finds the packages of a changeset', () => {
    const text = '---\n"@gantry/builder": patch\n\'@gantry/cli\': minor\n---\n\nText: here.\n';
    expect(releasedPackages(text)).toEqual(['@gantry/builder', '@gantry/cli']);
  });
});
