import type Dockerode from 'dockerode';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryRead } from './retry.js';
import { type CallContext, translateError } from './translate-error.js';

/** Request of docker-modem's `dial`. */
type DialOptions = Parameters<Dockerode['modem']['dial']>[0];

/**
 * The dockerode instance shared by the resource implementations, with the
 * rules every call follows: abort first, retry reads, translate errors.
 *
 * @internal
 */
export class EngineClient {
  /** Injected dockerode instance. */
  readonly docker: Dockerode;
  /** Engine address for messages. */
  readonly address: string;
  readonly #retry: RetryPolicy;

  /** Docker context the address was read from, which connection errors name. */
  readonly dockerContext: string | undefined;

  constructor(
    docker: Dockerode,
    address: string,
    retry: RetryPolicy = DEFAULT_RETRY_POLICY,
    dockerContext?: string,
  ) {
    this.docker = docker;
    this.address = address;
    this.#retry = retry;
    this.dockerContext = dockerContext;
  }

  /** Runs an idempotent GET request, retried after transient connection failures. */
  async read<T>(context: CallContext, call: () => Promise<T>): Promise<T> {
    context.signal?.throwIfAborted();
    try {
      return await retryRead(context.operation, call, this.#retry, context.signal);
    } catch (error) {
      throw this.translate(error, context);
    }
  }

  /** Runs a request that changes state; it is never retried. */
  async write<T>(context: CallContext, call: () => Promise<T>): Promise<T> {
    context.signal?.throwIfAborted();
    try {
      return await call();
    } catch (error) {
      throw this.translate(error, context);
    }
  }

  /**
   * Sends a request through dockerode's modem, for the endpoints whose
   * dockerode method drops the abort signal (image inspect and history).
   */
  dial<T>(options: DialOptions): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.docker.modem.dial(options, (error, data) =>
        error ? reject(error) : resolve(data as T),
      );
    });
  }

  /** Converts a failure of `context`'s call into this package's error, or the abort reason. */
  translate(error: unknown, context: CallContext): unknown {
    return translateError(error, context, this.address, this.dockerContext);
  }
}
