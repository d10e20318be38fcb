import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cgroupProbe, removeParentCgroup } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { BuildError } from './errors.js';
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

describe('runContainer cgroup settings', () => {
  it('reach RUN like docker build flags', async () => {
    const { bench } = testFile;
    const info = await bench.engine.system.info();
    const cgroupVersion = String(info.CgroupVersion ?? '1');
    const parent = `/gantry-test-${bench.fixture.runId}`;
    const contextDir = await testFile.context({
      Dockerfile: `FROM busybox:latest\nRUN ${cgroupProbe(cgroupVersion, 'ulimit -n && ulimit -Sn && ulimit -Hn && ulimit -Sc && ulimit -Hc')}\n`,
    });
    try {
      const { stdout } = await promisify(execFile)(
        '/usr/bin/docker',
        [
          ...['build', '--no-cache', '--force-rm', '--label', bench.fixture.labelFilter],
          ...['--ulimit', 'nofile=1024:2048', '--ulimit', 'core=0:-1', '--cgroup-parent', parent],
          ...['--cpu-period', '100000', '--cpu-quota', '50000', '--cpuset-mems', '0', contextDir],
        ],
        { env: { ...process.env, DOCKER_BUILDKIT: '0' } },
      );
      const built = await gantryBuild(bench, {
        contextDir,
        noCache: true,
        runContainer: {
          ulimits: [
            { name: 'nofile', soft: 1024, hard: 2048 },
            { name: 'core', soft: 0, hard: -1 },
          ],
          cgroupParent: parent,
          cpuPeriod: 100000,
          cpuQuota: 50000,
          cpusetMems: '0',
        },
      });
      expect(built.error).toBeUndefined();
      const expected = runOutput(stdout);
      const ulimits = ['1024', '1024', '2048', '0', 'unlimited'];
      // NOTE: the cgroup v2 values are untested. A cgroup v2 container has its own
      // cgroup namespace, so the probe cannot see the parent cgroup there.
      const cgroups =
        cgroupVersion === '2' ? ['50000 100000', '0'] : ['100000', '50000', '0', parent];
      expect(expected).toEqual([...ulimits, ...cgroups]);
      expect(runOutput(built.log)).toEqual(expected);
    } finally {
      await removeParentCgroup(parent);
    }
  });

  it('fail RUN when the engine rejects one', async () => {
    const contextDir = await testFile.context({
      Dockerfile: 'FROM busybox:latest\nRUN true\n',
    });
    const classic = await promisify(execFile)(
      '/usr/bin/docker',
      ['build', '--no-cache', '--force-rm', '--cpu-period', '10', contextDir],
      { env: { ...process.env, DOCKER_BUILDKIT: '0' } },
    ).catch((error: { stderr: string }) => error);
    const built = await gantryBuild(testFile.bench, {
      contextDir,
      noCache: true,
      runContainer: { cpuPeriod: 10 },
    });
    const message =
      'CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)';
    expect(classic.stderr).toBe(`${message}\n`);
    expect(built.error).toBeInstanceOf(BuildError);
    expect((built.error as BuildError).message).toBe(`${message} (step 2, line 2: RUN true)`);
    expect((built.error as BuildError).code).toBe('ERR_STEP_FAILED');
  });
});
