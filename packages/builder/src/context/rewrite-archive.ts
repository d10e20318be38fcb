/** Re-rooting a tar stream from one container so it lands where a COPY --from puts it. */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, type Header, pack } from 'tar-stream';
import { type ModeChange, modeAfterChown } from './file-mode.js';
import { asReadable } from './pack-sources.js';
import { packableHeader } from './tar-header.js';

/**
 * Returns the new path of an entry (relative to `/`), or undefined to drop
 * it. `type` is the entry's tar type (`file`, `directory`, `symlink`...) and
 * `header` its whole header, both undefined when a hard link's target is renamed.
 */
export type RenameEntry = (name: string, type?: string, header?: Header) => string | undefined;

/** Owner and mode a rewrite sets on each entry. An absent field keeps the archive's value. */
export interface EntryAttributes {
  /** Owner ids from `--chown`. Setting them clears setuid and setgid as chown(2) does. */
  readonly owner?: { readonly uid: number; readonly gid: number } | undefined;
  /** Mode from `--chmod`, applied to each entry's own. */
  readonly mode?: ModeChange | undefined;
  /**
   * Called for an extended attribute left out because its value is not
   * UTF-8 text (see {@link paxWithout}), with the entry's new path.
   */
  readonly onXattrLeftOut?: ((path: string, attribute: string) => void) | undefined;
}

/**
 * Streams `input` through with each entry renamed and given the owner and
 * mode that `attributes` sets. Hard links are renamed with their targets.
 */
export function rewriteArchive(
  input: Readable,
  rename: RenameEntry,
  attributes: EntryAttributes,
): Readable {
  const output = pack();
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    let rewritten: Header | undefined;
    try {
      const name = rename(header.name, header.type ?? 'file', header);
      if (name !== undefined) rewritten = rewriteHeader(header, name, rename, attributes);
    } catch (error) {
      // A throw in an event handler would leave the pipeline waiting forever.
      reader.destroy(error as Error);
      return;
    }
    if (rewritten === undefined) {
      stream.resume();
      stream.on('end', next);
      return;
    }
    const sink = output.entry(packableHeader(rewritten), (error) => next(error ?? undefined));
    // A failed input destroys the pack, which destroys the entry being written
    // with the same error. The entry's callback and the pack carry that error,
    // so the entry's own error event is ignored rather than left unhandled.
    sink.on('error', () => {});
    stream.pipe(sink as unknown as NodeJS.WritableStream);
  });
  pipeline(input, reader as unknown as NodeJS.WritableStream).then(
    () => output.finalize(),
    (error: unknown) => output.destroy(error as Error),
  );
  return asReadable(output);
}

/**
 * Streams entries without data (folders) as a tar, each under its header's
 * name, with the owner and mode that `attributes` sets.
 */
export function packHeaders(headers: readonly Header[], attributes: EntryAttributes): Readable {
  const output = pack();
  const keepName = () => undefined;
  for (const header of headers)
    output.entry(packableHeader(rewriteHeader(header, header.name, keepName, attributes)));
  output.finalize();
  return asReadable(output);
}

function rewriteHeader(
  header: Header,
  name: string,
  rename: RenameEntry,
  attributes: EntryAttributes,
): Header {
  const { owner, mode } = attributes;
  const records = header.pax as Record<string, string> | null | undefined;
  const pax = paxWithout(records, owner !== undefined);
  for (const attribute of unreadableXattrs(records)) attributes.onXattrLeftOut?.(name, attribute);
  const rewritten: Header = { ...header, name, pax };
  if (owner !== undefined) {
    Object.assign(rewritten, { uid: owner.uid, gid: owner.gid, uname: '', gname: '' });
  }
  const directory = header.type === 'directory';
  if (mode !== undefined) rewritten.mode = mode(header.mode ?? 0, directory);
  else if (owner !== undefined) rewritten.mode = modeAfterChown(header.mode ?? 0, directory);
  if (header.type === 'link' && header.linkname) {
    rewritten.linkname = rename(header.linkname) ?? header.linkname;
  }
  return rewritten;
}

/**
 * Returns the PAX records to write again, without those the rewrite replaces.
 * A record wins over the header field it stands for. tar-stream writes the
 * old records after the new name, so a kept `path` would undo the rename of
 * a long or non-ASCII name, and a kept `uid` would undo `--chown`.
 */
function paxWithout(
  pax: Record<string, string> | null | undefined,
  ownerSet: boolean,
): Record<string, string> | undefined {
  if (!pax) return undefined;
  const replaced = ownerSet ? REPLACED_WITH_OWNER : REPLACED;
  const remaining = Object.entries(pax).filter(
    ([key, value]) => !replaced.has(key) && !isUnreadableXattr(key, value),
  );
  return remaining.length === 0 ? undefined : Object.fromEntries(remaining);
}

/**
 * Returns whether a record is an extended attribute whose value tar-stream
 * could not read. It reads PAX values as UTF-8, so a binary value such as a
 * file capability with a byte of 0x80 or more comes back with U+FFFD in
 * place of that byte. Written again, the wrong value made the engine reject
 * the archive (HTTP 500, invalid argument).
 */
function isUnreadableXattr(key: string, value: string): boolean {
  return key.startsWith(XATTR_PREFIX) && value.includes('\uFFFD');
}

/** Returns the names of the extended attributes of a header that {@link paxWithout} leaves out. */
function unreadableXattrs(pax: Record<string, string> | null | undefined): string[] {
  return Object.entries(pax ?? {}).flatMap(([key, value]) =>
    isUnreadableXattr(key, value) ? [key.slice(XATTR_PREFIX.length)] : [],
  );
}

const XATTR_PREFIX = 'SCHILY.xattr.';

/** Records that tar-stream writes from the header's name and link name. */
const REPLACED = new Set(['path', 'linkpath']);
/** Those, and the owner records that `--chown` replaces. */
const REPLACED_WITH_OWNER = new Set([...REPLACED, 'uid', 'gid', 'uname', 'gname']);
