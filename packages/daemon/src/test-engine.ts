import { EngineTestFixture } from '@gantry/testing';
import { connectDockerEngine, type DockerEngine } from './index.js';

/** Base image present on every test machine (see scripts/base-images.sh). */
export const BUSYBOX = 'busybox:latest';

/** Local registry that scripts/registry.sh starts. */
export const REGISTRY = process.env.GANTRY_REGISTRY_ADDRESS ?? '127.0.0.1:5000';

/** Connects to the machine's engine and makes a cleanup fixture for one test file. */
export async function connectTestEngine(): Promise<{
  engine: DockerEngine;
  fixture: EngineTestFixture;
}> {
  const engine = await connectDockerEngine();
  return { engine, fixture: new EngineTestFixture(engine) };
}
