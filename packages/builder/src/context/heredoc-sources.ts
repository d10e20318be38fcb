/**
 * Heredoc sources of COPY and ADD, with BuildKit's semantics: each heredoc is
 * a file named after its delimiter, mode 0644, whose text is the heredoc's
 * content. An unquoted delimiter expands variables in it, and a quoted one
 * (`<<"EOF"`, `<<'EOF'`) keeps it as written.
 */
import { createHash } from 'node:crypto';
import type { HeredocNode } from '@gantry/dockerfile';
import { BuildError } from '../errors.js';
import type { MatchedSource } from './match-sources.js';

/** Mode of a file that a heredoc source becomes, before `--chmod`. */
export const HEREDOC_FILE_MODE = 0o644;

const MARKER = /^\d*<<-?\s*(["']?)(.+)\1$/;

/** Returns the delimiter a source word names when it is a heredoc marker (`<<EOF`), else undefined. */
export function heredocName(source: string): string | undefined {
  return MARKER.exec(source)?.[2];
}

/**
 * Builds the source of each heredoc marker among `sources`, in order.
 * `expand` substitutes variables in the text of an unquoted heredoc.
 *
 * @throws BuildError `ERR_DOCKERFILE` for a marker without a heredoc body.
 */
export function heredocSources(
  sources: readonly string[],
  heredocs: readonly HeredocNode[],
  expand: (text: string) => string,
): MatchedSource[] {
  const byName = new Map(heredocs.map((heredoc) => [heredoc.name, heredoc]));
  return sources.flatMap((source) => {
    const name = heredocName(source);
    if (name === undefined) return [];
    const heredoc = byName.get(name);
    if (heredoc === undefined) {
      throw new BuildError(
        'ERR_DOCKERFILE',
        `${source} names a heredoc that has no body; write the text on the next lines and end it with a line ${name}`,
      );
    }
    return [inlineSource(source, name, heredocText(heredoc, expand))];
  });
}

/** Returns the text a heredoc gives: leading tabs removed for `<<-`, variables expanded unless quoted. */
function heredocText(heredoc: HeredocNode, expand: (text: string) => string): string {
  const content = heredoc.chomp ? heredoc.content.replace(/^\t+/gm, '') : heredoc.content;
  return heredoc.expand ? expand(content) : content;
}

function inlineSource(source: string, name: string, text: string): MatchedSource {
  const content = Buffer.from(text, 'utf8');
  const digest = `sha256:${createHash('sha256').update(content).digest('hex')}`;
  return {
    source,
    name,
    matchedPath: source,
    entry: { path: source, type: 'file', mode: HEREDOC_FILE_MODE, size: content.length, digest },
    children: [],
    origin: { kind: 'inline', content },
  };
}

/**
 * Escapes the quotes of a heredoc's text outside `${...}`, so that a word
 * expansion keeps them. BuildKit expands a COPY or ADD heredoc with quote
 * processing off but escapes processed: `\$X` gives `$X`, and `"` stays.
 */
export function protectQuotes(text: string, escapeCharacter: string): string {
  let result = '';
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const character = text[index] ?? '';
    if (character === escapeCharacter && index + 1 < text.length) {
      result += character + (text[++index] ?? '');
      continue;
    }
    if (character === '$' && text[index + 1] === '{') depth += 1;
    else if (character === '}' && depth > 0) depth -= 1;
    else if ((character === '"' || character === "'") && depth === 0) result += escapeCharacter;
    result += character;
  }
  return result;
}
