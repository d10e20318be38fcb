/** Re-rooting a tar stream from one container so it lands where a COPY --from puts it. */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, type Header, pack } from 'tar-stream';
import type { ModeChange } from './file-mode.js';
import { asReadable } from './pack-sources.js';

/**
 * Returns the new path of an entry (relative to `/`), or undefined to drop
 * it. `type` is the entry's tar type (`file`, `directory`, `symlink`...) and
 * `header` its whole header, both undefined when a hard link's target is renamed.
 */
export type RenameEntry = (name: string, type?: string, header?: Header) => string | undefined;

/** Owner and mode a rewrite sets on each entry. An absent field keeps the archive's value. */
export interface EntryAttributes {
  /** Owner ids from `--chown`. */
  readonly owner?: { readonly uid: number; readonly gid: number } | undefined;
  /** Mode from `--chmod`, applied to each entry's own. */
  readonly mode?: ModeChange | undefined;
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
    const name = rename(header.name, header.type ?? 'file', header);
    if (name === undefined) {
      stream.resume();
      stream.on('end', next);
      return;
    }
    const rewritten = rewriteHeader(header, name, rename, attributes);
    const sink = output.entry(rewritten, (error) => next(error ?? undefined));
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
    output.entry(rewriteHeader(header, header.name, keepName, attributes));
  output.finalize();
  return asReadable(output);
}

function rewriteHeader(
  header: Header,
  name: string,
  rename: RenameEntry,
  attributes: EntryAttributes,
): Header {
  const rewritten: Header = { ...header, name };
  const { owner, mode } = attributes;
  if (owner !== undefined) {
    Object.assign(rewritten, { uid: owner.uid, gid: owner.gid, uname: '', gname: '' });
  }
  if (mode !== undefined) rewritten.mode = mode(header.mode ?? 0, header.type === 'directory');
  if (header.type === 'link' && header.linkname) {
    rewritten.linkname = rename(header.linkname) ?? header.linkname;
  }
  return rewritten;
}
