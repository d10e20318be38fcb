import { execFile, spawn } from 'node:child_process';
import { access, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { useCliBench } from './test-bench.js';
import { GANTRY_BIN, runGantry } from './test-cli.js';

const bench = useCliBench();
/** Ids of step containers that a failing test may leave, removed after each test. */
const stepContainers: string[] = [];

afterEach(async () => {
  for (const id of stepContainers.splice(0)) {
    await bench.engine.containers.remove(id, { force: true }).catch(() => {});
  }
});

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('gantry build output closed', () => {
  it('stops the build and removes its container', async () => {
    const folder = await bench.contextWith(
      'FROM busybox:latest\nRUN echo start; sleep 3; echo end\n',
    );
    let shortId = '';
    const run = await bench.gantryBuild(['--no-cache', folder], {
      onStdout: (chunk, child) => {
        const running = / ---> Running in ([0-9a-f]{12})/.exec(chunk);
        if (running?.[1] === undefined || shortId !== '') return;
        shortId = running[1];
        // The reader goes away, as `head` does once it has its lines.
        child.stdout?.destroy();
      },
    });
    const left = await bench.engine.containers.list({ all: true });
    const leftIds = left.map((container) => container.Id).filter((id) => id.startsWith(shortId));
    stepContainers.push(...leftIds);
    expect(shortId).not.toBe('');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('its output (stdout) was closed');
    expect(leftIds).toEqual([]);
  });
});

describe('gantry build --iidfile', () => {
  it('removes a stale file on failure', async () => {
    const folder = await bench.contextWith('FROM busybox:latest\nRUN exit 3\n');
    const iidfile = join(folder, 'iid');
    await writeFile(iidfile, 'sha256:stale');
    const run = await bench.gantryBuild(['--iidfile', iidfile, folder]);
    expect(run.code).toBe(3);
    expect(await exists(iidfile)).toBe(false);
  });

  it('names a path it cannot write', async () => {
    const folder = await bench.contextWith('FROM busybox:latest\nENV A=1\n');
    const iidfile = join(folder, 'missing', 'iid');
    const run = await bench.gantryBuild(['--iidfile', iidfile, folder]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`--iidfile "${iidfile}"`);
    expect(run.stderr).toContain('create its folder or pass a writable path');
  });
});

describe('gantry command-line values', () => {
  it('exits 2 on an invalid --tag', async () => {
    const folder = await bench.contextWith('FROM busybox:latest\n');
    const run = await bench.gantryBuild(['-t', 'Bad:Tag:x', folder]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Invalid --tag value "Bad:Tag:x"');
    expect(run.stderr).toContain("See 'gantry build --help'.");
  });

  it('names an unknown cache flag', async () => {
    const run = await runGantry(['cache', 'prune', '--max-ag', '1h']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown flag: --max-ag; did you mean --max-age?');
  });

  it('names an unknown parse flag', async () => {
    const run = await runGantry(['parse', '--formt', 'dump', 'Dockerfile']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown flag: --formt; did you mean --format?');
  });

  it('names a missing file to parse', async () => {
    const path = join(tmpdir(), 'gantry-no-such-dockerfile');
    const run = await runGantry(['parse', path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Cannot read the Dockerfile "${path}"`);
    expect(run.stderr).toContain('check the path');
  });
});

describe('gantry build - interrupted', () => {
  it('exits 130 on SIGINT as standard input ends', async () => {
    const folder = await bench.contextWith('FROM busybox:latest\nENV A=1\n');
    const tar = await promisify(execFile)('tar', ['-cf', '-', '-C', folder, 'Dockerfile'], {
      encoding: 'buffer',
    });
    // A private TMPDIR shows whether the extracted context folder was removed.
    const temporary = await bench.newFolder();
    const args = ['build', '-q', '--label', bench.fixture.labelFilter, '-'];
    const child = spawn(GANTRY_BIN, args, {
      env: { ...process.env, XDG_CACHE_HOME: bench.cacheHome, TMPDIR: temporary },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.write(tar.stdout);
    // gantry creates the context folder once it reads, with its SIGINT handler set.
    while ((await readdir(temporary)).length === 0) await sleep(20);
    // Ctrl-C in a shell reaches the writer of gantry's input too, so the input
    // ends as SIGINT arrives.
    child.stdin.end();
    setTimeout(() => child.kill('SIGINT'), 1);
    expect(await exited).toBe(130);
    expect(stdout).toBe('');
    expect(await readdir(temporary)).toEqual([]);
  });
});
