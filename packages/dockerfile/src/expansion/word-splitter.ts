import { isSpace } from './characters.js';

/**
 * Collects the words of an expansion as Docker's `ProcessWords` does: white space
 * outside quotes and outside escapes ends a word, and a word is kept only when it
 * has at least one character.
 *
 * @internal
 */
export class WordSplitter {
  readonly words: string[] = [];
  private current = '';
  private inWord = false;

  /** Adds a character that splits the word when it is white space. */
  addCharacter(codePoint: number): void {
    if (!isSpace(codePoint)) {
      this.addRawCharacter(codePoint);
      return;
    }
    if (this.inWord && this.current.length > 0) {
      this.words.push(this.current);
      this.current = '';
      this.inWord = false;
    }
  }

  /** Adds a character that never splits the word (escaped or quoted). */
  addRawCharacter(codePoint: number): void {
    this.current += String.fromCodePoint(codePoint);
    this.inWord = true;
  }

  /** Adds text whose white space splits words: the value of a variable. */
  addText(text: string): void {
    for (const character of text) {
      this.addCharacter(character.codePointAt(0) ?? 0);
    }
  }

  /** Adds text that stays in the current word: the content of quotes. */
  addRawText(text: string): void {
    this.current += text;
    this.inWord = true;
  }

  /** Ends the last word and returns every word. */
  finish(): string[] {
    if (this.current.length > 0) {
      this.words.push(this.current);
      this.current = '';
      this.inWord = false;
    }
    return this.words;
  }
}
