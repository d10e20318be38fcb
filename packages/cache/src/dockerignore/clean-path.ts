/**
 * Lexical path cleaning with the rules of Go's `path/filepath.Clean` on Unix,
 * which Docker applies to every `.dockerignore` pattern.
 */

/**
 * Returns the shortest path equal to `path` by lexical processing: repeated
 * slashes become one, `.` elements go, `..` removes the element before it,
 * `..` at the start of a rooted path goes, and trailing slashes go. An empty
 * result becomes `.`.
 */
export function cleanPath(path: string): string {
  if (path === '') {
    return '.';
  }
  const rooted = path.startsWith('/');
  const elements: string[] = [];
  for (const element of path.split('/')) {
    if (element === '' || element === '.') {
      continue;
    }
    if (element !== '..') {
      elements.push(element);
    } else if (elements.length > 0 && elements[elements.length - 1] !== '..') {
      elements.pop();
    } else if (!rooted) {
      elements.push('..');
    }
  }
  const joined = elements.join('/');
  if (rooted) {
    return `/${joined}`;
  }
  return joined === '' ? '.' : joined;
}
