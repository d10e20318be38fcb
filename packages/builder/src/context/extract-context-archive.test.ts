import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import { type Header, pack } from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BuildError,
  ContextCompressionError,
  ContextEntryError,
  ContextTooLargeError,
} from '../errors.js';
import { extractContextArchive } from './extract-context-archive.js';

const folders: string[] = [];

afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function newFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'gantry-extract-'));
  folders.push(folder);
  return folder;
}

type Entry = Partial<Header> & { name: string; content?: string };

async function tarOf(entries: readonly Entry[]): Promise<Buffer> {
  const archive = pack();
  for (const { content, ...header } of entries) {
    if (content === undefined) archive.entry(header);
    else archive.entry(header, content);
  }
  archive.finalize();
  return buffer(archive);
}

/** Streams bytes in small chunks, as a socket delivers them. */
function streamOf(bytes: Buffer, chunkSize = 1000): Readable {
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += chunkSize) {
    chunks.push(bytes.subarray(start, start + chunkSize));
  }
  return Readable.from(chunks);
}

async function extractInto(bytes: Buffer, maxBytes?: number) {
  const folder = await newFolder();
  const result = await extractContextArchive(streamOf(bytes), { folder, maxBytes });
  return { folder, result };
}

async function failureOf(bytes: Buffer, maxBytes?: number): Promise<unknown> {
  return extractInto(bytes, maxBytes).then(
    () => undefined,
    (error: unknown) => error,
  );
}

const mtime = new Date('2024-02-03T04:05:06Z');

