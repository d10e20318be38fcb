import { expect, test } from 'vitest';
import { decodeOutputBytes, decodeOutputText, encodeOutput } from './output-data.js';

test('encodeOutput keeps UTF-8 as text', () => {
  const bytes = new TextEncoder().encode('héllo 🐳\n');

  expect(encodeOutput(bytes)).toEqual({ data: 'héllo 🐳\n', encoding: 'utf-8' });
});

test('encodeOutput sends invalid UTF-8 as base64', () => {
  const bytes = new Uint8Array([0x61, 0xff, 0xfe, 0x0a]);
  const encoded = encodeOutput(bytes);

  expect(encoded).toEqual({ data: 'Yf/+Cg==', encoding: 'base64' });
  expect(decodeOutputBytes(encoded.data, encoded.encoding)).toEqual(bytes);
});

test('decodeOutputText replaces invalid bytes', () => {
  expect(decodeOutputText('Yf/+Cg==', 'base64')).toBe('a\ufffd\ufffd\n');
});

test('decodeOutputBytes encodes text as UTF-8', () => {
  expect(decodeOutputBytes('é', 'utf-8')).toEqual(new Uint8Array([0xc3, 0xa9]));
});
