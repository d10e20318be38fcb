/**
 * Adds `:latest` to an image reference that has neither a tag nor a digest,
 * as `docker build` prints tags (`Successfully tagged app:latest`).
 */
export function withDefaultTag(reference: string): string {
  if (reference.includes('@')) {
    return reference;
  }
  const lastComponent = reference.slice(reference.lastIndexOf('/') + 1);
  return lastComponent.includes(':') ? reference : `${reference}:latest`;
}

/**
 * Expands a reference to its fully qualified form, as BuildKit names images
 * (`app` gives `docker.io/library/app:latest`). The first component is a
 * registry host when it contains `.` or `:`, or is `localhost`.
 */
export function qualifiedReference(reference: string): string {
  const tagged = withDefaultTag(reference);
  const slash = tagged.indexOf('/');
  const first = slash === -1 ? '' : tagged.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost') {
    return tagged;
  }
  return slash === -1 ? `docker.io/library/${tagged}` : `docker.io/${tagged}`;
}
