import { EngineError } from './errors.js';

/** Kind of file a container path is. */
export type ContainerPathType = 'file' | 'directory' | 'symlink' | 'other';

/** A path in a container as the engine describes it, without copying it. */
export interface ContainerPathStat {
  /** Last element of the path. */
  name: string;
  /** Size in bytes, as `lstat` reports it. */
  size: number;
  /** Kind of file. */
  type: ContainerPathType;
  /** Unix permission bits with setuid, setgid and sticky: `0o755`, `0o1777`. */
  mode: number;
  /** Modification time in RFC 3339, as the engine sends it. */
  modifiedAt: string;
  /** Target of a symbolic link as an absolute path in the container (the engine resolves a relative target); empty for other files. */
  linkTarget: string;
}

// The engine sends Go's os.FileMode: type and special bits above the permissions.
const GO_MODE_DIR = 2 ** 31;
const GO_MODE_SYMLINK = 2 ** 27;
const GO_MODE_OTHER_TYPES = 2 ** 26 + 2 ** 25 + 2 ** 24 + 2 ** 21; // device, pipe, socket, char device
const GO_MODE_SETUID = 2 ** 23;
const GO_MODE_SETGID = 2 ** 22;
const GO_MODE_STICKY = 2 ** 20;

/**
 * Decodes the engine's `X-Docker-Container-Path-Stat` header: base64 of a
 * JSON object with `name`, `size`, `mode` (a Go file mode), `mtime` and
 * `linkTarget`.
 *
 * @internal
 */
export function readPathStatHeader(header: string | string[] | undefined, path: string) {
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined || text === '') {
    throw new EngineError(`stat ${path} in container`, 200, 'the engine sent no path stat header');
  }
  const raw = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Record<string, unknown>;
  const goMode = Number(raw.mode);
  const stat: ContainerPathStat = {
    name: String(raw.name ?? ''),
    size: Number(raw.size ?? 0),
    type: pathType(goMode),
    mode: unixMode(goMode),
    modifiedAt: String(raw.mtime ?? ''),
    linkTarget: String(raw.linkTarget ?? ''),
  };
  return stat;
}

function pathType(goMode: number): ContainerPathType {
  if (goMode >= GO_MODE_DIR) {
    return 'directory';
  }
  if (hasBit(goMode, GO_MODE_SYMLINK)) {
    return 'symlink';
  }
  return (goMode & GO_MODE_OTHER_TYPES) === 0 ? 'file' : 'other';
}

function unixMode(goMode: number): number {
  let mode = goMode & 0o777;
  if (hasBit(goMode, GO_MODE_SETUID)) mode |= 0o4000;
  if (hasBit(goMode, GO_MODE_SETGID)) mode |= 0o2000;
  if (hasBit(goMode, GO_MODE_STICKY)) mode |= 0o1000;
  return mode;
}

// Bitwise operators work on 32-bit signed integers, which would turn the
// directory bit negative, so the bit is tested on the remainder instead.
function hasBit(goMode: number, bit: number): boolean {
  return Math.floor(goMode / bit) % 2 === 1;
}
