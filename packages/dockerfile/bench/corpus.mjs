// Builds the benchmark corpus: the project's own golden fixtures repeated
// until the text reaches the requested size.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const golden = join(import.meta.dirname, "../testdata/golden");

/** Returns the fixtures, each ending with a newline, in folder order. */
export function fixtures() {
  return readdirSync(golden)
    .sort()
    .map((name) => readFileSync(join(golden, name, "Dockerfile"), "utf8"))
    .map((text) => (text.endsWith("\n") ? text : `${text}\n`));
}

/** Returns a corpus of at least `bytes` UTF-8 bytes made of whole fixtures. */
export function corpus(bytes) {
  const parts = fixtures();
  let text = "";
  for (let index = 0; Buffer.byteLength(text) < bytes; index++) text += parts[index % parts.length];
  return text;
}
