/** Extracting a build context archive into a folder, keeping every entry inside it. */
import { createWriteStream } from 'node:fs';
import { chmod, link, mkdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract, type Header } from 'tar-stream';
import { UsageError } from '../usage-error.js';

/** Options of {@link extractArchive}. */
export interface ExtractOptions {
  /** The empty folder to extract into. */
  readonly folder: string;
  /** Whether the archive is gzip-compressed. */
  readonly gzip: boolean;
}

/** Files up to this size are read whole and written with one call; larger ones stream. */
const WHOLE_FILE_BYTES = 1024 * 1024;

/**
 * Extracts a tar archive into the folder: files with their modes and
 * modification times, folders, symbolic links and hard links. Device files
 * and FIFOs are left out. Returns the bytes read from `archive`.
 *
 * @throws UsageError for an entry whose path leaves the folder (`../x`, a
 * path below a symbolic link of the archive, or a hard link to such a path),
 * naming the entry.
 */
export async function extractArchive(archive: Readable, options: ExtractOptions): Promise<number> {
  let size = 0;
  const counter = new PassThrough();
  counter.on('data', (chunk: Buffer) => {
    size += chunk.length;
  });
  const entries = extract();
  const reader = entries as unknown as NodeJS.WritableStream;
  // tar-stream's extractor is a streamx stream, which Node's pipeline accepts as a writable.
  const feeding = options.gzip
    ? pipeline(archive, counter, createGunzip(), reader)
    : pipeline(archive, counter, reader);
  feeding.catch((error: unknown) => entries.destroy(error as Error));
  const writer = new EntryWriter(options.folder);
  for await (const entry of entries) {
    await writer.write(entry.header, entry);
  }
  await feeding;
  return size;
}

/** An entry's content: tar-stream's streamx readable. */
interface EntryBody extends AsyncIterable<unknown> {
  resume(): unknown;
}

/**
 * Writes entries into a new, empty folder. Everything in the folder comes
 * from the archive, so the writer records every symbolic link and folder it
 * makes and checks paths against those sets without asking the file system.
 */
class EntryWriter {
  readonly #folder: string;
  /** Paths, relative to the folder, of the symbolic links the archive made. */
  readonly #links = new Set<string>();
  /** Folders that exist, relative to the folder (`''` is the folder itself). */
  readonly #folders = new Set<string>(['']);

  constructor(folder: string) {
    this.#folder = folder;
  }

  async write(header: Header, body: EntryBody): Promise<void> {
    const name = this.#checkedName(header.name);
    if (this.#links.delete(name)) await rm(join(this.#folder, name));
    if (name === '' || header.type === 'directory') {
      await this.#makeFolder(name);
      if (name !== '') await setTimes(join(this.#folder, name), header);
      body.resume();
      return;
    }
    await this.#makeFolder(parentOf(name));
    const path = join(this.#folder, name);
    if (header.type === 'file' || header.type === 'contiguous-file') {
      await writeContent(path, header, body);
      return;
    }
    body.resume();
    if (header.type === 'symlink') {
      await symlink(header.linkname ?? '', path);
      this.#links.add(name);
    } else if (header.type === 'link') {
      const target = this.#checkedName(header.linkname ?? '');
      await link(join(this.#folder, target), path);
      // A hard link to a symbolic link is a symbolic link too.
      if (this.#links.has(target)) this.#links.add(name);
    }
  }

  /**
   * Returns the entry's path relative to the folder, `/`-separated, or rejects
   * a path that leaves the folder or passes through one of the archive's
   * symbolic links (`dir/passwd` through `dir -> /etc` is outside it).
   */
  #checkedName(name: string): string {
    const path = join(this.#folder, name.replace(/^\/+/, ''));
    const relativePath = relative(this.#folder, path).split(sep).join('/');
    if (relativePath === '..' || relativePath.startsWith('../')) {
      throw new UsageError(
        `The build context archive has an entry outside its root: ${JSON.stringify(name)}; rebuild the archive with relative paths`,
        'build',
      );
    }
    for (let parent = parentOf(relativePath); parent !== ''; parent = parentOf(parent)) {
      if (this.#links.has(parent)) {
        throw new UsageError(
          `The build context archive reaches ${JSON.stringify(name)} through the symbolic link ${JSON.stringify(parent)}; rebuild the archive without it`,
          'build',
        );
      }
    }
    return relativePath;
  }

  async #makeFolder(name: string): Promise<void> {
    if (this.#folders.has(name)) return;
    await mkdir(join(this.#folder, name), { recursive: true });
    for (let folder = name; folder !== '' && !this.#folders.has(folder); ) {
      this.#folders.add(folder);
      folder = parentOf(folder);
    }
  }
}

/** Writes a file entry with its mode and modification time. */
async function writeContent(path: string, header: Header, body: EntryBody): Promise<void> {
  const mode = (header.mode ?? 0o644) & 0o7777;
  if ((header.size ?? 0) <= WHOLE_FILE_BYTES) {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    await writeFile(path, Buffer.concat(chunks), { mode });
  } else {
    await pipeline(body as AsyncIterable<Buffer>, createWriteStream(path, { mode }));
  }
  // The process umask may have cleared bits of the archive's mode.
  await chmod(path, mode);
  await setTimes(path, header);
}

async function setTimes(path: string, header: Header): Promise<void> {
  if (header.mtime !== undefined) await utimes(path, header.mtime, header.mtime);
}

function parentOf(name: string): string {
  const slash = name.lastIndexOf('/');
  return slash === -1 ? '' : name.slice(0, slash);
}
