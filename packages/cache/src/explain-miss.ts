/**
 * Explains a cache miss by comparing a step's inputs with the inputs of the
 * previous build of the same step. Each reason is data with a ready message,
 * so plain, TTY and JSON logs can all show it.
 */
import type { CacheKeyInputs, FileInput } from './cache-key.js';
import { flagValues } from './cache-key.js';
import { compareCodePoints, sortedPairs } from './canonical.js';

/** A reason for a cache miss. */
export type MissReason =
  | { readonly kind: 'no-previous-build'; readonly message: string }
  | { readonly kind: 'image-missing'; readonly imageId: string; readonly message: string }
  | ValueChange<'parent' | 'platform' | 'instruction' | 'source-image' | 'producer'>
  | ValueChange<'arguments'>
  | NamedChange<'flag' | 'build-arg' | 'env'>
  | FileChange
  | { readonly kind: 'key-format'; readonly message: string };

/** A single input whose value changed. */
export interface ValueChange<K extends string> {
  readonly kind: K;
  readonly before: string;
  readonly after: string;
  readonly message: string;
}

/** A named input (flag, build arg, environment variable) that changed, appeared or went away. */
export interface NamedChange<K extends string> {
  readonly kind: K;
  readonly name: string;
  /** Value in the previous build; absent when the input is new. */
  readonly before?: string;
  /** Value now; absent when the input was removed. */
  readonly after?: string;
  readonly message: string;
}

/** Source files that changed, appeared or went away, grouped by their common folder. */
export interface FileChange {
  readonly kind: 'files';
  readonly change: 'changed' | 'added' | 'removed';
  /** Deepest folder that contains every path, `''` for the context root. */
  readonly directory: string;
  /** Every affected path, relative to the context root, in code point order. */
  readonly paths: readonly string[];
  readonly message: string;
}

/** Number of file names a files message lists before "and N more". */
const LISTED_FILES = 5;
/** Maximum length of a quoted value before the message truncates it. */
const QUOTED_LENGTH = 60;

/**
 * Lists the inputs that differ between the previous build of a step and now.
 * Returns `no-previous-build` when there is no previous build, and
 * `key-format` when the inputs are equal (the key derivation changed).
 */
export function explainMiss(
  previous: CacheKeyInputs | undefined,
  current: CacheKeyInputs,
): MissReason[] {
  if (previous === undefined) {
    return [{ kind: 'no-previous-build', message: 'no earlier build of this step is cached' }];
  }
  const reasons: MissReason[] = [
    ...valueChanges(previous, current),
    ...namedChanges('flag', flagRecord(previous), flagRecord(current)),
    ...namedChanges('build-arg', previous.buildArgs ?? {}, current.buildArgs ?? {}),
    ...namedChanges('env', previous.env ?? {}, current.env ?? {}),
    ...fileChanges(previous.files ?? [], current.files ?? []),
  ];
  if (reasons.length === 0) {
    return [
      { kind: 'key-format', message: 'inputs are unchanged but the cache key format changed' },
    ];
  }
  return reasons;
}

function valueChanges(previous: CacheKeyInputs, current: CacheKeyInputs): MissReason[] {
  const pairs: [ValueChange<string>['kind'], string, string, string][] = [
    ['parent', 'parent image', previous.parent, current.parent],
    ['platform', 'platform', previous.platform, current.platform],
    ['instruction', 'instruction', previous.instruction, current.instruction],
    ['arguments', 'arguments', previous.arguments.join(' '), current.arguments.join(' ')],
    ['source-image', 'source image', previous.sourceImage ?? '', current.sourceImage ?? ''],
    ['producer', 'builder version', previous.producer ?? 'none', current.producer ?? 'none'],
  ];
  const reasons: MissReason[] = [];
  for (const [kind, label, before, after] of pairs) {
    if (before !== after || (kind === 'arguments' && !sameList(previous, current))) {
      const message = `${label} changed from ${quote(shortId(before))} to ${quote(shortId(after))}`;
      reasons.push({ kind, before, after, message } as MissReason);
    }
  }
  return reasons;
}

