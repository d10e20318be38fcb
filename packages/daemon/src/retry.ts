import { setTimeout as sleep } from 'node:timers/promises';
import { log } from './log.js';
import { errorCode } from './translate-error.js';

/** Retry policy of reads after a transient connection failure. */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 turns retrying off. */
  retries: number;
  /** Delay before the first retry, in milliseconds; each later delay doubles. */
  initialDelayMs: number;
}

/** Three retries after 100, 200 and 400 ms: long enough for an engine restart's socket swap. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, initialDelayMs: 100 };

/** Connection failures worth another try on an idempotent request. */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE']);

/**
 * Runs `attempt` and runs it again after a transient connection failure, up
 * to `policy.retries` times with doubling delays. Only for reads (GET
 * requests): a write that failed half-way may have taken effect.
 */
export async function retryRead<T>(
  operation: string,
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      const code = errorCode(error);
      if (retry >= policy.retries || code === undefined || !TRANSIENT_CODES.has(code)) {
        throw error;
      }
      if (signal?.aborted) {
        throw error;
      }
      const delay = policy.initialDelayMs * 2 ** retry;
      log(
        '%s failed with %s; retry %d of %d in %d ms',
        operation,
        code,
        retry + 1,
        policy.retries,
        delay,
      );
      await sleep(delay, undefined, { signal });
    }
  }
}
