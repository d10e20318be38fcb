/** Writing build-context archive entries into a folder, keeping every entry inside it. */
import { createWriteStream } from 'node:fs';
import { chmod, link, mkdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Header } from 'tar-stream';
import { ContextEntryError } from '../errors.js';

/** Files up to this size are read whole and written with one call; larger ones stream. */
const WHOLE_FILE_BYTES = 1024 * 1024;

/** An entry's content: tar-stream's streamx readable. */
export interface EntryBody extends AsyncIterable<unknown> {
  resume(): unknown;
}

/**
 * Writes entries into a new, empty folder: files with their modes and
 * modification times, folders with their modes, symbolic links and hard
 * links. Named pipes and device files, which the docker CLI sends from a
 * context folder, are left out. Everything in the folder comes from the
 * archive, so the writer records every symbolic link and folder it makes and
 * checks paths against those sets without asking the file system.
 *
 * @internal
 */
export class ContextEntryWriter {
  readonly #folder: string;
  /** Paths, relative to the folder, of the symbolic links the archive made. */
  readonly #links = new Set<string>();
  /** Folders that exist, relative to the folder (`''` is the folder itself). */
  readonly #folders = new Set<string>(['']);

  constructor(folder: string) {
    this.#folder = folder;
  }

  /**
   * Writes one entry.
   *
   * @throws {ContextEntryError} for an entry whose path leaves the folder.
   */
  async write(header: Header, body: EntryBody): Promise<void> {
    const name = this.#checkedName(header.name);
    if (this.#links.delete(name)) await rm(join(this.#folder, name));
    if (name === '' || header.type === 'directory') {
      await this.#writeFolder(name, header);
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
      await this.#writeHardLink(header.linkname ?? '', name);
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
      throw new ContextEntryError({ entry: name, reason: 'outside-root' });
    }
    for (let parent = parentOf(relativePath); parent !== ''; parent = parentOf(parent)) {
      if (this.#links.has(parent)) {
        throw new ContextEntryError({
          entry: name,
          reason: 'below-symbolic-link',
          symbolicLink: parent,
        });
      }
    }
    return relativePath;
  }

  async #writeFolder(name: string, header: Header): Promise<void> {
    await this.#makeFolder(name);
    if (name === '') return;
    const path = join(this.#folder, name);
    if (header.mode !== undefined) await chmod(path, header.mode & 0o7777);
    await setTimes(path, header);
  }

  /** Links `name` to an earlier entry; tar names a hard link's target from the archive root. */
  async #writeHardLink(linkName: string, name: string): Promise<void> {
    const target = this.#checkedName(linkName);
    try {
      await link(join(this.#folder, target), join(this.#folder, name));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EPERM') throw error;
      const reason = 'missing-link-target';
      throw new ContextEntryError({ entry: name, reason, linkTarget: linkName, cause: error });
    }
    // A hard link to a symbolic link is a symbolic link too.
    if (this.#links.has(target)) this.#links.add(name);
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
