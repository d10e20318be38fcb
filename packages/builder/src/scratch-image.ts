/**
 * `FROM scratch`: the engine creates no container without an image, so the
 * builder loads an image whose only layer is empty and starts from it.
 */
import { createHash } from 'node:crypto';
import { arch } from 'node:process';
import type { ImageInspect } from '@gantry/daemon';
import { pack } from 'tar-stream';
import { asReadable } from './context/pack-sources.js';
import type { BuildSession } from './session.js';

/** An empty tar: two zero blocks. */
const EMPTY_LAYER = Buffer.alloc(1024);

/** Tag of the empty base image, so that it is not a dangling image and reads as gantry's. */
export const SCRATCH_IMAGE_TAG = 'gantry-scratch:empty';

const ARCHITECTURES: Readonly<Record<string, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
};

/**
 * Returns the empty base image, loading it when the engine lacks it. Its
 * config is fixed, so its id is the same on every engine of the same
 * architecture and a load happens once.
 * NOTE: the image has one empty layer where the classic builder's scratch
 * has none, so `RootFS.Layers` has one more entry.
 */
export async function scratchImage(session: BuildSession): Promise<ImageInspect> {
  const config = scratchConfig();
  const id = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  const { engine, signal } = session;
  if (!(await engine.images.exists(id, { signal }))) {
    await engine.images.load(scratchArchive(config, id), { signal });
  }
  return engine.images.inspect(id, { signal });
}

function scratchConfig(): string {
  const layer = `sha256:${createHash('sha256').update(EMPTY_LAYER).digest('hex')}`;
  return JSON.stringify({
    architecture: ARCHITECTURES[arch] ?? arch,
    os: 'linux',
    created: '1970-01-01T00:00:00Z',
    config: {},
    rootfs: { type: 'layers', diff_ids: [layer] },
    history: [
      { created: '1970-01-01T00:00:00Z', created_by: 'gantry: empty base of FROM scratch' },
    ],
  });
}

function scratchArchive(config: string, id: string) {
  const hex = id.slice('sha256:'.length);
  const manifest = JSON.stringify([
    { Config: `${hex}.json`, RepoTags: null, Layers: ['layer.tar'] },
  ]);
  const archive = pack();
  archive.entry({ name: `${hex}.json`, mode: 0o644 }, config);
  archive.entry({ name: 'layer.tar', mode: 0o644 }, EMPTY_LAYER);
  archive.entry({ name: 'manifest.json', mode: 0o644 }, manifest);
  archive.finalize();
  return asReadable(archive);
}
