import { describe, expect, it } from 'vitest';
import { readTree } from '../../test/differential/file-tree.js';
import { classicBuild, gantryBuild, useTestBench } from '../test-engine.js';

const testFile = useTestBench();

// The engine's archive keeps a name over 100 bytes, or a non-ASCII one, in a
// PAX record, and a uid over 2097151 too.
const LONG = `${'folder-'.repeat(16)}end`;
const DOCKERFILE = [
  'FROM busybox:latest AS source',
  `RUN mkdir -p /src/${LONG} && echo long > /src/${LONG}/file && echo hello > /src/héllo`,
  'RUN echo big > /src/big && chown 3000001:3000001 /src/big',
  'FROM busybox:latest',
  'COPY --from=source /src /dest',
  'COPY --from=source --chown=5:5 /src/big /owned',
  '',
].join('\n');

describe('COPY --from of PAX entries', () => {
  it('puts long and non-ASCII names under the destination', async () => {
    const contextDir = await testFile.context({ Dockerfile: DOCKERFILE });
    const built = await gantryBuild(testFile.bench, { contextDir, noCache: true });
    expect(built.error).toBeUndefined();
    const classic = await classicBuild(testFile.bench, contextDir, { noCache: true });
    expect(classic.error).toBeUndefined();

    const { engine, fixture } = testFile.bench;
    const paths = ['/dest', '/owned'];
    const gantryTree = await readTree(engine, built.result?.imageId ?? '', paths, fixture.labels);
    const classicTree = await readTree(engine, classic.imageId ?? '', paths, fixture.labels);
    const names = gantryTree.map((entry) => entry.path);
    expect(names).toContain(`/dest :: dest/${LONG}/file`);
    expect(names).toContain('/dest :: dest/héllo');
    expect(gantryTree.find((entry) => entry.path.endsWith('owned'))?.owner).toBe('5:5');
    expect(gantryTree).toEqual(classicTree);
  });

  it('leaves out a binary capability with a warning', async () => {
    // cap_setuid+ep: its value has the byte 0x80, which tar-stream cannot read back.
    const setCapability = [
      'number=188 && if [ "$(uname -m)" = aarch64 ]; then number=5; fi &&',
      `perl -e 'my ($p, $k, $v) = ("/o/t", "security.capability", pack("VVVVV", 0x02000001, 0x80, 0, 0, 0));`,
      `syscall($ARGV[0], $p, $k, $v, length($v), 0) == 0 or die "setxattr: $!"' "$number"`,
    ].join(' ');
    const contextDir = await testFile.context({
      Dockerfile: [
        'FROM debian:bookworm AS source',
        `RUN mkdir /o && cp /bin/true /o/t && ${setCapability}`,
        'FROM debian:bookworm',
        'COPY --from=source /o /o',
        '',
      ].join('\n'),
    });
    const built = await gantryBuild(testFile.bench, { contextDir, noCache: true, pull: 'never' });

    expect(built.error).toBeUndefined();
    const warnings = built.events.filter((event) => event.type === 'warning');
    expect(warnings).toMatchObject([
      {
        step: 4,
        rule: 'XattrLeftOut',
        message: expect.stringContaining('security.capability of /o/t'),
      },
    ]);
  });
});
