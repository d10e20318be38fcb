/** Cache lookups around a step: a hit reuses the image, a miss runs the step and records it. */
import { type CacheKeyInputs, type MissReason, stepId } from '@gantry/cache';
import type { CacheMissCode } from '@gantry/log-format';
import { StaleCacheHits } from './deferred-hits.js';
import type { BuildSession, PlannedStep } from './session.js';

/**
 * Version of how this builder makes a step's image; it enters every cache key.
 * Raise it when the same inputs come to make a different image, so that the
 * entries of an older gantry stop matching. Version 2: folders that
 * `COPY --chown` creates, and a COPY onto a symbolic link, as the classic
 * builder makes them.
 */
export const CACHE_PRODUCER = 'gantry-builder.2';

/** Options of {@link runCached}. */
export interface CachedStepOptions {
  readonly step: PlannedStep;
  /** Stage name, or its index as text. */
  readonly stage: string;
  /** Zero-based index of the instruction within its stage, FROM excluded. */
  readonly index: number;
  readonly inputs: CacheKeyInputs;
  /** Runs the step; returns the id of the image it committed. */
  readonly run: () => Promise<string>;
}

/**
 * Looks the step up in the cache unless `--no-cache` is set, emits the hit
 * or the miss with its reason, and records the image a miss produced. In a
 * stage with {@link BuildSession.hits}, a hit is trusted and checked later
 * with the hits after it (see `deferred-hits.ts`).
 */
export async function runCached(
  session: BuildSession,
  options: CachedStepOptions,
): Promise<string> {
  const { cache, signal } = session;
  const number = options.step.number;
  const inputs = { ...options.inputs, producer: CACHE_PRODUCER };
  const step = stepId({
    scope: session.scope,
    stage: options.stage,
    index: options.index,
    instruction: inputs.instruction,
  });
  if (cache === undefined || session.options.noCache === true) {
    session.emit({
      type: 'step-cache-miss',
      step: number,
      code: 'cache-disabled',
      reason: '--no-cache is set',
    });
  } else {
    const { hits } = session;
    const trust = hits !== undefined && !hits.checkEach;
    const found = await cache.lookup({ step, inputs, signal, confirm: !trust });
    if (found.hit) {
      if (trust) hits.trust(found.entry.imageId);
      session.emit({ type: 'step-cache-hit', step: number });
      return found.entry.imageId;
    }
    session.emit({ type: 'step-cache-miss', step: number, ...missOf(found.reasons) });
  }
  // The step runs a container from the last hit's image: check it first.
  if (session.hits !== undefined && !(await session.hits.confirm())) throw new StaleCacheHits();
  const imageId = await options.run();
  if (cache !== undefined) {
    // The entry needs the image's size: the next step starts while the engine reports it.
    const size = session.engine.images.inspect(imageId, { signal }).then((image) => image.Size);
    const entry = { step, inputs, imageId, stepText: options.step.text };
    session.recordedKeys.set(imageId, cache.recordLater(entry, size));
  }
  return imageId;
}

const MISS_CODES: Partial<Record<MissReason['kind'], CacheMissCode>> = {
  'image-missing': 'image-removed',
  parent: 'parent-changed',
  'source-image': 'source-changed',
  producer: 'builder-changed',
};

function missOf(reasons: readonly MissReason[]): { code: CacheMissCode; reason: string } {
  const code = MISS_CODES[reasons[0]?.kind ?? 'no-previous-build'] ?? 'no-entry';
  const reason = reasons.map((item) => item.message).join('; ') || 'no cached image for this step';
  return { code, reason };
}
