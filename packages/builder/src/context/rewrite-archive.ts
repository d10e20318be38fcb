/** Re-rooting a tar stream from one container so it lands where a COPY --from puts it. */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, type Header, pack } from 'tar-stream';
import type { CopyAttributes } from './pack-sources.js';
import { asReadable } from './pack-sources.js';

/** Returns the new path of an entry (relative to `/`), or undefined to drop it. */
export type RenameEntry = (name: string) => string | undefined;

/**
 * Streams `input` through with each entry renamed and given the COPY's owner
 * and mode (`keep` keeps the archive's); hard links are renamed with their targets.
 */
export function rewriteArchive(
  input: Readable,
  rename: RenameEntry,
  attributes: CopyAttributes | 'keep',
): Readable {
  const output = pack();
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    const name = rename(header.name);
    if (name === undefined) {
      stream.resume();
      stream.on('end', next);
      return;
    }
    const rewritten = rewriteHeader(header, name, rename, attributes);
    const sink = output.entry(rewritten, (error) => next(error ?? undefined));
    stream.pipe(sink as unknown as NodeJS.WritableStream);
  });
  pipeline(input, reader as unknown as NodeJS.WritableStream).then(
    () => output.finalize(),
    (error: unknown) => output.destroy(error as Error),
  );
  return asReadable(output);
}

function rewriteHeader(
  header: Header,
  name: string,
  rename: RenameEntry,
  attributes: CopyAttributes | 'keep',
): Header {
  const rewritten: Header = { ...header, name };
  if (attributes !== 'keep') {
    Object.assign(rewritten, { uid: attributes.uid, gid: attributes.gid, uname: '', gname: '' });
    if (attributes.mode !== undefined) rewritten.mode = attributes.mode;
  }
  if (header.type === 'link' && header.linkname) {
    rewritten.linkname = rename(header.linkname) ?? header.linkname;
  }
  return rewritten;
}
