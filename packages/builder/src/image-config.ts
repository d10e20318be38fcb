/** Helpers over the image config the engine stores (`Env`, `Cmd`, `Shell`...). */
import type { ImageConfig } from '@gantry/daemon';

/** The shell of shell-form commands when SHELL has not set one. */
export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];

/** The PATH a Linux stage gets when its base image sets none, as the classic builder sets it. */
export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Returns the config's `Env` as a map, in order. */
export function environmentOf(config: ImageConfig): Map<string, string> {
  const environment = new Map<string, string>();
  for (const entry of config.Env ?? []) {
    const equals = entry.indexOf('=');
    if (equals === -1) environment.set(entry, '');
    else environment.set(entry.slice(0, equals), entry.slice(equals + 1));
  }
  return environment;
}

/** Returns `Env` with `key` set to `value`, in place when the key exists, else appended. */
export function withVariable(env: readonly string[], key: string, value: string): string[] {
  const entry = `${key}=${value}`;
  const index = env.findIndex((item) => item === key || item.startsWith(`${key}=`));
  if (index === -1) return [...env, entry];
  return env.map((item, at) => (at === index ? entry : item));
}

/** Returns the shell of shell-form commands: `Shell`, or `/bin/sh -c`. */
export function shellOf(config: ImageConfig): string[] {
  return config.Shell !== undefined && config.Shell !== null && config.Shell.length > 0
    ? [...config.Shell]
    : [...DEFAULT_SHELL];
}

/** Returns a deep copy of a config, so a step never changes its parent's. */
export function copyConfig(config: ImageConfig): ImageConfig {
  return structuredClone(config);
}

/** Adds the default PATH to a stage's first config when its base image sets none. */
export function withDefaultPath(config: ImageConfig): ImageConfig {
  if (environmentOf(config).has('PATH')) return config;
  return { ...config, Env: [...(config.Env ?? []), DEFAULT_PATH] };
}
