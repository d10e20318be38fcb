/**
 * Test helpers that make transcripts comparable across builds: ids become
 * numbered placeholders and the test-run label becomes a fixed value.
 */

const ID = /(?:sha256:)?\b([0-9a-f]{64}|[0-9a-f]{12})\b/g;
const RUN_LABEL = /io\.gantry\.test=[A-Za-z0-9._-]+/g;

/** Label value that hand-written events use where a real build has its run id. */
export const RUN_ID_PLACEHOLDER = 'RUN_ID';

/**
 * Replaces image and container ids (12 or 64 hex digits, with or without
 * `sha256:`) by `<id N>`, numbered in order of first appearance so that the
 * short and full forms of one id get the same number.
 */
export function normalizeIds(text: string): string {
  const numbers = new Map<string, number>();
  return text.replace(ID, (match, hex: string) => {
    const key = hex.slice(0, 12);
    let number = numbers.get(key);
    if (number === undefined) {
      number = numbers.size + 1;
      numbers.set(key, number);
    }
    const prefix = match.startsWith('sha256:') ? 'sha256:' : '';
    return `${prefix}<id ${number}${hex.length === 64 ? ' full' : ''}>`;
  });
}

/** Normalises a classic or engine-json transcript: ids and the run label. */
export function normalizeTranscript(text: string): string {
  return normalizeIds(text.replace(RUN_LABEL, `io.gantry.test=${RUN_ID_PLACEHOLDER}`));
}

/**
 * Normalises a BuildKit plain transcript to line shapes: vertex numbers,
 * seconds and digests become placeholders, so two transcripts compare by form.
 */
export function plainLineShape(line: string): string {
  return line
    .replace(/^#\d+ /, '#N ')
    .replace(/^#N \d+\.\d{3} .*/, '#N SECONDS TEXT')
    .replace(/^#N DONE \d+\.\ds$/, '#N DONE SECONDSs')
    .replace(/^#N \[([^\]]*?)\d+\/\d+\] .*/, '#N [$1I/N] INSTRUCTION')
    .replace(/^#N ERROR: .*/, '#N ERROR: MESSAGE')
    .replace(/^ > \[(\d+)\/(\d+)\] .*:$/, ' > [I/N] INSTRUCTION:')
    .replace(/sha256:[0-9a-f]{64}/g, 'sha256:DIGEST')
    .replace(/^#N naming to \S+ done$/, '#N naming to REFERENCE done');
}

/** Shows escape and control characters of terminal output, for readable golden files. */
export function showControlCharacters(text: string): string {
  return text.replaceAll('\u001b', '\\e').replaceAll('\r', '\\r');
}
