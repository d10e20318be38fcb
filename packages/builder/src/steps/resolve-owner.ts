/** `--chown` values to numeric ids, read from the parent image's /etc/passwd and /etc/group. */
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { BuildError } from '../errors.js';
import type { BuildSession } from '../session.js';

/** A user or group as `--chown` gives it. */
export type OwnerPart =
  | { readonly kind: 'id'; readonly id: number }
  | { readonly kind: 'name'; readonly name: string };

/** The typed value of `--chown`. */
export interface OwnerSpec {
  readonly user: OwnerPart;
  readonly group?: OwnerPart | undefined;
}

/**
 * Resolves `--chown` to ids as the classic builder does: numbers as they
 * are, names from the container's /etc/passwd and /etc/group, and a missing
 * group taken to be the user part again (`--chown=app` is `app:app`).
 */
export async function resolveOwner(
  session: BuildSession,
  containerId: string,
  owner: OwnerSpec,
): Promise<{ uid: number; gid: number }> {
  const group = owner.group ?? owner.user;
  const uid =
    owner.user.kind === 'id'
      ? owner.user.id
      : await lookUp(session, containerId, 'passwd', owner.user.name);
  const gid =
    group.kind === 'id' ? group.id : await lookUp(session, containerId, 'group', group.name);
  return { uid, gid };
}

async function lookUp(
  session: BuildSession,
  containerId: string,
  database: 'passwd' | 'group',
  name: string,
): Promise<number> {
  const text = await readContainerFile(session, containerId, `/etc/${database}`);
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields[2] !== undefined && /^\d+$/.test(fields[2])) {
      return Number(fields[2]);
    }
  }
  const kind = database === 'passwd' ? 'user' : 'group';
  throw new BuildError(
    'ERR_COPY_SOURCE',
    `--chown names the ${kind} ${JSON.stringify(name)}, which /etc/${database} of the image does not have; add it in an earlier step or use a numeric id`,
  );
}

/** Reads a small file from a container, or returns '' when it is missing. */
async function readContainerFile(
  session: BuildSession,
  containerId: string,
  path: string,
): Promise<string> {
  let archive: Readable;
  try {
    archive = await session.engine.archives.get(containerId, { path, signal: session.signal });
  } catch {
    return '';
  }
  const chunks: Buffer[] = [];
  const reader = extract();
  reader.on('entry', (_header, stream, next) => {
    stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    stream.on('end', next);
  });
  await new Promise<void>((resolve, reject) => {
    reader.on('finish', resolve);
    reader.on('error', reject);
    archive.pipe(reader as unknown as NodeJS.WritableStream);
  });
  return Buffer.concat(chunks).toString('utf8');
}
