/** Cache lookups around a step: a hit reuses the image, a miss runs the step and records it. */
import {
  type CacheHit,
  type CacheKeyInputs,
  type CacheMiss,
  type LayerCache,
  type MissReason,
  stepId,
} from '@gantry/cache';
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

/**
 * Producer of the second key of `COPY --from`, the key of the files it reads
 * from the source image. That key has a version of its own because its
 * inputs changed while the images stayed the same. Version 2: device
 * numbers, owners from PAX records, extended attributes and the folders that
 * `--parents` writes, so that entries recorded without them stop matching.
 */
export const FILES_KEY_PRODUCER = `${CACHE_PRODUCER}+files.2`;

/** Options of {@link runCached}. */
export interface CachedStepOptions {
  readonly step: PlannedStep;
  /** Stage name, or its index as text. */
  readonly stage: string;
  /** Zero-based index of the instruction within its stage, FROM excluded. */
  readonly index: number;
  readonly inputs: CacheKeyInputs;
  /**
   * Inputs of a second key, tried when the first misses and recorded beside
   * it: `COPY --from` keys on the source image's id first, then on the files
   * it reads from that image. Resolves to undefined when they cannot be read.
   */
  readonly contentInputs?: () => Promise<CacheKeyInputs | undefined>;
  /** Runs the step; returns the id of the image it committed. */
  readonly run: () => Promise<string>;
}

/** A key's step id and inputs, as looked up and recorded. */
interface KeyedInputs {
  readonly step: string;
  readonly inputs: CacheKeyInputs;
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
  const number = options.step.number;
  const first = keyed(session, options, options.inputs, '');
  if (session.cache === undefined || session.options.noCache === true) {
    session.emit({
      type: 'step-cache-miss',
      step: number,
      code: 'cache-disabled',
      reason: '--no-cache is set',
    });
    const content = session.cache === undefined ? undefined : readContentInputs(session, options);
    return runAndRecord(session, options, [first], content);
  }
  const { cache } = session;
  const found = await lookup(session, cache, first);
  if (found.hit) return hit(session, number, found.entry.imageId);
  const content = await readContentInputs(session, options);
  // A content hit is checked at once, because the first key is recorded to point at its image.
  const second = content === undefined ? undefined : await lookup(session, cache, content, true);
  if (second?.hit === true) {
    recordLater(session, cache, first, second.entry.imageId, options);
    return hit(session, number, second.entry.imageId);
  }
  session.emit({ type: 'step-cache-miss', step: number, ...missOf(found, second) });
  return runAndRecord(session, options, [first], content);
}

/** Suffix of the instruction in the step id of the second key. */
const CONTENT_KIND = ' content';

/** Returns the inputs of a key with the producer, and their step id. */
function keyed(
  session: BuildSession,
  options: CachedStepOptions,
  inputs: CacheKeyInputs,
  kind: string,
): KeyedInputs {
  const step = stepId({
    scope: session.scope,
    stage: options.stage,
    index: options.index,
    // The second key has a history of its own, so each miss is explained against its own kind.
    instruction: `${inputs.instruction}${kind}`,
  });
  const producer = kind === CONTENT_KIND ? FILES_KEY_PRODUCER : CACHE_PRODUCER;
  return { step, inputs: { ...inputs, producer } };
}

async function readContentInputs(
  session: BuildSession,
  options: CachedStepOptions,
): Promise<KeyedInputs | undefined> {
  const inputs = await options.contentInputs?.();
  return inputs === undefined ? undefined : keyed(session, options, inputs, CONTENT_KIND);
}

async function lookup(
  session: BuildSession,
  cache: LayerCache,
  keyedInputs: KeyedInputs,
  checkNow = false,
) {
  const { hits, signal } = session;
  const trust = hits !== undefined && !hits.checkEach && !checkNow;
  const found = await cache.lookup({ ...keyedInputs, signal, confirm: !trust });
  if (found.hit && trust) hits.trust(found.entry.imageId);
  return found;
}

function hit(session: BuildSession, step: number, imageId: string): string {
  session.emit({ type: 'step-cache-hit', step });
  return imageId;
}

/**
 * Runs the step and records its image under each key. The content key's
 * inputs may still be read while the step runs (with `--no-cache`).
 */
async function runAndRecord(
  session: BuildSession,
  options: CachedStepOptions,
  keys: readonly KeyedInputs[],
  content: KeyedInputs | undefined | Promise<KeyedInputs | undefined>,
): Promise<string> {
  // The step runs a container from the last hit's image: check it first.
  if (session.hits !== undefined && !(await session.hits.confirm())) throw new StaleCacheHits();
  const running = options.run();
  // A handler keeps a failed read of the content key from being an unhandled rejection when the step fails first.
  Promise.resolve(content).catch(() => {});
  const imageId = await running;
  const second = await content;
  const { cache } = session;
  if (cache === undefined) return imageId;
  const recorded = [...keys, ...(second === undefined ? [] : [second])].map((key) =>
    recordLater(session, cache, key, imageId, options),
  );
  session.recordedKeys.set(imageId, recorded);
  return imageId;
}

/** Records an entry without delaying the step; the entry needs the image's size. */
function recordLater(
  session: BuildSession,
  cache: LayerCache,
  keyedInputs: KeyedInputs,
  imageId: string,
  options: CachedStepOptions,
): string {
  const { engine, signal } = session;
  const size = engine.images.inspect(imageId, { signal }).then((image) => image.Size);
  return cache.recordLater({ ...keyedInputs, imageId, stepText: options.step.text }, size);
}

const MISS_CODES: Partial<Record<MissReason['kind'], CacheMissCode>> = {
  'image-missing': 'image-removed',
  parent: 'parent-changed',
  'source-image': 'source-changed',
  producer: 'builder-changed',
};

/**
 * Returns the code and reason of a miss. The content key's reasons name the
 * files that changed, so they win unless that key has no earlier build yet.
 */
function missOf(found: CacheMiss, content: CacheMiss | CacheHit | undefined) {
  if (content === undefined || content.hit || isFirstBuild(content.reasons)) {
    return reasonOf(found.reasons);
  }
  const miss = reasonOf(content.reasons);
  // Changed files of the content key are the files of a COPY --from source.
  return content.reasons[0]?.kind === 'files' ? { ...miss, code: 'source-changed' as const } : miss;
}

function isFirstBuild(reasons: readonly MissReason[]): boolean {
  return reasons.every((reason) => reason.kind === 'no-previous-build');
}

function reasonOf(reasons: readonly MissReason[]): { code: CacheMissCode; reason: string } {
  const code = MISS_CODES[reasons[0]?.kind ?? 'no-previous-build'] ?? 'no-entry';
  const reason = reasons.map((item) => item.message).join('; ') || 'no cached image for this step';
  return { code, reason };
}
