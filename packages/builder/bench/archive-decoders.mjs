// Times how fast ADD reads a local tar archive of each compression: the
// decoder and the re-rooting of its entries, through `extractedArchive` of
// the built package. The system's tar, gzip, bzip2 and xz make the archives
// from 27 MB of base64 text. Their own decoding times are printed beside
// gantry's. Run with `pnpm --filter @gantry/builder bench`.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractedArchive } from '../dist/context/local-archive.js';

const folder = mkdtempSync(join(tmpdir(), 'gantry-decoder-bench-'));
const ROUNDS = 3;

try {
  writeFileSync(join(folder, 'data.txt'), randomBytes(20_000_000).toString('base64'));
  execFileSync('tar', ['-cf', join(folder, 'data.tar'), '-C', folder, 'data.txt']);
  const archives = [
    { compression: 'none', file: 'data.tar', tool: undefined },
    { compression: 'gzip', file: 'data.tar.gz', tool: 'gzip' },
    { compression: 'bzip2', file: 'data.tar.bz2', tool: 'bzip2' },
    { compression: 'xz', file: 'data.tar.xz', tool: 'xz' },
  ];
  for (const { file, tool } of archives) {
    if (tool !== undefined) {
      execFileSync('sh', ['-c', `${tool} -c data.tar > ${file}`], { cwd: folder });
    }
  }
  console.log('compression  gantry (best of 3)  system tool');
  for (const { compression, file, tool } of archives) {
    const gantry = await bestOf(() => readArchive(folder, file, compression));
    const system =
      tool === undefined
        ? undefined
        : await bestOf(async () => {
            execFileSync('sh', ['-c', `${tool} -dc ${file} > /dev/null`], { cwd: folder });
          });
    const systemText = system === undefined ? '-' : `${system.toFixed(2)} s`;
    console.log(`${compression.padEnd(12)} ${`${gantry.toFixed(2)} s`.padEnd(19)} ${systemText}`);
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

/** Reads every entry of the archive as ADD would put it into a container. */
async function readArchive(contextDir, file, compression) {
  const stream = await extractedArchive(contextDir, file, compression, '/dest/');
  for await (const _chunk of stream) {
    // Only the time to produce the stream counts.
  }
}

/** Returns the shortest of a few runs, in seconds. */
async function bestOf(run) {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    await run();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return best;
}
