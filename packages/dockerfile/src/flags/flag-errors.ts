// Errors about a flag's name or presence, shared by parseFlag and checkInstructionFlags.
import { suggestName } from '../suggest.js';
import { FlagError } from './errors.js';

/** Builds the error for a flag that needs `=value` but has none. @internal */
export function missingValue(name: string): FlagError {
  const example = `--${name}=${EXAMPLE_VALUES[name] ?? 'value'}`;
  return new FlagError('missing-value', `Missing a value for --${name}: write it as ${example}.`, {
    flag: name,
    example,
  });
}

const EXAMPLE_VALUES: Readonly<Record<string, string>> = {
  platform: 'linux/amd64',
  from: 'build',
  chown: '1000:1000',
  chmod: '755',
  exclude: '*.md',
  checksum: 'sha256:<digest>',
  mount: 'type=cache,target=/root/.cache',
  network: 'none',
  security: 'insecure',
  device: 'name',
  interval: '30s',
  timeout: '30s',
  'start-period': '5s',
  'start-interval': '5s',
  retries: '3',
  link: 'true',
  parents: 'true',
  'keep-git-dir': 'true',
  unpack: 'true',
};

/** Builds the error for a flag the instruction does not take, with the closest one. @internal */
export function unknownFlag(
  instruction: string,
  name: string,
  value: string | undefined,
  accepted: readonly string[],
): FlagError {
  const keyword = instruction.toUpperCase();
  const suggestion = suggestName(name, accepted);
  const takes =
    accepted.length === 0
      ? `${keyword} takes no flags`
      : `${keyword} takes ${accepted.map((flag) => `--${flag}`).join(', ')}`;
  const hint = suggestion === undefined ? '' : ` Did you mean --${suggestion}?`;
  return new FlagError('unknown-flag', `Unknown flag --${name} for ${keyword}: ${takes}.${hint}`, {
    flag: name,
    value,
    expected: takes,
    suggestion,
  });
}
