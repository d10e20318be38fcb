import { EngineError } from './errors.js';

/**
 * Reads newline-delimited JSON (the engine's progress and build streams) and
 * yields one parsed value per line. A line split across chunks is joined.
 *
 * @throws {EngineError} when a line is not JSON.
 */
export async function* readJsonLines(
  source: AsyncIterable<Buffer | string>,
): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of source) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    yield* parseLines(lines);
  }
  pending += decoder.decode();
  yield* parseLines([pending]);
}

function* parseLines(lines: string[]): Generator<unknown> {
  for (const line of lines) {
    const text = line.trim();
    if (text !== '') {
      yield parseLine(text);
    }
  }
}

function parseLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const shown = text.length > 80 ? `${text.slice(0, 79)}…` : text;
    throw new EngineError('read JSON stream', undefined, `invalid JSON line "${shown}"`, {
      cause: error,
    });
  }
}
