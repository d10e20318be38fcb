/** Code point returned by {@link CodePointScanner} at the end of the text. */
export const EOF = -1;

/**
 * Reads a string one Unicode code point at a time, as Go's `text/scanner` reads runes,
 * while keeping offsets in UTF-16 code units so that errors can point into the word.
 *
 * @internal
 */
export class CodePointScanner {
  readonly text: string;
  /** Offset of the next code point, in UTF-16 code units. */
  offset = 0;

  constructor(text: string) {
    this.text = text;
  }

  /** Returns the next code point without consuming it, or {@link EOF}. */
  peek(): number {
    return this.text.codePointAt(this.offset) ?? EOF;
  }

  /** Consumes and returns the next code point, or {@link EOF}. */
  next(): number {
    const codePoint = this.peek();
    if (codePoint !== EOF) {
      this.offset += codePoint > 0xffff ? 2 : 1;
    }
    return codePoint;
  }

  atEnd(): boolean {
    return this.offset >= this.text.length;
  }
}
