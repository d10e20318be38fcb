import type { OutputEncoding } from './events.js';

const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new TextDecoder('utf-8');

/** The `data` and `encoding` fields of an output event. */
export interface EncodedOutput {
  data: string;
  encoding: OutputEncoding;
}

/**
 * Encodes a chunk of container output for an output event: valid UTF-8 as
 * text, anything else as base64. A multi-byte character split across two
 * chunks is invalid on its own, so callers should split chunks at character
 * boundaries (a streaming `TextDecoder` does) to keep text readable in JSON.
 */
export function encodeOutput(bytes: Uint8Array): EncodedOutput {
  try {
    return { data: strictDecoder.decode(bytes), encoding: 'utf-8' };
  } catch {
    return { data: bytesToBase64(bytes), encoding: 'base64' };
  }
}

/**
 * Decodes an output event's data to text. Bytes that are not valid UTF-8
 * become U+FFFD, because renderers write text.
 */
export function decodeOutputText(data: string, encoding: OutputEncoding): string {
  if (encoding === 'utf-8') {
    return data;
  }
  return lenientDecoder.decode(base64ToBytes(data));
}

/** Decodes an output event's data to the bytes the container wrote. */
export function decodeOutputBytes(data: string, encoding: OutputEncoding): Uint8Array {
  if (encoding === 'utf-8') {
    return new TextEncoder().encode(data);
  }
  return base64ToBytes(data);
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary);
}

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}
