// Builds the benchmark corpora: the project's own golden fixtures, and the
// Dockerfiles of BuildKit's parser tests, each repeated until the text
// reaches the requested size.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const golden = join(import.meta.dirname, '../testdata/golden');

/** Returns the fixtures, each ending with a newline, in folder order. */
export function fixtures() {
  return readdirSync(golden)
    .sort()
    .map((name) => readFileSync(join(golden, name, 'Dockerfile'), 'utf8'))
    .map((text) => (text.endsWith('\n') ? text : `${text}\n`));
}

/**
 * Returns a corpus of at least `bytes` UTF-8 bytes: the fixtures repeated,
 * each one a separate file, as a build tool or an editor reads them.
 */
export function corpusFiles(bytes, parts = fixtures()) {
  const files = [];
  let total = 0;
  for (let index = 0; total < bytes; index++) {
    const file = parts[index % parts.length];
    files.push(file);
    total += Buffer.byteLength(file);
  }
  return files;
}

/** Returns the corpus files joined into one text, for size tests of one input. */
export function corpus(bytes) {
  return corpusFiles(bytes).join('');
}

/**
 * Returns the Dockerfiles of BuildKit's positive parser cases, read by path
 * from `$GANTRY_CONFORMANCE_DIR` or `shared/conformance` beside the
 * repository, or `undefined` when that folder is missing.
 */
export function conformanceFixtures() {
  const root =
    process.env.GANTRY_CONFORMANCE_DIR ||
    resolve(import.meta.dirname, '../../../../shared/conformance');
  const positive = join(root, 'parser/positive');
  if (!existsSync(positive)) return undefined;
  return readdirSync(positive)
    .sort()
    .map((name) => readFileSync(join(positive, name, 'Dockerfile'), 'utf8'));
}
