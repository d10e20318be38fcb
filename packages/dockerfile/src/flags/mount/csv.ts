// The first record of a CSV text, read as Go's encoding/csv reads it with its default
// settings, because BuildKit splits `--mount` values that way.

/** Raised for CSV that Go's strict reader rejects. @internal */
export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
}

/**
 * Returns the fields of the first record. Commas separate fields, and a field that starts
 * with `"` is quoted: inside it `""` is one quote, and commas and line breaks are kept.
 * A quote inside an unquoted field is an error, and empty lines are skipped.
 *
 * @internal
 */
export function readCsvRecord(text: string): string[] {
  const input = text.replaceAll('\r\n', '\n');
  let offset = skipEmptyLines(input, 0);
  if (offset >= input.length) {
    throw new CsvSyntaxError('the value is empty');
  }
  const fields: string[] = [];
  for (;;) {
    const field = input[offset] === '"' ? readQuoted(input, offset) : readUnquoted(input, offset);
    fields.push(field.value);
    offset = field.end;
    if (input[offset] !== ',') {
      return fields;
    }
    offset++;
  }
}

function skipEmptyLines(input: string, start: number): number {
  let offset = start;
  while (input[offset] === '\n') {
    offset++;
  }
  return offset;
}

function readUnquoted(input: string, start: number): { value: string; end: number } {
  let end = start;
  while (end < input.length && input[end] !== ',' && input[end] !== '\n') {
    end++;
  }
  const value = input.slice(start, end);
  if (value.includes('"')) {
    throw new CsvSyntaxError(`the unquoted field ${JSON.stringify(value)} contains a quote`);
  }
  return { value, end };
}

function readQuoted(input: string, start: number): { value: string; end: number } {
  let value = '';
  let offset = start + 1;
  for (;;) {
    const close = input.indexOf('"', offset);
    if (close === -1) {
      throw new CsvSyntaxError('a quoted field has no closing quote');
    }
    value += input.slice(offset, close);
    const after = input[close + 1];
    if (after === '"') {
      value += '"';
      offset = close + 2;
      continue;
    }
    if (after === undefined || after === ',' || after === '\n') {
      return { value, end: close + 1 };
    }
    throw new CsvSyntaxError('a quoted field has text after its closing quote');
  }
}
