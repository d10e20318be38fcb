import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CacheKeyInputs,
  deriveCacheKey,
  encodeInputs,
  type FileInput,
  flagValues,
} from './cache-key.js';
import { encodeCanonical } from './canonical.js';
import { type ContextEntry, isUnder, toFileInput } from './context/context-entry.js';
import { CacheKeyInputError } from './errors.js';

const text = fc.string({ maxLength: 12 });
const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/);
const digest = fc.stringMatching(/^[0-9a-f]{8}$/).map((hex) => `sha256:${hex}`);
const fileInput: fc.Arbitrary<FileInput> = fc.record({
  path: fc.stringMatching(/^[a-c]{1,3}(\/[a-c]{1,3}){0,2}$/),
  type: fc.constantFrom('file', 'dir', 'symlink', 'other'),
  mode: fc.integer({ min: 0, max: 0o7777 }),
  digest,
});

const inputsArbitrary: fc.Arbitrary<CacheKeyInputs> = fc.record(
  {
    parent: digest,
    platform: fc.constantFrom('linux/amd64', 'linux/arm64/v8'),
    instruction: fc.constantFrom('RUN', 'COPY', 'ADD', 'ENV', 'WORKDIR'),
    arguments: fc.array(text, { maxLength: 3 }),
    flags: fc.dictionary(name, fc.oneof(text, fc.array(text, { maxLength: 2 })), { maxKeys: 2 }),
    buildArgs: fc.dictionary(name, text, { maxKeys: 3 }),
    env: fc.dictionary(name, text, { maxKeys: 3 }),
    sourceImage: digest,
    files: fc.uniqueArray(fileInput, { selector: (file) => file.path, maxLength: 4 }),
  },
  { requiredKeys: ['parent', 'platform', 'instruction', 'arguments'] },
);

/** Rebuilds records with keys in reverse insertion order and files reversed. */
function reordered(inputs: CacheKeyInputs): CacheKeyInputs {
  const reverse = <T>(record?: Readonly<Record<string, T>>) =>
    record === undefined ? undefined : Object.fromEntries(Object.entries(record).reverse());
  return {
    ...inputs,
    flags: reverse(inputs.flags),
    buildArgs: reverse(inputs.buildArgs),
    env: reverse(inputs.env),
    files: inputs.files === undefined ? undefined : [...inputs.files].reverse(),
  };
}

/** Every single change that alters the image a step produces. */
const mutations: [string, (inputs: CacheKeyInputs) => CacheKeyInputs][] = [
  ['parent', (i) => ({ ...i, parent: `${i.parent}0` })],
  ['platform', (i) => ({ ...i, platform: `${i.platform}x` })],
  ['instruction', (i) => ({ ...i, instruction: `${i.instruction}X` })],
  ['argument added', (i) => ({ ...i, arguments: [...i.arguments, ''] })],
  ['argument split', (i) => ({ ...i, arguments: [...i.arguments.slice(0, -1), 'a', 'b'] })],
  ['flag added', (i) => ({ ...i, flags: { ...i.flags, zzflag: 'on' } })],
  ['build arg added', (i) => ({ ...i, buildArgs: { ...i.buildArgs, NEWARG: '' } })],
  ['env added', (i) => ({ ...i, env: { ...i.env, NEWENV: '' } })],
  ['source image', (i) => ({ ...i, sourceImage: `${i.sourceImage ?? ''}1` })],
  ['file added', (i) => ({ ...i, files: [...(i.files ?? []), newFile] })],
];
const newFile: FileInput = { path: 'zz/new', type: 'file', mode: 0o644, digest: 'sha256:0' };

