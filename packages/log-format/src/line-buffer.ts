/** Maximum length of a partial line kept while waiting for its newline, in UTF-16 code units. */
export const MAX_PARTIAL_LINE = 64 * 1024;

/**
 * Splits chunks of output into complete lines, keeping the unfinished end of
 * the last chunk until its newline arrives. A partial line longer than
 * {@link MAX_PARTIAL_LINE} is released as a line, so memory stays bounded.
 * @internal
 */
export class LineBuffer {
  #partial = '';
  /** Time of the first chunk of the partial line, in milliseconds. */
  partialTime = 0;

  /** Calls `onLine` for each line the chunk completes, without its newline. */
  push(chunk: string, time: number, onLine: (line: string, time: number) => void): void {
    let start = 0;
    let newline = chunk.indexOf('\n');
    if (newline !== -1 && this.#partial !== '') {
      onLine(this.#partial + chunk.slice(0, newline), this.partialTime);
      this.#partial = '';
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    while (newline !== -1) {
      onLine(chunk.slice(start, newline), time);
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    this.#keepPartial(chunk.slice(start), time, onLine);
  }

  /** Calls `onLine` with the partial line, if any, and clears it. */
  flush(onLine: (line: string, time: number) => void): void {
    if (this.#partial !== '') {
      const line = this.#partial;
      this.#partial = '';
      onLine(line, this.partialTime);
    }
  }

  #keepPartial(rest: string, time: number, onLine: (line: string, time: number) => void): void {
    if (rest === '') {
      return;
    }
    if (this.#partial === '') {
      this.partialTime = time;
    }
    this.#partial += rest;
    if (this.#partial.length > MAX_PARTIAL_LINE) {
      this.flush(onLine);
    }
  }
}
