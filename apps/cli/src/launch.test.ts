// The executable keeps V8's code cache of the bundle under XDG_CACHE_HOME.
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runGantry } from './test-cli.js';

const folders: string[] = [];

afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function cacheHome(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'gantry-code-cache-'));
  folders.push(folder);
  return folder;
}

async function cacheFiles(home: string): Promise<string[]> {
  return readdir(join(home, 'gantry', 'code-cache')).catch(() => []);
}

describe('code cache', () => {
  it('writes one file per command', async () => {
    const home = await cacheHome();
    const first = await runGantry(['version'], { env: { XDG_CACHE_HOME: home } });
    expect(first.code).toBe(0);
    const files = await cacheFiles(home);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(
      new RegExp(`^${process.version}-${process.arch}-\\d+-\\d+-version\\.bin$`),
    );

    await runGantry(['parse', '--help'], { env: { XDG_CACHE_HOME: home } });
    expect(await cacheFiles(home)).toHaveLength(2);
  });

  it('replaces a garbled cache file', async () => {
    const home = await cacheHome();
    await runGantry(['version'], { env: { XDG_CACHE_HOME: home } });
    const [name] = await cacheFiles(home);
    const file = join(home, 'gantry', 'code-cache', name ?? '');
    await writeFile(file, 'not a code cache');

    const run = await runGantry(['version'], { env: { XDG_CACHE_HOME: home } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^gantry \d+\.\d+\.\d+\n/);
    const { size } = await stat(file);
    expect(size).toBeGreaterThan(1000);
  });

  it('removes the caches of another bundle', async () => {
    const home = await cacheHome();
    const folder = join(home, 'gantry', 'code-cache');
    await runGantry(['version'], { env: { XDG_CACHE_HOME: home } });
    await writeFile(join(folder, 'v0.0.0-x64-1-1-build.bin'), 'old');

    await rm(join(folder, (await cacheFiles(home))[0] ?? ''));
    await runGantry(['version'], { env: { XDG_CACHE_HOME: home } });
    expect(await cacheFiles(home)).not.toContain('v0.0.0-x64-1-1-build.bin');
  });

  it('is off with GANTRY_CODE_CACHE=0', async () => {
    const home = await cacheHome();
    const run = await runGantry(['version'], {
      env: { XDG_CACHE_HOME: home, GANTRY_CODE_CACHE: '0' },
    });
    expect(run.code).toBe(0);
    expect(await cacheFiles(home)).toEqual([]);
  });

  it('is skipped under --enable-source-maps', async () => {
    const home = await cacheHome();
    const run = await runGantry(['version'], {
      env: { XDG_CACHE_HOME: home, NODE_OPTIONS: '--enable-source-maps' },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^gantry \d+\.\d+\.\d+\n/);
    expect(await cacheFiles(home)).toEqual([]);
  });

  it('does not stop gantry when the folder cannot be written', async () => {
    const home = await cacheHome();
    await writeFile(join(home, 'gantry'), 'a file where the folder should be');
    const run = await runGantry(['version'], { env: { XDG_CACHE_HOME: home } });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });
});

describe('debug logs', () => {
  it('prints the daemon log with DEBUG set, and nothing without it', async () => {
    const home = await cacheHome();
    const env = { XDG_CACHE_HOME: home };
    const logged = await runGantry(['cache', 'ls'], { env: { ...env, DEBUG: 'gantry:daemon' } });
    expect(logged.code).toBe(0);
    expect(logged.stderr).toContain('gantry:daemon engine found');
    const quiet = await runGantry(['cache', 'ls'], { env });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });
});
