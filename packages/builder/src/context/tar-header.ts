/** Header fields that tar-stream's pack would write differently from the values given. */
import type { Header } from 'tar-stream';

/** Largest owner id tar-stream writes in a header field: six octal digits. */
const MAX_HEADER_ID = 0o777777;

/**
 * A file-type bit. tar-stream writes `mode & 0o7777`, so this bit never
 * reaches the archive, but it makes a mode of 0 truthy.
 */
const FILE_TYPE_BIT = 0o100000;

/**
 * Returns a header that tar-stream 3.x's pack writes with the given mode
 * and owner. That pack replaces a mode of 0 with 0644 (0755 for a folder),
 * and writes an owner id over 0o777777 (262143) as 262143. The engine reads
 * PAX `uid` and `gid` records over the header fields, so larger ids go there.
 */
export function packableHeader<Entry extends Partial<Header>>(header: Entry): Entry {
  const mode = header.mode === 0 ? FILE_TYPE_BIT : header.mode;
  const records = idRecords(header);
  if (records === undefined) return { ...header, mode };
  const pax = { ...(header.pax as Record<string, string> | null | undefined), ...records };
  return { ...header, mode, pax };
}

/** Returns the PAX records of the owner ids that do not fit a header field, if any. */
function idRecords(header: Partial<Header>): Record<string, string> | undefined {
  const records: Record<string, string> = {};
  if ((header.uid ?? 0) > MAX_HEADER_ID) records.uid = String(header.uid);
  if ((header.gid ?? 0) > MAX_HEADER_ID) records.gid = String(header.gid);
  return Object.keys(records).length === 0 ? undefined : records;
}
