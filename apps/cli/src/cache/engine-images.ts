/** The engine's side of the cache: which cached images still exist, and the bytes each adds. */
import type { ImageSummary } from '@gantry/daemon';

/** An image on the engine, by id. */
export interface EngineImage {
  readonly size: number;
  /** Id of the parent image, `''` for none. */
  readonly parentId: string;
}

/** The engine's images by id, or the reason they could not be listed. */
export type EngineImages =
  | { readonly images: ReadonlyMap<string, EngineImage>; readonly problem?: undefined }
  | { readonly images?: undefined; readonly problem: string };

/**
 * Lists every image on the engine, intermediate step images included, in
 * one request. An engine that cannot be reached is returned as a problem,
 * because the cache folder can still be read without it.
 */
export async function listEngineImages(): Promise<EngineImages> {
  try {
    const { connectDockerEngine } = await import('@gantry/daemon');
    const engine = await connectDockerEngine();
    const summaries = await engine.images.list({ all: true });
    return { images: new Map(summaries.map((image) => [image.Id, engineImage(image)])) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

function engineImage(summary: ImageSummary): EngineImage {
  return { size: summary.Size, parentId: summary.ParentId };
}

/**
 * Returns the bytes that the images add on top of their parent images, each
 * image counted once. A step image's `Size` counts every layer below it too,
 * so summing sizes would count a shared base once per entry.
 */
export function addedSize(imageIds: Iterable<string>, images: ReadonlyMap<string, EngineImage>) {
  let total = 0;
  for (const imageId of new Set(imageIds)) {
    const image = images.get(imageId);
    if (image === undefined) continue;
    const parentSize = images.get(image.parentId)?.size ?? 0;
    total += Math.max(0, image.size - parentSize);
  }
  return total;
}
