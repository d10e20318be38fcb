import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useCliBench } from './test-bench.js';
import { runGantry } from './test-cli.js';

const execFileAsync = promisify(execFile);

const bench = useCliBench();

describe('gantry', () => {
  it('prints its version', async () => {
    const run = await runGantry(['version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^gantry \d+\.\d+\.\d+\n/);
  });

  it('prints build help', async () => {
    const run = await runGantry(['build', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage:  gantry build [OPTIONS] PATH');
  });

  it('exits 2 on an unknown flag', async () => {
    const run = await runGantry(['build', '--nope', '.']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("See 'gantry build --help'.");
  });

  it('suggests the nearest flag', async () => {
    const run = await runGantry(['build', '--tagg', 'x', '.']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown flag: --tagg; did you mean --tag?');
  });

  it('prints version help', async () => {
    const run = await runGantry(['version', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage:  gantry version');
  });

  it('exits 2 on an unknown command', async () => {
    const run = await runGantry(['bild']);
    expect(run.code).toBe(2);
  });

  it('exits 2 on a bad --progress', async () => {
    const run = await runGantry(['build', '--progress', 'fancy', '.']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('use one of classic, plain');
  });
});

describe('gantry build', () => {
  it('builds, tags and writes --iidfile', async () => {
    const folder = await bench.contextWith('FROM busybox:latest\nENV A=1\nRUN echo built\n');
    const tag = bench.fixture.trackImage(`gantry-cli-test:${bench.fixture.runId}`);
    const iidfile = join(folder, 'iid');
    const run = await bench.gantryBuild(['-t', tag, '--iidfile', iidfile, folder]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Step 3/4 : RUN echo built\n');
    expect(run.stdout).toContain(`Successfully tagged ${tag}\n`);
    const imageId = await readFile(iidfile, 'utf8');
    expect((await bench.engine.images.inspect(tag)).Id).toBe(imageId);
  });

  it('prints only the image id with -q', async () => {
    const folder = await bench.contextWith('FROM busybox:latest\nENV A=2\n');
    const run = await bench.gantryBuild(['-q', folder]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
  });

  it('reads the Dockerfile from stdin with -f -', async () => {
    const folder = await bench.contextWith('FROM busybox:latest\nENV FROM_FILE=1\n');
    const run = await bench.gantryBuild(['-f', '-', '-q', folder], {
      input: 'FROM busybox:latest\nENV FROM_STDIN=1\n',
    });
    expect(run.code).toBe(0);
    const image = await bench.engine.images.inspect(run.stdout.trim());
    expect(image.Config?.Env).toContain('FROM_STDIN=1');
  });

  it('writes NDJSON events with --progress json', async () => {
    const folder = await bench.contextWith('FROM busybox:latest\nENV A=3\n');
    const run = await bench.gantryBuild(['--progress', 'json', folder]);
    expect(run.code).toBe(0);
    const types = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).type);
    expect(types[0]).toBe('build-start');
    expect(types.at(-1)).toBe('build-done');
  });

  it('exits 1 with the classic error line when RUN fails', async () => {
    const folder = await bench.contextWith('FROM busybox:latest\nRUN false\n');
    const run = await bench.gantryBuild([folder]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("The command '/bin/sh -c false' returned a non-zero code: 1\n");
  });

  it('exits with the code of a failed RUN, as docker build does', async () => {
    const folder = await bench.contextWith('FROM busybox:latest\nRUN exit 3\n');
    const run = await bench.gantryBuild([folder]);
    const classic = await execFileAsync('/usr/bin/docker', ['build', '--force-rm', folder], {
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
    }).then(
      () => 0,
      (error: { code: number }) => error.code,
    );
    expect(classic).toBe(3);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe("The command '/bin/sh -c exit 3' returned a non-zero code: 3\n");
  });

  it('keeps a failing step container with --force-rm=false', async () => {
    const folder = await bench.contextWith('FROM busybox:latest\nRUN exit 3\n');
    const run = await bench.gantryBuild(['--force-rm=false', folder]);
    const id = /---> Running in ([0-9a-f]{12})/.exec(run.stdout)?.[1] ?? 'none';
    const inspect = ['inspect', '--format', '{{.State.ExitCode}}', id];
    const exitCode = await execFileAsync('/usr/bin/docker', inspect).then(
      ({ stdout }) => stdout.trim(),
      () => 'no container',
    );
    // The container goes before any check, so that a failing check leaves none behind.
    await execFileAsync('/usr/bin/docker', ['rm', '--force', id]).catch(() => {});
    expect(run.code).toBe(3);
    expect(exitCode).toBe('3');
  });

  it('passes --add-host and --memory to RUN steps', async () => {
    const probe = 'grep gantry-db /etc/hosts && cat /sys/fs/cgroup/memory/memory.limit_in_bytes';
    const folder = await bench.contextWith(`FROM busybox:latest\nRUN ${probe}\n`);
    const flags = ['--no-cache', '--add-host', 'gantry-db:10.1.2.3', '-m', '128m'];
    const run = await bench.gantryBuild([...flags, folder]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('10.1.2.3\tgantry-db\n134217728\n');
  });

  it('exits 1 and names a missing target', async () => {
    const folder = await bench.contextWith('FROM busybox:latest AS base\n');
    const run = await bench.gantryBuild(['--target', 'nope', folder]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('failed to reach build target nope');
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('exits on %s and removes the running container', async (signal, code) => {
    const folder = await bench.contextWith('FROM busybox:latest\nRUN sleep 60\n');
    let containerId = '';
    const run = await bench.gantryBuild(['--no-cache', '--progress', 'json', folder], {
      onStdout: (chunk, child) => {
        const created = /"containerId":"([0-9a-f]{64})"/.exec(chunk);
        if (created?.[1] !== undefined && containerId === '') {
          containerId = created[1];
          setTimeout(() => child.kill(signal), 500);
        }
      },
    });
    expect(run.code).toBe(code);
    expect(containerId).not.toBe('');
    const left = await bench.engine.containers.list({ all: true });
    expect(left.map((container) => container.Id)).not.toContain(containerId);
  });
});

describe('gantry parse', () => {
  it('prints the BuildKit dump and errors with locations', async () => {
    const folder = await bench.contextWith('FROM busybox AS b\nCOPY --form=x a b\n');
    const run = await runGantry(['parse', '--format', 'dump', join(folder, 'Dockerfile')]);
    expect(run.stdout).toBe('(from "busybox" "AS" "b")\n(copy ["--form=x"] "a" "b")\n');
    expect(run.stderr).toContain('Dockerfile:2:6: error: unknown flag --form');
    expect(run.stderr).not.toContain('(line 2, column 6)');
    expect(run.code).toBe(1);
  });

  it('prints stages as JSON', async () => {
    const run = await runGantry(['parse', '-'], { input: 'FROM busybox AS b\nRUN true\n' });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).stages[0].name).toBe('b');
  });
});

describe('gantry cache', () => {
  it('lists, counts and prunes the private cache', async () => {
    const folder = await bench.contextWith('FROM busybox:latest\nENV CACHED=1\n');
    await bench.gantryBuild([folder]);
    const env = { env: { XDG_CACHE_HOME: bench.cacheHome } };
    const list = await runGantry(['cache', 'ls'], env);
    expect(list.stdout).toContain('ENV CACHED=1');
    const stats = await runGantry(['cache', 'stats'], env);
    expect(stats.stdout).toMatch(/^entries: [1-9]/);
    const prune = await runGantry(['cache', 'prune', '--all'], env);
    expect(prune.stdout).toMatch(/^removed [1-9]\d* cache entries\n$/);
    const after = await runGantry(['cache', 'stats'], env);
    expect(after.stdout).toMatch(/^entries: 0\n/);
  });

  it('exits 2 on prune without a limit', async () => {
    const run = await runGantry(['cache', 'prune'], { env: { XDG_CACHE_HOME: bench.cacheHome } });
    expect(run.code).toBe(2);
  });
});

describe('gantry build flags for the engine', () => {
  it('fails with --pull=never when the base image is missing', async () => {
    const folder = await bench.contextWith('FROM 127.0.0.1:5000/gantry-missing:nope\n');
    const run = await bench.gantryBuild(['--pull=never', folder]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('does not exist locally and --pull=never is set');
  });

  it('runs RUN without a network with --network none', async () => {
    const folder = await bench.contextWith('FROM busybox:latest\nRUN ls /sys/class/net\n');
    const run = await bench.gantryBuild(['--no-cache', '--network', 'none', folder]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Running in [0-9a-f]{12}\nlo\nRemoving/);
  });
});