describe('extractContextArchive', () => {
  it('writes files, folders and links', async () => {
    const archive = await tarOf([
      { name: 'bin', type: 'directory', mode: 0o750 },
      { name: 'bin/run.sh', mode: 0o755, mtime, content: '#!/bin/sh\n' },
      { name: 'current', type: 'symlink', linkname: 'bin' },
      { name: 'copy.sh', type: 'link', linkname: 'bin/run.sh' },
      { name: 'pipe', type: 'fifo' },
      { name: 'null', type: 'character-device', devmajor: 1, devminor: 3 },
    ]);
    const { folder, result } = await extractInto(archive);
    expect(result).toEqual({ bytes: archive.length, compression: 'none' });
    expect(await readFile(join(folder, 'bin/run.sh'), 'utf8')).toBe('#!/bin/sh\n');
    const script = await stat(join(folder, 'bin/run.sh'));
    expect(script.mode & 0o7777).toBe(0o755);
    expect(script.mtime.getTime()).toBe(mtime.getTime());
    expect((await stat(join(folder, 'bin'))).mode & 0o7777).toBe(0o750);
    expect(await readlink(join(folder, 'current'))).toBe('bin');
    expect((await stat(join(folder, 'copy.sh'))).ino).toBe(script.ino);
    expect((await readdir(folder)).sort()).toEqual(['bin', 'copy.sh', 'current']);
  });

  it('reads a gzip-compressed tar', async () => {
    const archive = gzipSync(await tarOf([{ name: 'Dockerfile', content: 'FROM scratch\n' }]));
    const { folder, result } = await extractInto(archive);
    expect(result).toEqual({ bytes: archive.length, compression: 'gzip' });
    expect(await readFile(join(folder, 'Dockerfile'), 'utf8')).toBe('FROM scratch\n');
  });

  it('completes a tar without end blocks', async () => {
    const archive = await tarOf([
      { name: 'a', content: 'x'.repeat(600) },
      { name: 'b', content: 'hi' },
    ]);
    // a's header and two data blocks, then b's header and its 2 bytes of data.
    const { folder } = await extractInto(archive.subarray(0, 2048 + 2));
    expect(await readFile(join(folder, 'b'), 'utf8')).toBe('hi');
  });

  it('empty stream gives an empty folder', async () => {
    const { folder, result } = await extractInto(Buffer.alloc(0));
    expect(result.bytes).toBe(0);
    expect(await readdir(folder)).toEqual([]);
  });

  it.each([
    ['bzip2', Buffer.from('BZh91AY&SY')],
    ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00])],
  ])('rejects a %s archive', async (compression, bytes) => {
    const error = await failureOf(bytes);
    expect(error).toBeInstanceOf(ContextCompressionError);
    expect((error as ContextCompressionError).compression).toBe(compression);
    expect((error as ContextCompressionError).code).toBe('ERR_CONTEXT_COMPRESSION');
  });

  it('rejects an entry outside the root', async () => {
    const parent = await newFolder();
    const folder = join(parent, 'context');
    await mkdir(folder);
    const archive = await tarOf([{ name: '../escaped', content: 'outside\n' }]);
    const extracting = extractContextArchive(streamOf(archive), { folder });
    const error = (await extracting.catch((failure: unknown) => failure)) as ContextEntryError;
    expect(error).toBeInstanceOf(ContextEntryError);
    expect(error.reason).toBe('outside-root');
    expect(error.entry).toBe('../escaped');
    expect(await readdir(parent)).toEqual(['context']);
  });

  it('rejects an entry below a symbolic link', async () => {
    const outside = await newFolder();
    const archive = await tarOf([
      { name: 'link', type: 'symlink', linkname: outside },
      { name: 'link/evil', content: 'outside\n' },
    ]);
    const error = await failureOf(archive);
    expect(error).toBeInstanceOf(ContextEntryError);
    expect((error as ContextEntryError).reason).toBe('below-symbolic-link');
    expect((error as ContextEntryError).symbolicLink).toBe('link');
    expect(await readdir(outside)).toEqual([]);
  });

  it('rejects a hard link through a symbolic link', async () => {
    const archive = await tarOf([
      { name: 'link', type: 'symlink', linkname: '/etc' },
      { name: 'copy', type: 'link', linkname: 'link/passwd' },
    ]);
    const error = (await failureOf(archive)) as ContextEntryError;
    expect(error.reason).toBe('below-symbolic-link');
    expect(error.entry).toBe('link/passwd');
  });

  it('rejects a hard link to no entry', async () => {
    const archive = await tarOf([{ name: 'hard', type: 'link', linkname: '/etc/passwd' }]);
    const error = (await failureOf(archive)) as ContextEntryError;
    expect(error).toBeInstanceOf(ContextEntryError);
    expect(error.reason).toBe('missing-link-target');
    expect(error.entry).toBe('hard');
    expect(error.linkTarget).toBe('/etc/passwd');
  });

  it('limits the bytes read', async () => {
    const archive = await tarOf([{ name: 'big', content: 'x'.repeat(20_000) }]);
    const error = (await failureOf(archive, 10_000)) as ContextTooLargeError;
    expect(error).toBeInstanceOf(ContextTooLargeError);
    expect(error.measured).toBe('archive');
    expect(error.maxBytes).toBe(10_000);
  });

  it('limits the decompressed tar', async () => {
    const archive = gzipSync(await tarOf([{ name: 'zeros', content: '\0'.repeat(50_000) }]));
    expect(archive.length).toBeLessThan(10_000);
    const error = (await failureOf(archive, 10_000)) as ContextTooLargeError;
    expect(error).toBeInstanceOf(ContextTooLargeError);
    expect(error.measured).toBe('tar');
  });

  it('stops reading past the limit', async () => {
    const input = new PassThrough();
    const folder = await newFolder();
    const extracting = extractContextArchive(input, { folder, maxBytes: 4096 });
    for (let index = 0; index < 10; index++) input.write(Buffer.alloc(1024));
    await expect(extracting).rejects.toBeInstanceOf(ContextTooLargeError);
    expect(input.destroyed).toBe(true);
  });

  it.each([
    ['text', Buffer.from('x'.repeat(2048))],
    ['truncated gzip', gzipSync(Buffer.alloc(4096)).subarray(0, 20)],
  ])('rejects %s as no archive', async (_kind, bytes) => {
    const error = (await failureOf(bytes)) as BuildError;
    expect(error).toBeInstanceOf(BuildError);
    expect(error.code).toBe('ERR_CONTEXT_ARCHIVE');
  });

  it('rejects a tar cut inside data', async () => {
    const archive = await tarOf([{ name: 'a', content: 'x'.repeat(600) }]);
    const error = (await failureOf(archive.subarray(0, 700))) as BuildError;
    expect(error.code).toBe('ERR_CONTEXT_ARCHIVE');
  });

  it('rejects a file over a folder', async () => {
    const archive = await tarOf([
      { name: 'a/b', content: 'x' },
      { name: 'a', content: 'y' },
    ]);
    const error = (await failureOf(archive)) as BuildError;
    expect(error.code).toBe('ERR_CONTEXT_WRITE');
    expect(error.message).toContain('"a"');
    expect(error.message).not.toContain(tmpdir());
  });

  it('reports a failing stream', async () => {
    const input = new PassThrough();
    const folder = await newFolder();
    const extracting = extractContextArchive(input, { folder });
    input.write(Buffer.alloc(600));
    const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    input.destroy(cause);
    const error = (await extracting.catch((failure: unknown) => failure)) as BuildError;
    expect(error.code).toBe('ERR_CONTEXT_READ');
    expect(error.cause).toBe(cause);
  });

  it('rejects with the abort reason', async () => {
    const input = new PassThrough();
    const folder = await newFolder();
    const controller = new AbortController();
    const extracting = extractContextArchive(input, { folder, signal: controller.signal });
    input.write(Buffer.alloc(600));
    const reason = new Error('stopped by the test');
    controller.abort(reason);
    await expect(extracting).rejects.toBe(reason);
  });

  it('keeps symbolic links that point out', async () => {
    const archive = await tarOf([{ name: 'Dockerfile', type: 'symlink', linkname: '/etc/passwd' }]);
    const { folder } = await extractInto(archive);
    expect((await lstat(join(folder, 'Dockerfile'))).isSymbolicLink()).toBe(true);
  });
});
