import { randomUUID } from 'node:crypto';
import type { BuildEvent } from '@gantry/log-format';
import { extract, type Header } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { classicBuild, gantryBuild, type TestBench, useTestBench } from '../test-engine.js';

const testFile = useTestBench();

/** The COPY --from step of every Dockerfile below. */
const COPY_STEP = 5;

/** The `security.capability` value of `cap_net_raw+ep` (VFS_CAP_REVISION_2), in hex. */
const NET_RAW_HEX = '0100000200200000000000000000000000000000';
/** The same value as tar-stream decodes the PAX record: one character per byte, all below 0x80. */
const NET_RAW = Buffer.from(NET_RAW_HEX, 'hex').toString('latin1');

/**
 * Sets `cap_net_raw+ep` on `/out/t` with the setxattr syscall, because
 * debian:bookworm has no setcap. Its number is 188 on x86-64 and 5 on arm64.
 */
const SET_NET_RAW = [
  'number=188 && if [ "$(uname -m)" = aarch64 ]; then number=5; fi &&',
  `perl -e 'my ($p, $k, $v) = ("/out/t", "security.capability", pack("H*", "${NET_RAW_HEX}"));`,
  `syscall($ARGV[0], $p, $k, $v, length($v), 0) == 0 or die "setxattr: $!"' "$number"`,
].join(' ');

/** Returns the PAX records of a tar header by key, which tar-stream types as `{}`. */
function paxOf(header: Header): Partial<Record<string, string>> {
  return (header.pax ?? {}) as Record<string, string>;
}

/** A field of a source file that the copy keeps, and two values of it. */
interface FieldCase {
  readonly field: string;
  readonly base: string;
  /** Shell command that fills `/out`, reading the field's value from `$VALUE`. */
  readonly files: string;
  readonly values: readonly [string, string];
  /** Path in the final image whose header carries the field. */
  readonly path: string;
  /** Returns the field from the tar header the engine gives for `path`. */
  readonly read: (header: Header) => string;
  /** The field's value after the second build. */
  readonly expected: string;
}

const fields: readonly FieldCase[] = [
  {
    field: 'device numbers',
    base: 'busybox:latest',
    files: 'mknod /out/node c 1 "$VALUE"',
    values: ['3', '5'],
    path: '/out/node',
    read: (header) => `${header.devmajor},${header.devminor}`,
    expected: '1,5',
  },
  {
    // Go's tar writer puts an id above 2097151 in a PAX record and 0 in the header field.
    field: 'owner above 2097151',
    base: 'busybox:latest',
    files: 'echo hi > /out/f && chown "$VALUE:$VALUE" /out/f',
    values: ['3000000', '3000001'],
    path: '/out/f',
    read: (header) => `${paxOf(header).uid ?? header.uid}:${paxOf(header).gid ?? header.gid}`,
    expected: '3000001:3000001',
  },
  {
    field: 'capability xattr',
    base: 'debian:bookworm',
    files: `cp /bin/true /out/t && if [ "$VALUE" = 1 ]; then ${SET_NET_RAW}; fi`,
    values: ['0', '1'],
    path: '/out/t',
    read: (header) => paxOf(header)['SCHILY.xattr.security.capability'] ?? 'none',
    expected: NET_RAW,
  },
];

/**
 * Returns a Dockerfile whose source stage fills `/out` from `$VALUE` and
 * whose final stage copies `/out`. A file unique to the test run keeps the
 * classic builder's cache, which the engine shares, from earlier runs.
 */
function fieldDockerfile(field: FieldCase, nonce: string): string {
  return [
    `FROM ${field.base} AS source`,
    'ARG VALUE',
    `RUN mkdir /out && echo ${nonce} > /out/nonce && ${field.files}`,
    `FROM ${field.base}`,
    'COPY --from=source /out /out',
    '',
  ].join('\n');
}

/** Returns the type of a step's cache event: `step-cache-hit` or `step-cache-miss`. */
function cacheEventOf(events: readonly BuildEvent[], step: number): string | undefined {
  const cacheTypes = ['step-cache-hit', 'step-cache-miss'];
  return events.find(
    (event) => 'step' in event && event.step === step && cacheTypes.includes(event.type),
  )?.type;
}

/** Returns the log of one step of a classic build: the text after `Step <step>/`. */
function classicStepLog(log: string, step: number): string {
  return log.split(/^Step /m)[step] ?? '';
}

