import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { gantryBuild, useTestBench } from './test-engine.js';

const testFile = useTestBench();

// Reads what the settings change inside a RUN container (cgroup v1 on Engine 20.10 here).
const PROBE = [
  'grep gantry-host /etc/hosts',
  "df -k /dev/shm | tail -1 | awk '{print $2}'",
  'cat /sys/fs/cgroup/memory/memory.limit_in_bytes',
  'cat /sys/fs/cgroup/cpu/cpu.shares',
  'cat /sys/fs/cgroup/cpuset/cpuset.cpus',
].join(' && ');

/** Returns the output lines of the build's RUN step (step 2) from a classic log. */
function runOutput(log: string): string[] {
  const step = (log.split(/^Step 2\/\d+ : /m)[1] ?? '').split(/^Step /m)[0] ?? '';
  const lines = step.split('\n').slice(1);
  return lines.filter((line) => line !== '' && !/^( --->|Removing) /.test(line));
}

describe('runContainer settings', () => {
  it('reach RUN like docker build flags', async () => {
    const contextDir = await testFile.context({
      Dockerfile: `FROM busybox:latest\nRUN ${PROBE}\n`,
    });
    const { stdout } = await promisify(execFile)(
      '/usr/bin/docker',
      [
        ...['build', '--no-cache', '--force-rm', '--label', testFile.bench.fixture.labelFilter],
        ...['--add-host', 'gantry-host:10.9.8.7', '--shm-size', '96m', '--memory', '256m'],
        ...['--cpu-shares', '512', '--cpuset-cpus', '0', contextDir],
      ],
      { env: { ...process.env, DOCKER_BUILDKIT: '0' } },
    );
    const built = await gantryBuild(testFile.bench, {
      contextDir,
      noCache: true,
      runContainer: {
        extraHosts: ['gantry-host:10.9.8.7'],
        shmSize: 96 * 1024 * 1024,
        memory: 256 * 1024 * 1024,
        cpuShares: 512,
        cpusetCpus: '0',
      },
    });
    expect(built.error).toBeUndefined();
    const expected = runOutput(stdout);
    expect(expected).toEqual([
      '10.9.8.7\tgantry-host',
      '98304',
      String(256 * 1024 * 1024),
      '512',
      '0',
    ]);
    expect(runOutput(built.log)).toEqual(expected);
  });
});
