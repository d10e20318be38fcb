/**
 * RUN heredocs against the Dockerfile reference's documented results: the
 * engine's classic builder and its embedded BuildKit have no heredocs to
 * compare with.
 */
import { describe, expect, it } from 'vitest';
import { gantryBuild, useTestBench } from './test-engine.js';

const testFile = useTestBench();

/** Builds the Dockerfile and a last RUN that prints `check`; returns that output. */
async function outputOf(dockerfile: string, check: string): Promise<string> {
  const folder = await testFile.context({ Dockerfile: `${dockerfile}RUN ${check}\n` });
  const built = await gantryBuild(testFile.bench, { contextDir: folder });
  expect(built.error).toBeUndefined();
  const last = built.events.filter((event) => event.type === 'step-start').at(-2);
  const step = last?.type === 'step-start' ? last.step : -1;
  return built.events
    .flatMap((event) => (event.type === 'output' && event.step === step ? [event.data] : []))
    .join('');
}

describe('RUN heredocs', () => {
  it('runs a lone heredoc as the script', async () => {
    const dockerfile = 'FROM busybox:latest\nRUN <<EOF\necho one > /out\necho two >> /out\nEOF\n';
    expect(await outputOf(dockerfile, 'cat /out')).toBe('one\ntwo\n');
  });

  it('removes leading tabs with <<-', async () => {
    const dockerfile = 'FROM busybox:latest\nRUN <<-EOF\n\techo tabbed > /out\n\tEOF\n';
    expect(await outputOf(dockerfile, 'cat /out')).toBe('tabbed\n');
  });

  it('passes a heredoc to a command', async () => {
    const dockerfile =
      'FROM busybox:latest\nENV NAME=gantry\nRUN cat <<EOF > /out\nhello $NAME\nEOF\n';
    expect(await outputOf(dockerfile, 'cat /out')).toBe('hello gantry\n');
  });

  it('keeps a quoted heredoc literal', async () => {
    const dockerfile = "FROM busybox:latest\nRUN cat <<'EOF' > /out\nhello $NAME\nEOF\n";
    expect(await outputOf(dockerfile, 'cat /out')).toBe('hello $NAME\n');
  });

  it('passes two heredocs to one command', async () => {
    const dockerfile =
      'FROM busybox:latest\nRUN cat <<A > /a && cat <<B > /b\nfirst\nA\nsecond\nB\n';
    expect(await outputOf(dockerfile, 'cat /a /b')).toBe('first\nsecond\n');
  });
});