function sameList(previous: CacheKeyInputs, current: CacheKeyInputs): boolean {
  const a = previous.arguments;
  const b = current.arguments;
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function namedChanges(
  kind: 'flag' | 'build-arg' | 'env',
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
): MissReason[] {
  const label = { flag: 'flag --', 'build-arg': 'build arg ', env: 'environment variable ' }[kind];
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const reasons: MissReason[] = [];
  for (const name of [...names].sort(compareCodePoints)) {
    const a = Object.hasOwn(before, name) ? before[name] : undefined;
    const b = Object.hasOwn(after, name) ? after[name] : undefined;
    if (a === b) {
      continue;
    }
    reasons.push({ kind, name, before: a, after: b, message: namedMessage(label + name, a, b) });
  }
  return reasons;
}

function namedMessage(subject: string, before?: string, after?: string): string {
  if (before === undefined) {
    return `${subject} added (${quote(after ?? '')})`;
  }
  if (after === undefined) {
    return `${subject} removed (was ${quote(before)})`;
  }
  return `${subject} changed from ${quote(before)} to ${quote(after)}`;
}

function fileChanges(before: readonly FileInput[], after: readonly FileInput[]): FileChange[] {
  const previous = new Map(before.map((file) => [file.path, file]));
  const changed: string[] = [];
  const added: string[] = [];
  for (const file of after) {
    const old = previous.get(file.path);
    previous.delete(file.path);
    if (old === undefined) {
      added.push(file.path);
    } else if (!sameFile(old, file)) {
      changed.push(file.path);
    }
  }
  const removed = [...previous.keys()];
  // Files with an owner come from a source image, and their paths from its root.
  const root = [...before, ...after].some((file) => file.owner !== undefined)
    ? 'in the source image'
    : 'in the build context';
  return [
    fileGroup('changed', changed, root),
    fileGroup('added', added, root),
    fileGroup('removed', removed, root),
  ].filter((group): group is FileChange => group !== undefined);
}

function sameFile(a: FileInput, b: FileInput): boolean {
  return a.digest === b.digest && a.mode === b.mode && a.type === b.type && a.owner === b.owner;
}

function fileGroup(
  change: FileChange['change'],
  paths: string[],
  root: string,
): FileChange | undefined {
  if (paths.length === 0) {
    return undefined;
  }
  const sorted = paths.sort(compareCodePoints);
  const directory = commonDirectory(sorted);
  const prefix = directory === '' ? '' : `${directory}/`;
  const names = sorted.slice(0, LISTED_FILES).map((path) => path.slice(prefix.length));
  const more = sorted.length > LISTED_FILES ? `, and ${sorted.length - LISTED_FILES} more` : '';
  const noun = sorted.length === 1 ? 'file' : 'files';
  const where = directory === '' ? root : `under ${prefix}`;
  const message = `${sorted.length} ${noun} ${change} ${where}: ${names.join(', ')}${more}`;
  return { kind: 'files', change, directory, paths: sorted, message };
}

/** Returns the deepest folder that contains every path. */
export function commonDirectory(paths: readonly string[]): string {
  let common: string[] | undefined;
  for (const path of paths) {
    const folders = path.split('/').slice(0, -1);
    if (common === undefined) {
      common = folders;
      continue;
    }
    let length = 0;
    while (length < common.length && common[length] === folders[length]) {
      length++;
    }
    common = common.slice(0, length);
  }
  return (common ?? []).join('/');
}

function flagRecord(inputs: CacheKeyInputs): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of sortedPairs(inputs.flags)) {
    record[name] = flagValues(value).join(',');
  }
  return record;
}

function shortId(id: string): string {
  const match = /^sha256:([0-9a-f]{12})[0-9a-f]{52}$/.exec(id);
  return match === null ? id : `sha256:${match[1]}`;
}

function quote(value: string): string {
  if (value.length <= QUOTED_LENGTH && /^[\w.:/@+=,-]*$/.test(value) && value !== '') {
    return value;
  }
  const text = value.length > QUOTED_LENGTH ? `${value.slice(0, QUOTED_LENGTH)}…` : value;
  return JSON.stringify(text);
}
