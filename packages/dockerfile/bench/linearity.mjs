// Parse time against input size for inputs that are hard for a line-based
// parser: one long line, one instruction of many continuation lines, many
// pairs, and long runs that would make a backtracking pattern quadratic.
// Prints the time per size; linear growth keeps the time per MB flat.
import { performance } from 'node:perf_hooks';
import { parseSyntax } from '../dist/index.js';

const SHAPES = {
  'single line (RUN with one long line)': (size) =>
    `FROM a\nRUN ${'echo abc && '.repeat(Math.ceil(size / 12))}\n`,
  'continuation lines (RUN a \\ per line)': (size) =>
    `FROM a\nRUN ${'a \\\n'.repeat(Math.ceil(size / 4))}b\n`,
  'ENV pairs on one line': (size) => `FROM a\nENV ${'K=v '.repeat(Math.ceil(size / 4))}\n`,
  'unterminated JSON string of escaped quotes': (size) =>
    `FROM a\nCMD ["${'\\"'.repeat(Math.ceil(size / 2))}\n`,
  'directive line of blanks': (size) => `# escape=\\${' '.repeat(size)}x\nFROM a\n`,
};
const SIZES = [128 * 1024, 256 * 1024, 512 * 1024, 1024 * 1024];

function time(text) {
  parseSyntax(text);
  const start = performance.now();
  const rounds = 5;
  for (let index = 0; index < rounds; index++) parseSyntax(text);
  return (performance.now() - start) / rounds;
}

for (const [name, make] of Object.entries(SHAPES)) {
  console.log(name);
  for (const size of SIZES) {
    const text = make(size);
    const milliseconds = time(text);
    const perMegabyte = milliseconds / (text.length / (1024 * 1024));
    const lines = text.split('\n').length;
    console.log(
      `  ${(text.length / 1024).toFixed(0).padStart(5)} KB ${String(lines).padStart(7)} lines ` +
        `${milliseconds.toFixed(1).padStart(8)} ms ${perMegabyte.toFixed(1).padStart(8)} ms/MB`,
    );
  }
}
