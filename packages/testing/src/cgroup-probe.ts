/** Reading a RUN container's ulimits and cgroup settings, for the resource-flag tests. */
import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Returns a shell command that runs `ulimits` (such as `ulimit -Sn && ulimit
 * -Hn`), then prints the CPU CFS period and quota, the memory nodes and, on
 * cgroup v1, the parent cgroup of the container it runs in. cgroup v1 has a
 * hierarchy per controller, and the memory line of `/proc/self/cgroup` is
 * `N:memory:<parent>/<container id>`. cgroup v2 has one hierarchy, whose
 * `cpu.max` contains `quota period`.
 */
export function cgroupProbe(cgroupVersion: string, ulimits: string): string {
  if (cgroupVersion === '2') {
    return `${ulimits} && cat /sys/fs/cgroup/cpu.max /sys/fs/cgroup/cpuset.mems`;
  }
  return [
    ulimits,
    'cat /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu/cpu.cfs_quota_us',
    'cat /sys/fs/cgroup/cpuset/cpuset.mems',
    String.raw`sed -n 's|^[0-9]*:memory:\(.*\)/[0-9a-f]*$|\1|p' /proc/self/cgroup`,
  ].join(' && ');
}

/**
 * Removes the empty cgroup folders that the engine made for a parent cgroup
 * and leaves behind. Errors are ignored, because only root on the engine's
 * host can remove them.
 */
export async function removeParentCgroup(parent: string): Promise<void> {
  const controllers = await readdir('/sys/fs/cgroup').catch(() => []);
  for (const controller of controllers) {
    await rmdir(join('/sys/fs/cgroup', controller, parent)).catch(() => {});
  }
}
