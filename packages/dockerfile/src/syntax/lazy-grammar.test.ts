// Start-up cost: chevrotain's lexer and grammar are made only for a line
// that the fast path cannot read.
import { describe, expect, it } from 'vitest';
import { SyntaxEngine } from './engine.js';
import { BUILTIN_INSTRUCTIONS } from './instruction-table.js';
import { parseSyntax } from './parse-syntax.js';

const SIMPLE = [
  'FROM debian:bookworm',
  'RUN apt-get -y update && apt-get install -y wget nginx',
  'CMD service nginx start',
  'COPY ./default /etc/nginx/sites-available/default',
  'WORKDIR /app',
  'EXPOSE 80:8080',
  `ENTRYPOINT ["/bin/sh", "-c", "exec nginx -g 'daemon off;'"]`,
  '',
].join('\n');

describe('the lazily made grammar', () => {
  it('is not made for a Dockerfile of simple lines', () => {
    const engine = new SyntaxEngine(BUILTIN_INSTRUCTIONS);
    const tree = parseSyntax(SIMPLE, { engine });
    expect(tree.instructions).toHaveLength(7);
    expect(engine.machineryBuilt).toBe(false);
  });

  it('is made on the first line that needs it', () => {
    const engine = new SyntaxEngine(BUILTIN_INSTRUCTIONS);
    const tree = parseSyntax(`${SIMPLE}RUN ["echo", 1]\n`, { engine });
    expect(engine.machineryBuilt).toBe(true);
    expect(tree.instructions.at(-1)?.name).toBe('RUN');
  });
});