describe('deriveCacheKey', () => {
  it('gives equal keys for equal inputs', () => {
    fc.assert(
      fc.property(inputsArbitrary, (inputs) => {
        const copy = structuredClone(inputs);
        expect(deriveCacheKey(copy).key).toBe(deriveCacheKey(inputs).key);
      }),
    );
  });

  it('ignores record and file order', () => {
    fc.assert(
      fc.property(inputsArbitrary, (inputs) => {
        expect(deriveCacheKey(reordered(inputs)).key).toBe(deriveCacheKey(inputs).key);
      }),
    );
  });

  it.each(mutations)('changes when the %s changes', (_label, mutate) => {
    fc.assert(
      fc.property(inputsArbitrary, (inputs) => {
        expect(deriveCacheKey(mutate(inputs)).key).not.toBe(deriveCacheKey(inputs).key);
      }),
    );
  });

  it('changes when any value changes', () => {
    const field = fc.constantFrom('flags', 'buildArgs', 'env');
    fc.assert(
      fc.property(inputsArbitrary, field, text, (inputs, key, value) => {
        const record = inputs[key] ?? {};
        const names = Object.keys(record);
        fc.pre(names.length > 0);
        const target = names[0] as string;
        const before = record[target] as string | readonly string[];
        fc.pre(JSON.stringify(flagValues(before)) !== JSON.stringify(flagValues(value)));
        const changed = { ...inputs, [key]: { ...record, [target]: value } };
        expect(deriveCacheKey(changed).key).not.toBe(deriveCacheKey(inputs).key);
      }),
    );
  });

  it('changes when a file digest, mode, type or path changes', () => {
    const change = fc.constantFrom('digest', 'mode', 'type', 'path');
    fc.assert(
      fc.property(inputsArbitrary, change, (inputs, what) => {
        const files = inputs.files ?? [];
        fc.pre(files.length > 0);
        const [first, ...rest] = files as [FileInput, ...FileInput[]];
        const altered = {
          digest: { ...first, digest: `${first.digest}f` },
          mode: { ...first, mode: first.mode ^ 0o100 },
          type: { ...first, type: first.type === 'file' ? 'dir' : 'file' },
          path: { ...first, path: `${first.path}/x/y/z` },
        }[what] as FileInput;
        const changed = { ...inputs, files: [altered, ...rest] };
        expect(deriveCacheKey(changed).key).not.toBe(deriveCacheKey(inputs).key);
      }),
    );
  });

  it('ignores files outside what a COPY reads', () => {
    const entry: fc.Arbitrary<ContextEntry> = fileInput.map((file) => ({ ...file, size: 1 }));
    const context = fc.uniqueArray(entry, { selector: (file) => file.path, maxLength: 8 });
    fc.assert(
      fc.property(context, fc.constantFrom('a', 'b/a', 'c'), digest, (entries, source, fresh) => {
        const outside = entries.findIndex((file) => !isUnder(file.path, source));
        fc.pre(outside !== -1);
        const changed = entries.map((file, index) =>
          index === outside ? { ...file, digest: fresh, mode: file.mode ^ 1 } : file,
        );
        const keyOf = (list: ContextEntry[]) =>
          deriveCacheKey({
            parent: 'sha256:p',
            platform: 'linux/amd64',
            instruction: 'COPY',
            arguments: [source, '/app'],
            files: list.filter((file) => isUnder(file.path, source)).map(toFileInput),
          }).key;
        expect(keyOf(changed)).toBe(keyOf(entries));
      }),
    );
  });

  // The expected key is `printf '%s' '<the text above>' | sha256sum`.
  it('encodes fields in the documented order', () => {
    const inputs: CacheKeyInputs = {
      parent: 'sha256:p',
      platform: 'linux/amd64',
      instruction: 'COPY',
      arguments: ['website/', '/app/'],
      flags: { chown: '1000:1000', chmod: '644' },
      buildArgs: { VERSION: '1.3' },
      env: { PATH: '/bin' },
      files: [{ path: 'website/index.html', type: 'file', mode: 0o644, digest: 'sha256:d' }],
      producer: 'gantry-builder.2',
    };
    expect(encodeCanonical(encodeInputs(inputs))).toBe(
      '["gantry.cache-key.v2","linux/amd64","sha256:p","COPY",["website/","/app/"],' +
        '[["chmod",["644"]],["chown",["1000:1000"]]],[["VERSION","1.3"]],[["PATH","/bin"]],' +
        'null,[["website/index.html","file",420,"sha256:d"]],"gantry-builder.2"]',
    );
    expect(deriveCacheKey(inputs).key).toBe(
      'sha256:283812dcb555071f80d8159b2e2835e40d7f549fccb8e2317f507a3ddf1a6ba2',
    );
  });

  it('encodes the owner of a file from an image last', () => {
    const file: FileInput = { path: 'app/x', type: 'file', mode: 0o755, digest: 'sha256:d' };
    const inputs: CacheKeyInputs = {
      parent: 'sha256:p',
      platform: 'linux/amd64',
      instruction: 'COPY',
      arguments: ['/app/x', '/x'],
      files: [{ ...file, owner: '1000:1000' }],
    };
    const encoded = encodeCanonical(encodeInputs(inputs));
    expect(encoded).toContain('[["app/x","file",493,"sha256:d","1000:1000"]]');
  });

  it('changes when the owner of a file from an image changes', () => {
    const file: FileInput = { path: 'app/x', type: 'file', mode: 0o755, digest: 'sha256:d' };
    const keyOf = (owner: string) =>
      deriveCacheKey({
        parent: 'sha256:p',
        platform: 'linux/amd64',
        instruction: 'COPY',
        arguments: ['/app/x', '/x'],
        files: [{ ...file, owner }],
      }).key;
    expect(keyOf('0:0')).not.toBe(keyOf('1000:0'));
  });

  it('rejects a path given twice', () => {
    const file: FileInput = { path: 'a', type: 'file', mode: 0o644, digest: '' };
    const inputs = { parent: 'p', platform: 'p', instruction: 'COPY', arguments: [] };
    expect(() => deriveCacheKey({ ...inputs, files: [file, file] })).toThrow(CacheKeyInputError);
  });

  it('rejects a mode with type bits', () => {
    const file: FileInput = { path: 'a', type: 'file', mode: 0o100644, digest: '' };
    const inputs = { parent: 'p', platform: 'p', instruction: 'COPY', arguments: [] };
    expect(() => deriveCacheKey({ ...inputs, files: [file] })).toThrow(/0o7777/);
  });
});
