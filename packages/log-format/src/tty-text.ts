/** ANSI colours of the tty view. */
export const COLORS = {
  done: '\u001b[34m',
  error: '\u001b[31m',
  warning: '\u001b[33m',
  /** BuildKit paints a canceled step yellow, as a warning. */
  canceled: '\u001b[33m',
  log: '\u001b[90m',
  reset: '\u001b[0m',
} as const;

// Escape sequences (CSI, OSC and two-character ones) and other control characters.
const CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b.|[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * Makes a line of build output safe to place in the live view: escape
 * sequences and control characters are removed, tabs become spaces, and a
 * carriage return keeps only the text after it, as a terminal would show it.
 * @internal
 */
export function sanitizeLine(line: string): string {
  const afterReturn = line.slice(line.lastIndexOf('\r', line.length - 2) + 1);
  return afterReturn.replace(/\t/g, '  ').replace(CONTROL, '');
}

/**
 * Cuts text to at most `width` columns, counting one column per code point.
 * @internal
 */
export function truncate(text: string, width: number): string {
  if (text.length <= width) {
    return text;
  }
  const points = Array.from(text);
  if (points.length <= width) {
    return text;
  }
  return width <= 0 ? '' : points.slice(0, width).join('');
}

/**
 * Places `right` at the right edge of a `width`-column line, cutting `left`
 * to make room.
 * @internal
 */
export function alignRight(left: string, right: string, width: number): string {
  const room = width - right.length - 1;
  if (room <= 0) {
    return truncate(left, width);
  }
  const cut = truncate(left, room);
  return `${cut}${' '.repeat(room - Array.from(cut).length + 1)}${right}`;
}

/** Formats a duration in milliseconds as seconds with one decimal: `1.2s`. */
export function formatSeconds(milliseconds: number): string {
  return `${(Math.max(0, milliseconds) / 1000).toFixed(1)}s`;
}
