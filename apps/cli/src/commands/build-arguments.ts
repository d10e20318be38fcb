/** The command line of `gantry build`, read into builder options. */
import { parseArgs } from 'node:util';
import {
  type KeepContainers,
  NETWORK_MODES,
  type NetworkMode,
  type RunContainerSettings,
  tagProblem,
} from '@gantry/builder';
import { suggestName } from '@gantry/dockerfile';
import { LOG_FORMATS, type LogFormat } from '@gantry/log-format';
import { dockerOnlyFlagMessage, unknownFlagMessage } from '../flag-messages.js';
import { UsageError } from '../usage-error.js';
import { parseBoolean, readBoolean } from './boolean-flag.js';
import { readRemoveFlags } from './remove-flags.js';
import { readRunContainer } from './run-container-flags.js';
import { checkIsolation, checkSecurityOpts } from './windows-only-flags.js';

const PULL_POLICIES = ['always', 'missing', 'never'] as const;

/** The request of one `gantry build` command line. */
export interface BuildArguments {
  readonly help: boolean;
  /** The build context folder, or `-` for a tar or a Dockerfile on standard input. */
  readonly contextDir: string;
  /** `-f` as given; `-` for standard input. */
  readonly file: string | undefined;
  readonly tags: string[];
  readonly buildArgs: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly target: string | undefined;
  readonly noCache: boolean;
  readonly iidfile: string | undefined;
  readonly network: NetworkMode | undefined;
  readonly pull: (typeof PULL_POLICIES)[number];
  readonly progress: LogFormat;
  /** From `--rm` and `--force-rm`. */
  readonly keepContainers: KeepContainers;
  /** Platform of base images to pull (`--platform`). */
  readonly platform: string | undefined;
  /** From `--add-host`, `--shm-size`, the memory and CPU flags, `--cgroup-parent` and `--ulimit`. */
  readonly runContainer: RunContainerSettings | undefined;
}

const OPTIONS = {
  tag: { type: 'string', short: 't', multiple: true },
  file: { type: 'string', short: 'f' },
  'build-arg': { type: 'string', multiple: true },
  label: { type: 'string', multiple: true },
  target: { type: 'string' },
  'no-cache': { type: 'boolean' },
  iidfile: { type: 'string' },
  network: { type: 'string' },
  pull: { type: 'string' },
  progress: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  platform: { type: 'string' },
  'add-host': { type: 'string', multiple: true },
  'shm-size': { type: 'string' },
  memory: { type: 'string', short: 'm' },
  'memory-swap': { type: 'string' },
  'cpu-shares': { type: 'string', short: 'c' },
  'cpuset-cpus': { type: 'string' },
  'cpuset-mems': { type: 'string' },
  'cpu-period': { type: 'string' },
  'cpu-quota': { type: 'string' },
  'cgroup-parent': { type: 'string' },
  ulimit: { type: 'string', multiple: true },
  'security-opt': { type: 'string', multiple: true },
  isolation: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Reads the arguments after `build`.
 *
 * @throws UsageError for an unknown flag, a bad value or a missing PATH.
 */
export function readBuildArguments(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): BuildArguments {
  const removeFlags = readRemoveFlags(argv);
  const { values, positionals } = parse(withPullDefault(withDockerFlagForms(removeFlags.argv)));
  if (values.help === true) return { ...defaults(), help: true };
  const contextDir = contextOf(positionals);
  if (contextDir === '-' && values.file === '-') {
    throw new UsageError(
      'Standard input cannot be both the build context (PATH "-") and the Dockerfile (-f -); pass one of them as a file',
      'build',
    );
  }
  checkSecurityOpts(values['security-opt'] ?? []);
  checkIsolation(values.isolation);
  return {
    help: false,
    contextDir,
    file: values.file,
    tags: checkTags(values.tag ?? []),
    buildArgs: readBuildArgs(values['build-arg'] ?? [], env),
    labels: readLabels(values.label ?? []),
    target: values.target,
    noCache: values['no-cache'] === true,
    iidfile: values.iidfile,
    network:
      values.network === undefined ? undefined : oneOf('--network', values.network, NETWORK_MODES),
    pull: readPull(values.pull),
    progress:
      values.quiet === true
        ? 'quiet'
        : oneOf('--progress', values.progress ?? 'classic', LOG_FORMATS),
    keepContainers: removeFlags.keepContainers,
    runContainer: readRunContainer(values),
    platform: readPlatform(values.platform),
  };
}

/**
 * Reads `--platform`: `os/arch[/variant]`, or an OS or an architecture alone,
 * which the engine completes with its own, as Engine 20.10.24 does for
 * `docker build --platform linux`. An empty value is no platform.
 */
function readPlatform(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^[a-z0-9_.-]+(\/[a-z0-9_.-]+){0,2}$/i.test(value)) return value;
  throw new UsageError(
    `Invalid --platform value ${JSON.stringify(value)}; write os/arch[/variant], such as linux/amd64, or an OS or architecture alone`,
    'build',
  );
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const dockerOnly = dockerOnlyFlagMessage(message);
    if (dockerOnly !== undefined) throw new UsageError(dockerOnly, 'build', { cause: error });
    throw new UsageError(
      unknownFlagMessage(message, [...Object.keys(OPTIONS), 'rm', 'force-rm']) ?? message,
      'build',
      {
        cause: error,
      },
    );
  }
}

