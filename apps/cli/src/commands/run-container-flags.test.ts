import { cgroupProbe, removeParentCgroup } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { useCliBench } from '../test-bench.js';

const bench = useCliBench();

describe('gantry build cgroup and ulimit flags', () => {
  it('reach RUN steps', async () => {
    const info = await bench.engine.system.info();
    const cgroupVersion = String(info.CgroupVersion ?? '1');
    const parent = `/gantry-cli-test-${bench.fixture.runId}`;
    const folder = await bench.contextWith(
      `FROM busybox:latest\nRUN ${cgroupProbe(cgroupVersion, 'ulimit -Sn && ulimit -Hn')}\n`,
    );
    const flags = ['--no-cache', '--ulimit', 'nofile=1024:2048', '--cgroup-parent', parent];
    const more = ['--cpu-period', '100000', '--cpu-quota', '50000', '--cpuset-mems', '0'];
    const accepted = ['--isolation', 'default', '--security-opt', ''];
    try {
      const run = await bench.gantryBuild([...flags, ...more, ...accepted, folder]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      // NOTE: the cgroup v2 values are untested, because the test machine's engine uses cgroup v1.
      const cgroups = cgroupVersion === '2' ? '50000 100000\n0\n' : `100000\n50000\n0\n${parent}\n`;
      expect(run.stdout).toContain(`1024\n2048\n${cgroups}`);
    } finally {
      await removeParentCgroup(parent);
    }
  });

  it('exits 1 with the engine message for a CPU period', async () => {
    const folder = await bench.contextWith('FROM busybox:latest\nRUN true\n');
    const run = await bench.gantryBuild(['--no-cache', '--cpu-period', '10', folder]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)',
    );
  });

  it.each([
    [['--ulimit', 'nofile=2048:1024'], 'Invalid --ulimit value "nofile=2048:1024"'],
    [['--security-opt', 'seccomp=unconfined'], 'does not support security options on build'],
    [['--isolation', 'hyperv'], 'Invalid --isolation value "hyperv"'],
  ])('exits 2 on %j', async (flags, message) => {
    const folder = await bench.contextWith('FROM busybox:latest\n');
    const run = await bench.gantryBuild([...flags, folder]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("See 'gantry build --help'.");
    expect(run.stdout).toBe('');
  });
});