/** Reads the tar header of a path in an image, through a labelled container that is never started. */
async function headerIn(bench: TestBench, imageId: string, path: string): Promise<Header> {
  const { engine, fixture } = bench;
  await using container = await engine.containers.create({
    config: { Image: imageId, Cmd: ['/gantry-header'], Entrypoint: [''], Labels: fixture.labels },
  });
  const archive = await engine.archives.get(container.id, { path });
  const headers: Header[] = [];
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    headers.push(header);
    stream.on('end', next);
    stream.resume();
  });
  await new Promise<void>((resolve, reject) => {
    reader.on('finish', resolve);
    reader.on('error', reject);
    archive.pipe(reader as unknown as NodeJS.WritableStream);
  });
  const [first] = headers;
  if (first === undefined) throw new Error(`the archive of ${path} in ${imageId} is empty`);
  return first;
}

describe('COPY --from content key', () => {
  it.each(fields)('misses when only the $field change', async (field) => {
    const contextDir = await testFile.context({ Dockerfile: fieldDockerfile(field, randomUUID()) });
    const [before, after] = field.values;
    const first = await gantryBuild(testFile.bench, { contextDir, buildArgs: { VALUE: before } });
    expect(first.error).toBeUndefined();
    const again = await gantryBuild(testFile.bench, { contextDir, buildArgs: { VALUE: after } });
    expect(again.error).toBeUndefined();
    expect(cacheEventOf(again.events, COPY_STEP)).toBe('step-cache-miss');
    const header = await headerIn(testFile.bench, again.result?.imageId ?? '', field.path);
    expect(field.read(header)).toBe(field.expected);

    // The classic builder hashes these fields too, so it misses as well.
    const { bench } = testFile;
    const classicFirst = await classicBuild(bench, contextDir, { buildArgs: { VALUE: before } });
    expect(classicFirst.error).toBeUndefined();
    const classic = await classicBuild(bench, contextDir, { buildArgs: { VALUE: after } });
    expect(classic.error).toBeUndefined();
    expect(classicStepLog(classic.log, COPY_STEP)).not.toContain('Using cache');
    const classicHeader = await headerIn(bench, classic.imageId ?? '', field.path);
    expect(field.read(classicHeader)).toBe(field.expected);
  });

  it("keeps a file source's capability, which the classic builder drops", async () => {
    const capability = fields.find((field) => field.field === 'capability xattr');
    if (capability === undefined) throw new Error('the capability case is missing');
    const dockerfile = fieldDockerfile(capability, randomUUID()).replace(
      'COPY --from=source /out /out',
      'COPY --from=source /out/t /t',
    );
    const contextDir = await testFile.context({ Dockerfile: dockerfile });
    const buildArgs = { VALUE: '1' };
    const built = await gantryBuild(testFile.bench, { contextDir, buildArgs });
    expect(built.error).toBeUndefined();
    const classic = await classicBuild(testFile.bench, contextDir, { buildArgs });
    expect(classic.error).toBeUndefined();

    const header = await headerIn(testFile.bench, built.result?.imageId ?? '', '/t');
    expect(capability.read(header)).toBe(NET_RAW);
    const classicHeader = await headerIn(testFile.bench, classic.imageId ?? '', '/t');
    expect(capability.read(classicHeader)).toBe('none');
  });
});

describe('COPY --from --parents content key', () => {
  /** A `--parents` source, the folder whose owner or mode changes, and how it is read back. */
  const cases = [
    {
      name: 'the mode of a parent of a path',
      change: 'chmod "$VALUE" /a/b',
      source: '/a/b/f.txt',
      values: ['755', '700'],
      folder: '/dest/a/b',
      read: (header: Header) => ((header.mode ?? 0) & 0o7777).toString(8),
      expected: '700',
    },
    {
      name: 'the owner of a parent of a wildcard',
      change: 'chown "$VALUE:$VALUE" /a',
      source: '/a/b/*.txt',
      values: ['1', '2'],
      folder: '/dest/a',
      read: (header: Header) => `${header.uid}:${header.gid}`,
      expected: '2:2',
    },
  ] as const;

  it.each(cases)('misses when only $name changes', async (change) => {
    const dockerfile = [
      'FROM busybox:latest AS source',
      'ARG VALUE',
      `RUN mkdir -p /a/b && echo x > /a/b/f.txt && ${change.change}`,
      'FROM busybox:latest',
      `COPY --from=source --parents ${change.source} /dest/`,
      '',
    ].join('\n');
    const contextDir = await testFile.context({ Dockerfile: dockerfile });
    const [before, after] = change.values;
    const first = await gantryBuild(testFile.bench, { contextDir, buildArgs: { VALUE: before } });
    expect(first.error).toBeUndefined();
    const again = await gantryBuild(testFile.bench, { contextDir, buildArgs: { VALUE: after } });
    expect(again.error).toBeUndefined();
    expect(cacheEventOf(again.events, COPY_STEP)).toBe('step-cache-miss');
    const header = await headerIn(testFile.bench, again.result?.imageId ?? '', change.folder);
    expect(change.read(header)).toBe(change.expected);
  });
});