/**
 * Rewrites the flag forms that the docker CLI's parser takes and Node's
 * `parseArgs` reads otherwise: a value after `=` on a short flag (`-f=path`,
 * which `parseArgs` reads as `=path`), `=true` or `=false` on a boolean
 * flag (`-q=true`, `--no-cache=false`), and a value that starts with a dash
 * (`--cpu-quota -1`). Arguments after `--` stay as they are.
 */
function withDockerFlagForms(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  const flags = end === -1 ? argv : argv.slice(0, end);
  const rest = end === -1 ? [] : argv.slice(end);
  return [...joinDashValues(flags).flatMap(rewriteFlag), ...rest];
}

/**
 * Joins a string flag and a next argument that starts with a dash into
 * `--name=value`, because the docker CLI takes the next argument as the value
 * whatever it is, and `parseArgs` rejects such a value as ambiguous. `--pull`
 * is left alone, because its value is optional (see {@link withPullDefault}).
 */
function joinDashValues(flags: readonly string[]): string[] {
  const joined: string[] = [];
  for (let index = 0; index < flags.length; index++) {
    const flag = flags[index] ?? '';
    const next = flags[index + 1];
    const name = stringOptionName(flag);
    if (name === undefined || name === 'pull' || next === undefined || !/^-./.test(next)) {
      joined.push(flag);
      continue;
    }
    joined.push(`--${name}=${next}`);
    index++;
  }
  return joined;
}

/** Returns the long name of a string option written as `--name` or `-x`, without a value. */
function stringOptionName(flag: string): string | undefined {
  const entry = Object.entries(OPTIONS).find(
    ([name, option]) => flag === `--${name}` || ('short' in option && flag === `-${option.short}`),
  );
  return entry?.[1].type === 'string' ? entry[0] : undefined;
}

function rewriteFlag(argument: string): string[] {
  const match = /^(-[a-zA-Z]|--[a-z-]+)=(.*)$/s.exec(argument);
  const flag = match?.[1];
  const value = match?.[2] ?? '';
  const option = flag === undefined ? undefined : optionOf(flag);
  // Unknown flags stay as written, so that parseArgs reports them.
  if (flag === undefined || option === undefined) return [argument];
  if (option.type === 'boolean') return readBoolean(flag, value) ? [flag] : [];
  return flag.startsWith('--') ? [argument] : [flag, value];
}

function optionOf(flag: string): { readonly type: string } | undefined {
  if (flag.startsWith('--')) return OPTIONS[flag.slice(2) as keyof typeof OPTIONS];
  return Object.values(OPTIONS).find((option) => 'short' in option && option.short === flag[1]);
}

/**
 * Reads `--pull`: a policy, or a boolean as docker build's `--pull=true`
 * (always) and `--pull=false` (missing, the default) give it.
 */
function readPull(value: string | undefined): (typeof PULL_POLICIES)[number] {
  if (value === undefined) return 'missing';
  const pull = parseBoolean(value);
  if (pull !== undefined) return pull ? 'always' : 'missing';
  return oneOf('--pull', value, PULL_POLICIES);
}

/** `--pull` alone means `--pull=always`, as `docker build --pull` does. */
function withPullDefault(argv: readonly string[]): string[] {
  return argv.map((argument, index) => {
    if (argument !== '--pull') return argument;
    const next = argv[index + 1];
    return next !== undefined && (PULL_POLICIES as readonly string[]).includes(next)
      ? argument
      : '--pull=always';
  });
}

function contextOf(positionals: string[]): string {
  if (positionals.length !== 1) {
    throw new UsageError(
      `"gantry build" requires exactly 1 argument, the build context PATH; received ${positionals.length}`,
      'build',
    );
  }
  return positionals[0] ?? '';
}

/** Rejects an invalid `-t` as a command-line error, before the context is read. */
function checkTags(tags: string[]): string[] {
  for (const tag of tags) {
    const problem = tagProblem(tag);
    if (problem === undefined) continue;
    throw new UsageError(
      `Invalid --tag value ${JSON.stringify(tag)}: invalid reference format: ${problem}; write [host[:port]/]name[:tag]`,
      'build',
    );
  }
  return tags;
}

function readBuildArgs(items: readonly string[], env: NodeJS.ProcessEnv): Record<string, string> {
  const args: Record<string, string> = {};
  for (const item of items) {
    const equals = item.indexOf('=');
    if (equals === -1) {
      // As with docker build, NAME alone takes the value from the environment, or is dropped.
      const value = env[item];
      if (value !== undefined) args[item] = value;
    } else {
      args[item.slice(0, equals)] = item.slice(equals + 1);
    }
  }
  return args;
}

function readLabels(items: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of items) {
    const equals = item.indexOf('=');
    if (equals === 0) {
      throw new UsageError(`Invalid label ${JSON.stringify(item)}; write key=value`, 'build');
    }
    if (equals === -1) labels[item] = '';
    else labels[item.slice(0, equals)] = item.slice(equals + 1);
  }
  return labels;
}

function oneOf<const T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const nearest = suggestName(value, allowed);
  const hint = nearest === undefined ? '' : `; did you mean ${nearest}?`;
  throw new UsageError(
    `Invalid ${flag} value ${JSON.stringify(value)}; use one of ${allowed.join(', ')}${hint}`,
    'build',
  );
}

function defaults(): BuildArguments {
  return {
    help: false,
    contextDir: '',
    file: undefined,
    tags: [],
    buildArgs: {},
    labels: {},
    target: undefined,
    noCache: false,
    iidfile: undefined,
    network: undefined,
    pull: 'missing',
    progress: 'classic',
    keepContainers: 'none',
    runContainer: undefined,
    platform: undefined,
  };
}
