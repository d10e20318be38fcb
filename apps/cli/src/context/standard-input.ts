/**
 * The build context from standard input (`gantry build -`), as `docker build
 * -` reads it: a tar archive, plain or gzip-compressed, or a Dockerfile alone.
 */
import { mkdtemp, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import {
  BuildError,
  ContextCompressionError,
  ContextEntryError,
  extractContextArchive,
} from '@gantry/builder';
import { ContextInputError, UsageError } from '../usage-error.js';
import { type ArchiveKind, archiveKind, HEAD_BYTES, readHead } from './input-kind.js';

/** A build context written to a temporary folder. */
export interface StandardInputContext {
  /** The temporary context folder. */
  readonly contextDir: string;
  /** Absolute path of the Dockerfile inside it. */
  readonly dockerfile: string;
  /** Bytes read from standard input, which the log's context size line shows. */
  readonly size: number;
  /** Removes the temporary folder. */
  remove(): Promise<void>;
}

/**
 * Reads the build context from `input` into a new temporary folder. A tar
 * archive is extracted, and `file` (`Dockerfile` unless set) names the
 * Dockerfile inside it. Any other input is the Dockerfile, and the context
 * contains only that file.
 *
 * @throws UsageError for a bzip2 or xz archive, for `-f` with a Dockerfile on
 * standard input, and for an archive without the Dockerfile.
 * @throws ContextInputError for input that starts as an archive but is not a
 * valid one.
 */
export async function readStandardInputContext(
  input: Readable,
  file: string | undefined,
): Promise<StandardInputContext> {
  const { head, rest } = await readHead(input, HEAD_BYTES);
  const kind = archiveKind(head);
  if (kind === undefined && file !== undefined) {
    throw new UsageError(
      `Standard input is a Dockerfile, so -f ${JSON.stringify(file)} names a second one; leave out -f or send a tar`,
      'build',
    );
  }
  const contextDir = await mkdtemp(join(tmpdir(), 'gantry-stdin-'));
  const remove = () => rm(contextDir, { recursive: true, force: true });
  try {
    const stream = Readable.from(prepend(head, rest));
    const size = await writeContext(stream, kind, contextDir);
    const dockerfile = join(contextDir, file ?? 'Dockerfile');
    await requireDockerfile(contextDir, dockerfile, file ?? 'Dockerfile');
    return { contextDir, dockerfile, size, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** Writes the input into the folder; returns the bytes read. */
async function writeContext(
  stream: Readable,
  kind: ArchiveKind | undefined,
  folder: string,
): Promise<number> {
  if (kind === undefined) return writeDockerfile(stream, folder);
  try {
    const { bytes } = await extractContextArchive(stream, { folder });
    return bytes;
  } catch (error) {
    throw archiveError(kind, error);
  }
}

/** Writes a Dockerfile from standard input as the context's only file; returns its size. */
async function writeDockerfile(stream: Readable, folder: string): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks);
  await writeFile(join(folder, 'Dockerfile'), text);
  // The docker CLI sends such a Dockerfile as a tar of that one file.
  return 512 + Math.ceil(text.length / 512) * 512 + 1024;
}

/**
 * Checks that the Dockerfile is a file inside the context, also when `-f`
 * climbs out (`../x`) or the archive makes it a symbolic link that points out.
 */
async function requireDockerfile(folder: string, path: string, name: string): Promise<void> {
  const real = await realpath(path).catch(() => undefined);
  const root = await realpath(folder);
  const climbs = relative(folder, path).split(sep)[0] === '..';
  if (climbs || (real !== undefined && !real.startsWith(`${root}${sep}`))) {
    throw new UsageError(
      `The Dockerfile ${JSON.stringify(name)} is outside the build context on standard input; name a file inside the archive`,
      'build',
    );
  }
  const found = real === undefined ? undefined : await stat(real);
  if (found?.isFile() === true) return;
  throw new UsageError(
    `The build context on standard input has no Dockerfile ${JSON.stringify(name)}; add it to the archive or name it with -f`,
    'build',
  );
}

/**
 * Returns the builder's error for an archive as the CLI's: a bzip2 or xz
 * archive and an entry outside the folder are usage errors (exit code 2),
 * and an archive that cannot be read is a ContextInputError. Other errors,
 * such as the reason of an abort by SIGINT, pass unchanged.
 */
function archiveError(kind: ArchiveKind, error: unknown): unknown {
  if (error instanceof ContextCompressionError) {
    return new UsageError(
      `The build context on standard input is a ${error.compression} archive; send a tar, plain or gzip-compressed`,
      'build',
      { cause: error },
    );
  }
  if (error instanceof ContextEntryError) {
    return new UsageError(unsafeEntryMessage(error), 'build', { cause: error });
  }
  if (!(error instanceof BuildError)) return error;
  if (error.code === 'ERR_CONTEXT_WRITE') {
    return new ContextInputError(error.message, { cause: error });
  }
  const reason = error.cause instanceof Error ? error.cause.message : error.message;
  return new ContextInputError(
    `The build context on standard input is not a valid ${kind === 'gzip' ? 'gzip-compressed tar' : 'tar'} archive (${reason}); send a tar, plain or gzip-compressed, or a Dockerfile`,
    { cause: error },
  );
}

function unsafeEntryMessage(error: ContextEntryError): string {
  const entry = JSON.stringify(error.entry);
  if (error.reason === 'outside-root') {
    return `The build context archive has an entry outside its root: ${entry}; rebuild the archive with relative paths`;
  }
  if (error.reason === 'below-symbolic-link') {
    return `The build context archive reaches ${entry} through the symbolic link ${JSON.stringify(error.symbolicLink)}; rebuild the archive without it`;
  }
  return `The build context archive has a hard link ${entry} to ${JSON.stringify(error.linkTarget)}, which is no earlier file of the archive; put the file before the link`;
}

async function* prepend(head: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  yield* rest;
}
