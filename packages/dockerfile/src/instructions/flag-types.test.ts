// The type checks here run under `tsc` (the package's `typecheck`), and the value
// checks under vitest, so a flag whose declared type widens back to `unknown` fails
// `typecheck`.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createDockerfileParser } from '../extension.js';
import type { FlagError } from '../flags/errors.js';
import type { HealthcheckDuration } from '../flags/healthcheck.js';
import type { Mount } from '../flags/mount/types.js';
import type { Ownership } from '../flags/ownership.js';
import type { Platform } from '../flags/platform.js';
import type { NetworkMode } from '../flags/run-modes.js';
import type { CopySource } from '../flags/sources.js';
import { parse } from '../parse.js';
import { findKnownFlag, knownFlags } from './typed-flags.js';
import type { InstructionFlag, KnownFlag, TypedInstruction } from './types.js';

function first<Kind extends TypedInstruction['kind']>(
  source: string,
  kind: Kind,
): Extract<TypedInstruction, { kind: Kind }> {
  const found = parse(source).instructions.find((instruction) => instruction.kind === kind);
  if (found === undefined) throw new Error(`no ${kind} instruction in ${source}`);
  return found as Extract<TypedInstruction, { kind: Kind }>;
}

describe('typed flag values', () => {
  it('types a RUN mount without a cast', () => {
    const run = first('FROM a\nRUN --mount=type=cache,target=/c --network=none make\n', 'run');
    const [mount] = run.mounts;
    if (mount?.status !== 'parsed') throw new Error('the mount was not parsed');
    expectTypeOf(mount.name).toEqualTypeOf<'mount'>();
    expectTypeOf(mount.value).toEqualTypeOf<Mount>();
    expect(mount.value.type).toBe('cache');
    expect(mount.value.target).toBe('/c');
    if (run.network?.status !== 'parsed') throw new Error('the network was not parsed');
    expectTypeOf(run.network.value).toEqualTypeOf<NetworkMode>();
    expect(run.network.value).toBe('none');
  });

  it('types COPY and FROM flags', () => {
    const copy = first('FROM a\nCOPY --from=build --chown=1:2 a b\n', 'copy');
    if (copy.from?.status !== 'parsed') throw new Error('--from was not parsed');
    expectTypeOf(copy.from.value).toEqualTypeOf<CopySource | undefined>();
    expect(copy.from.value).toMatchObject({ kind: 'name', name: 'build' });
    if (copy.chown?.status !== 'parsed') throw new Error('--chown was not parsed');
    expectTypeOf(copy.chown.value).toEqualTypeOf<Ownership | undefined>();
    expect(copy.chown.value?.user).toEqual({ kind: 'id', id: 1 });
    const from = first('FROM --platform=linux/arm64 a\n', 'from');
    if (from.platform?.status !== 'parsed') throw new Error('--platform was not parsed');
    expectTypeOf(from.platform.value).toEqualTypeOf<Platform | undefined>();
    expect(from.platform.value?.architecture).toBe('arm64');
  });

  it('types HEALTHCHECK options', () => {
    const check = first('FROM a\nHEALTHCHECK --interval=5s --retries=3 CMD x\n', 'healthcheck');
    if (check.retries?.status !== 'parsed') throw new Error('--retries was not parsed');
    expectTypeOf(check.retries.value).toEqualTypeOf<number>();
    expect(check.retries.value).toBe(3);
    if (check.interval?.status !== 'parsed') throw new Error('--interval was not parsed');
    expectTypeOf(check.interval.value).toEqualTypeOf<HealthcheckDuration>();
    expect(check.interval.value.nanoseconds).toBe(5_000_000_000);
  });

  it('types invalid and deferred values', () => {
    const run = first('FROM a\nRUN --network=bogus make\n', 'run');
    if (run.network?.status !== 'invalid') throw new Error('--network was not invalid');
    expectTypeOf(run.network.value).toEqualTypeOf<FlagError>();
    expect(run.network.value.code).toBe('invalid-value');
    const copy = first('FROM a\nCOPY --chown=$USER a b\n', 'copy');
    if (copy.chown?.status !== 'deferred') throw new Error('--chown was not deferred');
    expectTypeOf(copy.chown.value).toEqualTypeOf<undefined>();
    expect(copy.chown.text).toBe('$USER');
  });

  it('finds flags without a named field', () => {
    const run = first('FROM a\nRUN --device=/dev/a --device=/dev/b make\n', 'run');
    const devices = knownFlags(run, 'device');
    expectTypeOf(devices).toEqualTypeOf<KnownFlag<'device'>[]>();
    expect(devices.map((flag) => flag.text)).toEqual(['/dev/a', '/dev/b']);
    const add = first('FROM a\nADD --unpack=false a.tar b\n', 'copy');
    const unpack = findKnownFlag(add, 'unpack');
    if (unpack?.status !== 'parsed') throw new Error('--unpack was not parsed');
    expectTypeOf(unpack.value).toEqualTypeOf<boolean>();
    expect(unpack.value).toBe(false);
  });

  it('keeps extension flags untyped', () => {
    const parser = createDockerfileParser({
      flags: [{ instruction: 'COPY', name: 'sbom', parse: (value) => value !== 'false' }],
    });
    const copy = parser.parse('FROM a\nCOPY --sbom a b\n').instructions[1];
    const [flag] = copy?.flags ?? [];
    expectTypeOf(copy?.flags ?? []).toEqualTypeOf<readonly InstructionFlag[]>();
    if (flag?.status !== 'parsed') throw new Error('--sbom was not parsed');
    expectTypeOf(flag.value).toEqualTypeOf<unknown>();
    expect(flag.value).toBe(true);
  });

  it('keeps an extension flag out of a typed field', () => {
    const parser = createDockerfileParser({
      flags: [{ instruction: 'ADD', name: 'from', parse: (value) => `custom ${value}` }],
    });
    const add = parser.parse('FROM a\nADD --from=x a b\n').instructions[1];
    if (add?.kind !== 'copy') throw new Error('ADD was not typed as a copy');
    expect(add.flags[0]?.value).toBe('custom x');
    expect(add.from).toBeUndefined();
  });
});
