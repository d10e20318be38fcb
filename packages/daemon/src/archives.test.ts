import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { type EngineTestFixture, makeTempDir } from '@gantry/testing';
import tarStream from 'tar-stream';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { packFolder } from './archives.js';
import type { DockerEngine } from './docker-engine.js';
import { ContainerNotFoundError, EngineError } from './errors.js';
import { BUSYBOX, connectTestEngine } from './test-engine.js';

let engine: DockerEngine;
let fixture: EngineTestFixture;

beforeAll(async () => {
  ({ engine, fixture } = await connectTestEngine());
});
afterEach(() => fixture.cleanup());
afterAll(() => fixture.cleanup());

interface Entry {
  name: string;
  type: 'file' | 'directory' | 'symlink';
  mode: number;
  uid: number;
  gid: number;
  content?: string;
  linkname?: string;
}

const ENTRIES: Entry[] = [
  { name: 'tree/', type: 'directory', mode: 0o750, uid: 1000, gid: 1000 },
  { name: 'tree/run.sh', type: 'file', mode: 0o755, uid: 1000, gid: 2000, content: '#!/bin/sh\n' },
  { name: 'tree/secret', type: 'file', mode: 0o600, uid: 0, gid: 0, content: 'key\n' },
  { name: 'tree/shared', type: 'file', mode: 0o644, uid: 33, gid: 33, content: 'www\n' },
  { name: 'tree/sticky/', type: 'directory', mode: 0o1777, uid: 0, gid: 0 },
  { name: 'tree/link', type: 'symlink', mode: 0o777, uid: 1000, gid: 1000, linkname: 'run.sh' },
];

function packEntries(entries: Entry[]): Readable {
  const pack = tarStream.pack();
  for (const { content, ...header } of entries) {
    if (content === undefined) pack.entry(header);
    else pack.entry(header, content);
  }
  pack.finalize();
  return pack as unknown as Readable;
}

async function readEntries(archive: Readable): Promise<Entry[]> {
  const extract = tarStream.extract();
  archive.pipe(extract);
  const entries: Entry[] = [];
  for await (const entry of extract) {
    const parts: Buffer[] = [];
    for await (const part of entry) parts.push(part as Buffer);
    const { name, type, mode, uid, gid, linkname } = entry.header;
    // Go's tar writer adds the file type bits to the mode; keep the permission bits.
    const record: Entry = {
      name,
      type: type as Entry['type'],
      mode: (mode ?? 0) & 0o7777,
      uid: uid ?? -1,
      gid: gid ?? -1,
    };
    if (type === 'file') record.content = Buffer.concat(parts).toString('utf8');
    if (type === 'symlink') record.linkname = linkname ?? '';
    entries.push(record);
  }
  return entries;
}

async function idleContainer() {
  return engine.containers.create({
    config: { Image: BUSYBOX, Cmd: ['true'], Labels: fixture.labels },
  });
}

