// Builds the benchmark corpus: the project's own golden fixtures repeated
// until the text reaches the requested size.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
export function corpusFiles(bytes) {
  const parts = fixtures();
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
