/** The file tree of paths in an image, as the differential tests compare it. */
import { createHash } from 'node:crypto';
import type { DockerEngine } from '@gantry/daemon';
import { extract, type Header } from 'tar-stream';

/** One entry of a file tree: what two builders must agree on (times excluded). */
export interface TreeEntry {
  readonly path: string;
  readonly type: string;
  readonly mode: string;
  readonly owner: string;
  /** `sha256:` of the content of a file; empty otherwise. */
  readonly digest: string;
  readonly linkTarget: string;
  /** Extended attributes as `name=value` lines, sorted. */
  readonly xattrs: string;
}

/** Reads the entries under `paths` in an image, through a container that is never started. */
export async function readTree(
  engine: DockerEngine,
  imageId: string,
  paths: readonly string[],
  labels: Record<string, string>,
): Promise<TreeEntry[]> {
  await using container = await engine.containers.create({
    config: { Image: imageId, Cmd: ['/gantry-tree'], Entrypoint: [''], Labels: labels },
  });
  const entries: TreeEntry[] = [];
  for (const path of paths) {
    const archive = await engine.archives.get(container.id, { path });
    entries.push(...(await readEntries(archive, path)));
  }
  return entries;
}

async function readEntries(archive: NodeJS.ReadableStream, root: string): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    const hash = createHash('sha256');
    stream.on('data', (chunk: unknown) => hash.update(chunk as Buffer));
    stream.on('end', () => {
      entries.push({
        path: `${root} :: ${header.name}`,
        type: header.type ?? 'file',
        mode: (header.mode ?? 0).toString(8),
        owner: ownerOf(header),
        digest: header.type === 'file' ? `sha256:${hash.digest('hex')}` : '',
        linkTarget: header.linkname ?? '',
        xattrs: xattrsOf(header),
      });
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    reader.on('finish', resolve);
    reader.on('error', reject);
    archive.pipe(reader as unknown as NodeJS.WritableStream);
  });
  return entries.sort((left, right) => (left.path < right.path ? -1 : 1));
}

/**
 * Returns `uid:gid` of an entry. The engine's Go tar writer puts an id over
 * 2097151 in a PAX record and 0 in the header field, and tar-stream leaves
 * PAX records in `header.pax`.
 */
function ownerOf(header: Header): string {
  const pax = (header.pax ?? {}) as Record<string, string>;
  return `${pax.uid ?? header.uid ?? 0}:${pax.gid ?? header.gid ?? 0}`;
}

/** Returns the extended attributes in an entry's PAX records, as sorted `name=value` lines. */
function xattrsOf(header: Header): string {
  const pax = (header.pax ?? {}) as Record<string, string>;
  const lines = Object.entries(pax).flatMap(([key, value]) =>
    key.startsWith('SCHILY.xattr.') ? [`${key.slice('SCHILY.xattr.'.length)}=${value}`] : [],
  );
  return lines.sort().join('\n');
}
