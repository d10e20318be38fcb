import { once } from 'node:events';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { demultiplex, type OutputChunk } from './demux.js';

/** Translates a failure while reading, as the engine client does. */
type TranslateError = (error: unknown) => unknown;

/** Both output streams of a container, read in full. */
export interface OutputText {
  stdout: string;
  stderr: string;
}

/**
 * Output of an attached container: an async iterable of chunks tagged
 * `stdout` or `stderr`, which ends when the container's streams close.
 * Consume it once, by iterating, with {@link ContainerOutput.streams}, or
 * with {@link ContainerOutput.text}.
 */
export class ContainerOutput implements AsyncIterable<OutputChunk> {
  readonly #source: Readable;
  readonly #tty: boolean;
  readonly #translate: TranslateError;
  #consumed = false;

  /** @internal */
  constructor(source: Readable, tty: boolean, translate: TranslateError) {
    this.#source = source;
    this.#tty = tty;
    this.#translate = translate;
  }

  /** Yields the output as it arrives. */
  async *[Symbol.asyncIterator](): AsyncGenerator<OutputChunk> {
    this.#claim();
    try {
      yield* this.#tty ? rawChunks(this.#source) : demultiplex(this.#source);
    } catch (error) {
      throw this.#translate(error);
    } finally {
      this.#source.destroy();
    }
  }

  /**
   * Splits the output into two readable streams. Read both: as the engine's
   * own copier does, delivery waits while either stream is full.
   */
  streams(): { stdout: Readable; stderr: Readable } {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    this.pipeTo({ stdout, stderr }).then(
      () => {
        stdout.end();
        stderr.end();
      },
      (error: unknown) => {
        stdout.destroy(error as Error);
        stderr.destroy(error as Error);
      },
    );
    return { stdout, stderr };
  }

  /**
   * Writes each chunk to the matching destination, waiting for `drain` when
   * one is full, and resolves when the output ends. A missing destination
   * drops that stream. The destinations are not ended.
   */
  async pipeTo(targets: { stdout?: Writable; stderr?: Writable }): Promise<void> {
    for await (const chunk of this) {
      const target = targets[chunk.stream];
      if (target !== undefined && !target.write(chunk.data)) {
        await once(target, 'drain');
      }
    }
  }

  /** Reads the whole output into two strings; meant for short outputs. */
  async text(): Promise<OutputText> {
    const parts: Record<keyof OutputText, Buffer[]> = { stdout: [], stderr: [] };
    for await (const chunk of this) {
      parts[chunk.stream].push(chunk.data);
    }
    return {
      stdout: Buffer.concat(parts.stdout).toString('utf8'),
      stderr: Buffer.concat(parts.stderr).toString('utf8'),
    };
  }

  /** Stops reading and closes the connection. */
  close(): void {
    this.#source.destroy();
  }

  #claim(): void {
    if (this.#consumed) {
      throw new Error('Container output was already consumed; attach again to read it twice.');
    }
    this.#consumed = true;
  }
}

async function* rawChunks(source: AsyncIterable<Buffer>): AsyncGenerator<OutputChunk> {
  for await (const data of source) {
    yield { stream: 'stdout', data };
  }
}
