import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

// Runs the tty renderer in a real terminal: tmux starts test/tty-demo.mjs in
// a 60-column pane, each time on a new tmux server of its own (a socket in a
// temporary folder), and the test
// reads the screen with `tmux capture-pane`.

const run = promisify(execFile);
const PACKAGE = join(import.meta.dirname, '..');
const SOCKETS = mkdtempSync(join(tmpdir(), 'gantry-log-format-tmux-'));
const started: string[] = [];
let socket = '';
let sessions = 0;
const COLUMNS = 60;

beforeAll(() => {
  // The demo imports the built package, so build it first.
  const tsc = join(PACKAGE, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: PACKAGE });
}, 120_000);

afterEach(async () => {
  for (const name of started.splice(0)) {
    await run('tmux', ['-S', name, 'kill-server']).catch(() => undefined);
  }
});

afterAll(() => {
  rmSync(SOCKETS, { recursive: true, force: true });
});

async function tmux(...args: string[]): Promise<string> {
  const { stdout } = await run('tmux', ['-S', socket, ...args]);
  return stdout;
}

async function startDemo(env: Record<string, string>): Promise<void> {
  const environment = Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
  const command = `${process.execPath} test/tty-demo.mjs`;
  // A server that is shutting down rejects new sessions, so each demo gets its own.
  sessions++;
  socket = join(SOCKETS, `server-${sessions}`);
  started.push(socket);
  await tmux(
    ...['new-session', '-d', '-s', 'demo', '-x', String(COLUMNS), '-y', '20'],
    ...['-c', PACKAGE, ...environment, command],
  );
}

/** Reads the screen until `ready` accepts it, or fails after 10 seconds. */
async function screenWhen(ready: (screen: string) => boolean, colors = false): Promise<string> {
  const deadline = Date.now() + 10_000;
  let screen = '';
  while (Date.now() < deadline) {
    screen = await tmux('capture-pane', '-p', ...(colors ? ['-e'] : []), '-t', 'demo');
    if (ready(screen)) {
      return screen;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the screen never showed what was expected; last screen:\n${screen}`);
}

function timerOf(screen: string): string | undefined {
  return /RUN \.\/chatty.* (\d+\.\ds)$/m.exec(screen)?.[1];
}

describe('tty renderer in tmux', { timeout: 60_000 }, () => {
  test('running step shows timer and last lines', async () => {
    await startDemo({});
    const first = await screenWhen((screen) => screen.includes('output line 12'));
    const later = await screenWhen((screen) => timerOf(screen) !== timerOf(first));

    expect(first).toMatch(/^\[\+\] Building \d+\.\ds \(1\/3\)$/m);
    expect(first).toMatch(/^ => \[1\/3\] FROM busybox:latest +0\.0s$/m);
    expect(first).toMatch(/^ => \[2\/3\] RUN \.\/chatty-test-script .* \d+\.\ds$/m);
    expect(first).toMatch(/^ => => # output line \d+$/m);
    expect(first).not.toMatch(/^ => => # output line 1$/m);
    expect(first.match(/output line/g)?.length).toBeLessThanOrEqual(6);
    expect(later).not.toBe(first);
    for (const line of first.split('\n')) {
      expect(line.length).toBeLessThan(COLUMNS);
    }
  });

  test('finished build folds every step', async () => {
    await startDemo({});
    await screenWhen((screen) => screen.includes('output line 3'));
    await tmux('send-keys', '-t', 'demo', 'Enter');
    const screen = await screenWhen((text) => text.includes('FINISHED'));

    expect(screen).toMatch(/^ => \[2\/3\] RUN \.\/chatty-test-script .* \d+\.\ds$/m);
    expect(screen).toMatch(/^ => \[3\/3\] CMD \["sh"\] +\d+\.\ds$/m);
    expect(screen).toMatch(/^\[\+\] Building \d+\.\ds \(3\/3\) FINISHED$/m);
    expect(screen).not.toContain('=> => #');
    expect(screen.match(/\[\+\] Building/g)).toHaveLength(1);
  });

  test('colour by default, none with NO_COLOR', async () => {
    await startDemo({});
    const colored = await screenWhen((screen) => screen.includes('FROM busybox'), true);
    await tmux('kill-server');
    await startDemo({ NO_COLOR: '1' });
    const plain = await screenWhen((screen) => screen.includes('FROM busybox'), true);

    expect(colored).toContain('\u001b[34m =>');
    expect(plain).not.toContain('\u001b[34m');
  });
});