describe('archives', () => {
  test('put and get keep modes and owners', async () => {
    await using container = await idleContainer();
    await engine.archives.put(container.id, { path: '/', archive: packEntries(ENTRIES) });
    const archive = await engine.archives.get(container.id, { path: '/tree' });
    const entries = await readEntries(archive);
    const byName = new Map(entries.map((entry) => [entry.name.replace(/\/$/, ''), entry]));
    for (const expected of ENTRIES) {
      const actual = byName.get(expected.name.replace(/\/$/, ''));
      expect(actual, expected.name).toEqual({ ...expected, name: actual?.name });
    }
  });

  test('owners survive in the container file system', async () => {
    await using container = await engine.containers.create({
      config: {
        Image: BUSYBOX,
        Cmd: ['stat', '-c', '%n %u %g %a', '/tree/run.sh', '/tree/sticky'],
        Labels: fixture.labels,
      },
    });
    await engine.archives.put(container.id, { path: '/', archive: packEntries(ENTRIES) });
    const output = await engine.containers.attach(container.id);
    await engine.containers.start(container.id);
    const { stdout } = await output.text();
    expect(stdout).toBe('/tree/run.sh 1000 2000 755\n/tree/sticky 0 0 1777\n');
  });

  test('copyUidGid gives files to the container user', async () => {
    await using container = await engine.containers.create({
      config: { Image: BUSYBOX, Cmd: ['true'], User: 'nobody', Labels: fixture.labels },
    });
    const archive = packEntries(ENTRIES.slice(0, 2));
    await engine.archives.put(container.id, { path: '/', archive, copyUidGid: true });
    const archiveOut = await engine.archives.get(container.id, { path: '/tree/run.sh' });
    const entries = await readEntries(archiveOut);
    expect(entries.map(({ uid, gid }) => [uid, gid])).toEqual([[65534, 65534]]);
  });

  test('packFolder streams a folder', async () => {
    await using folder = await makeTempDir();
    await mkdir(`${folder.path}/bin`);
    await writeFile(`${folder.path}/bin/tool`, 'tool\n');
    await chmod(`${folder.path}/bin/tool`, 0o741);
    await symlink('bin/tool', `${folder.path}/tool-link`);
    await using container = await idleContainer();
    await engine.archives.put(container.id, { path: '/tmp', archive: packFolder(folder.path) });
    const entries = await readEntries(await engine.archives.get(container.id, { path: '/tmp' }));
    const tool = entries.find((entry) => entry.name === 'tmp/bin/tool');
    expect(tool).toMatchObject({ type: 'file', mode: 0o741, content: 'tool\n' });
    const link = entries.find((entry) => entry.name === 'tmp/tool-link');
    expect(link).toMatchObject({ type: 'symlink', linkname: 'bin/tool' });
  });

  test('get of a missing path', async () => {
    await using container = await idleContainer();
    const get = engine.archives.get(container.id, { path: '/no/such/path' });
    await expect(get).rejects.toThrow(EngineError);
    await expect(get).rejects.toMatchObject({ statusCode: 404 });
  });

  test('stat describes each kind of path', async () => {
    await using container = await idleContainer();
    await engine.archives.put(container.id, { path: '/', archive: packEntries(ENTRIES) });
    const stat = (path: string) => engine.archives.stat(container.id, { path });
    await expect(stat('/tree/run.sh')).resolves.toMatchObject({
      name: 'run.sh',
      type: 'file',
      mode: 0o755,
      size: 10,
      linkTarget: '',
    });
    await expect(stat('/tree/sticky')).resolves.toMatchObject({ type: 'directory', mode: 0o1777 });
    await expect(stat('/tree/link')).resolves.toMatchObject({
      type: 'symlink',
      linkTarget: '/tree/run.sh',
    });
  });

  test('stat of a missing path', async () => {
    await using container = await idleContainer();
    await expect(engine.archives.stat(container.id, { path: '/no/such' })).resolves.toBe(undefined);
  });

  test('stat with knownContainer skips the container check', async () => {
    await using container = await idleContainer();
    const options = { path: '/no/such', knownContainer: true };
    await expect(engine.archives.stat(container.id, options)).resolves.toBe(undefined);
    // The trade-off: a missing container reads as a missing path.
    const unknown = engine.archives.stat('gantry-no-such-container', options);
    await expect(unknown).resolves.toBe(undefined);
  });

  test('stat below a file names the engine reason', async () => {
    await using container = await idleContainer();
    const stat = engine.archives.stat(container.id, { path: '/etc/passwd/sub' });
    await expect(stat).rejects.toThrow(EngineError);
    await expect(stat).rejects.toThrow(/not a directory/);
  });

  test('stat in a missing container', async () => {
    const stat = engine.archives.stat('gantry-no-such-container', { path: '/' });
    await expect(stat).rejects.toThrow(ContainerNotFoundError);
  });

  test('put into a missing container', async () => {
    const put = engine.archives.put('gantry-no-such-container', {
      path: '/',
      archive: packEntries(ENTRIES.slice(0, 1)),
    });
    await expect(put).rejects.toThrow(ContainerNotFoundError);
  });

  test('abort of put', async () => {
    await using container = await idleContainer();
    const controller = new AbortController();
    const endless = new Readable({ read() {} });
    const put = engine.archives.put(container.id, {
      path: '/',
      archive: endless,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('cancelled')), 200);
    await expect(put).rejects.toThrow('cancelled');
  });
});
