/**
 * `@gantry/testing`: helpers for gantry's tests against the real Docker
 * Engine. Every container and image a test creates carries the label
 * `io.gantry.test=<run id>`, and an {@link EngineTestFixture} removes all of
 * them when the test ends, failing tests included.
 *
 * @packageDocumentation
 */

export { makeCertificates } from './certificates.js';
export { cgroupProbe, removeParentCgroup } from './cgroup-probe.js';
export {
  type CleanupEngine,
  EngineTestFixture,
  newTestRunId,
  TEST_LABEL,
} from './engine-fixture.js';
export { makeTempDir, type TempDir } from './temp-dir.js';
