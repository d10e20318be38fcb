import type { EscapeCharacter } from './expand.js';

/**
 * Quotes a value so that {@link expandWord} gives it back unchanged and
 * {@link expandWords} keeps it as one word: the value goes between single quotes, and
 * each single quote in it is written as an escaped quote between two quoted parts.
 *
 * @example
 * ```ts
 * quoteWord("it's $HOME"); // `'it'\''s $HOME'`
 * ```
 */
export function quoteWord(value: string, escapeCharacter: EscapeCharacter = '\\'): string {
  return `'${value.replaceAll("'", `'${escapeCharacter}''`)}'`;
}
