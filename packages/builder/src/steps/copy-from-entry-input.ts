/** The cache-key input of one entry of an engine archive of a `COPY --from` source image. */
import { createHash } from 'node:crypto';
import type { EntryType, FileInput } from '@gantry/cache';
import type { Header } from 'tar-stream';

/**
 * Returns the key input of an archive entry. Its digest covers what the copy
 * keeps beyond the path, type, mode and owner: the content or link target,
 * the device numbers of a device, and the extended attributes. The
 * modification time is left out, as the classic builder's file hash (moby's
 * `pkg/tarsum`, version 1) leaves it out, so a rebuilt source stage with the
 * same files still hits.
 */
export function fileInputOf(path: string, header: Header, contentHex: string): FileInput {
  const type = entryTypeOf(header.type);
  const linkHex = sha256Hex(header.linkname ?? '');
  // A hard link's target name decides its content, as a symbolic link's does.
  const other = header.linkname ? `sha256:${linkHex}` : '';
  const digest = { file: `sha256:${contentHex}`, symlink: `sha256:${linkHex}`, dir: '', other };
  return {
    path,
    type,
    mode: (header.mode ?? 0) & 0o7777,
    digest: withHeaderFields(digest[type], header),
    owner: ownerOf(header),
  };
}

/**
 * Returns `uid:gid` as the engine applies them. Go's tar writer stores an id
 * above 2097151 (the largest 7-digit octal) in a PAX record and 0 in the
 * header field, and tar-stream leaves PAX records in `header.pax`.
 */
function ownerOf(header: Header): string {
  const pax = paxRecords(header);
  const uid = pax.uid ?? header.uid ?? 0;
  const gid = pax.gid ?? header.gid ?? 0;
  return `${uid}:${gid}`;
}

/**
 * Returns the digest with the device numbers and extended attributes folded
 * in, or the digest alone for an entry that has neither, so that the keys of
 * plain files and folders keep their digests.
 * NOTE: tar-stream decodes PAX values as UTF-8, so two xattr values that
 * differ only in bytes that are not valid UTF-8 give the same text here.
 * The copy leaves such values out (rewrite-archive.ts), so the key still
 * matches what the copy writes.
 */
function withHeaderFields(digest: string, header: Header): string {
  const fields: (string | number)[][] = [];
  if (header.type === 'character-device' || header.type === 'block-device') {
    fields.push(['device', header.devmajor ?? 0, header.devminor ?? 0]);
  }
  const xattrs = Object.entries(paxRecords(header)).filter(([key]) => key.startsWith(XATTR_PREFIX));
  xattrs.sort(([left], [right]) => (left < right ? -1 : 1));
  for (const [key, value] of xattrs) fields.push(['xattr', key.slice(XATTR_PREFIX.length), value]);
  if (fields.length === 0) return digest;
  return `sha256:${sha256Hex(JSON.stringify([digest, ...fields]))}`;
}

/** Returns the PAX records of an entry by key, which tar-stream types as `{}`. */
function paxRecords(header: Header): Readonly<Record<string, string>> {
  return (header.pax ?? {}) as Record<string, string>;
}

/** Prefix of the PAX records that carry extended attributes, as Go's archive/tar writes them. */
const XATTR_PREFIX = 'SCHILY.xattr.';

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Maps a tar type to the cache's entry type; a hard link counts as `other`, its target as a file. */
function entryTypeOf(type: Header['type']): EntryType {
  if (type === 'file' || type === 'contiguous-file' || type === undefined || type === null) {
    return 'file';
  }
  if (type === 'directory') return 'dir';
  if (type === 'symlink') return 'symlink';
  return 'other';
}
