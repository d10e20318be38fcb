/** An image reference split into repository and tag or digest. */
export interface ImageReferenceParts {
  /** Registry host, path and name, such as `127.0.0.1:5000/busybox`. */
  repository: string;
  /** Tag, when the reference has one. */
  tag?: string;
  /** Digest, when the reference has one, such as `sha256:…`. */
  digest?: string;
}

/**
 * Splits `[registry/]name[:tag][@digest]`. A colon before the last slash
 * belongs to a registry port, not to a tag.
 *
 * @example splitImageReference('127.0.0.1:5000/busybox:1') // { repository: '127.0.0.1:5000/busybox', tag: '1' }
 */
export function splitImageReference(reference: string): ImageReferenceParts {
  const at = reference.indexOf('@');
  const named = at === -1 ? reference : reference.slice(0, at);
  const digest = at === -1 ? undefined : reference.slice(at + 1);
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  const parts: ImageReferenceParts = { repository: hasTag ? named.slice(0, colon) : named };
  if (hasTag) parts.tag = named.slice(colon + 1);
  if (digest !== undefined) parts.digest = digest;
  return parts;
}
