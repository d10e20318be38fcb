import { EngineError } from './errors.js';

/** Name of the output stream a chunk came from. */
export type OutputStreamName = 'stdout' | 'stderr';

/** A piece of a container's output. */
export interface OutputChunk {
  /** Stream the engine tagged the bytes with. */
  stream: OutputStreamName;
  /** Bytes as the process wrote them. */
  data: Buffer;
}

/** Size of a frame header: stream type, three zero bytes, big-endian payload length. */
const HEADER_SIZE = 8;

/** Stream type byte of a frame; stdin frames carry output too (the engine echoes a TTY-less stdin). */
const STREAM_TYPES: Readonly<Record<number, OutputStreamName>> = {
  0: 'stdout',
  1: 'stdout',
  2: 'stderr',
};

/** Type of a frame that carries an error from the engine itself, not the process. */
const SYSTEM_ERROR_TYPE = 3;

/**
 * Decodes the engine's multiplexed stream (a non-TTY container's attach or
 * logs output) into chunks. Frames and headers may be split across input
 * chunks; the decoder keeps what is incomplete until the rest arrives.
 */
export class FrameDecoder {
  #pending: Buffer = Buffer.alloc(0);

  /** Adds `chunk` and returns every frame that is now complete. */
  push(chunk: Buffer): OutputChunk[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const chunks: OutputChunk[] = [];
    let offset = 0;
    while (this.#pending.length - offset >= HEADER_SIZE) {
      const size = this.#pending.readUInt32BE(offset + 4);
      const end = offset + HEADER_SIZE + size;
      if (this.#pending.length < end) {
        break;
      }
      const type = this.#pending.readUInt8(offset);
      chunks.push(frame(type, this.#pending.subarray(offset + HEADER_SIZE, end)));
      offset = end;
    }
    this.#pending = this.#pending.subarray(offset);
    return chunks;
  }

  /**
   * Checks that the stream ended on a frame boundary.
   *
   * @throws {EngineError} when a frame was cut off.
   */
  end(): void {
    if (this.#pending.length > 0) {
      const detail = `the stream ended inside a frame (${this.#pending.length} bytes left)`;
      throw new EngineError('read container output', undefined, detail);
    }
  }
}

/** Yields the demultiplexed chunks of a multiplexed stream. */
export async function* demultiplex(source: AsyncIterable<Buffer>): AsyncGenerator<OutputChunk> {
  const decoder = new FrameDecoder();
  for await (const chunk of source) {
    yield* decoder.push(chunk);
  }
  decoder.end();
}

function frame(type: number, payload: Buffer): OutputChunk {
  const stream = STREAM_TYPES[type];
  if (stream !== undefined) {
    return { stream, data: payload };
  }
  if (type === SYSTEM_ERROR_TYPE) {
    throw new EngineError('read container output', undefined, payload.toString('utf8').trim());
  }
  throw new EngineError(
    'read container output',
    undefined,
    `unknown stream type ${type} in a frame header; was the container created with Tty?`,
  );
}
