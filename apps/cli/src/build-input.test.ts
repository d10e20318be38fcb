/**
 * `gantry build` input and failure paths against the engine and the docker
 * CLI's classic builder: a context on standard input, -q on a failed build,
 * --network, and a base image pulled from the test registry.
 */
import { execFile, spawn } from 'node:child_process';
import { access, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { useCliBench } from './test-bench.js';
import { GANTRY_BIN } from './test-cli.js';

const run = promisify(execFile);
const bench = useCliBench();
const { newFolder, contextWith } = bench;

/** Runs `gantry build` with the test's label and cache, and `input` on standard input. */
function gantryBuild(args: string[], input?: string | Buffer) {
  return bench.gantryBuild(args, input === undefined ? {} : { input });
}

/** Runs `DOCKER_BUILDKIT=0 docker build` with the test's label; returns its output. */
async function classicBuild(args: string[], input?: Buffer) {
  const child = execFile(
    '/usr/bin/docker',
    ['build', '--label', bench.fixture.labelFilter, ...args],
    {
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
      encoding: 'buffer',
      maxBuffer: 10_000_000,
    },
  );
  const exited = new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
  child.stdin?.end(input ?? Buffer.alloc(0));
  return exited;
}

/** Returns a folder's files as a tar archive, gzip-compressed when asked. */
async function tarOf(folder: string, gzip: boolean): Promise<Buffer> {
  const { stdout } = await run('tar', [gzip ? '-czf' : '-cf', '-', '-C', folder, '.'], {
    encoding: 'buffer',
  });
  return stdout;
}

const firstLine = (log: string) => log.split('\n')[0] ?? '';

async function bytesOf(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Temporary context folders of `gantry build -`, which each build removes. */
async function stdinFolders(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('gantry-stdin-')).sort();
}

describe('gantry build - (context on standard input)', () => {
  const files = {
    Dockerfile: 'FROM busybox:latest\nCOPY hello.txt /\nRUN cat /hello.txt\n',
    'hello.txt': 'hello from the archive\n',
  };

  it.each([false, true])('builds a tar context, gzip %s', async (gzip) => {
    const archive = await tarOf(await contextWith(files), gzip);
    const gantry = await gantryBuild(['-'], archive);
    expect(gantry.code).toBe(0);
    expect(gantry.stdout).toContain('Step 3/4 : RUN cat /hello.txt\n');
    expect(gantry.stdout).toContain('hello from the archive\n');
    const classic = await classicBuild(['--force-rm', '-'], archive);
    expect(classic.code).toBe(0);
    expect(firstLine(gantry.stdout)).toBe(firstLine(classic.stdout));
  });

  it('builds a Dockerfile alone', async () => {
    const dockerfile = Buffer.from('FROM busybox:latest\nRUN echo alone\n');
    const gantry = await gantryBuild(['-'], dockerfile);
    expect(gantry.code).toBe(0);
    expect(gantry.stdout).toContain('alone\n');
    const classic = await classicBuild(['--force-rm', '-'], dockerfile);
    expect(firstLine(gantry.stdout)).toBe(firstLine(classic.stdout));
  });

  it('reads -f inside the archive', async () => {
    const folder = await contextWith({
      'build/Dockerfile.alt': 'FROM busybox:latest\nENV FROM_ALT=1\n',
    });
    const gantry = await gantryBuild(
      ['-q', '-f', 'build/Dockerfile.alt', '-'],
      await tarOf(folder, true),
    );
    expect(gantry.code).toBe(0);
    const image = await bench.engine.images.inspect(gantry.stdout.trim());
    expect(image.Config?.Env).toContain('FROM_ALT=1');
  });

  it('names a Dockerfile the archive lacks', async () => {
    const folder = await contextWith({ 'other.txt': 'x\n' });
    const gantry = await gantryBuild(['-'], await tarOf(folder, false));
    expect(gantry.code).toBe(2);
    expect(gantry.stderr).toContain('has no Dockerfile "Dockerfile"');
  });

  it('names an invalid archive', async () => {
    const { stdout } = await run('sh', ['-c', 'printf "FROM busybox:latest\\n" | gzip -c'], {
      encoding: 'buffer',
    });
    const gantry = await gantryBuild(['-'], stdout);
    expect(gantry.code).toBe(1);
    expect(gantry.stderr).toContain('is not a valid gzip-compressed tar archive');
  });

  it('rejects a Dockerfile outside the archive', async () => {
    const outside = await contextWith({ Dockerfile: 'FROM busybox:latest\nENV OUTSIDE=1\n' });
    const archive = pack();
    archive.entry({ name: 'Dockerfile', type: 'symlink', linkname: join(outside, 'Dockerfile') });
    archive.finalize();
    const linked = await gantryBuild(['-'], await bytesOf(archive));
    expect(linked.code).toBe(2);
    expect(linked.stderr).toContain('The Dockerfile "Dockerfile" is outside the build context');
    const folder = await contextWith({ 'a.txt': 'a\n' });
    const climbing = await gantryBuild(
      ['-f', '../../x/Dockerfile', '-'],
      await tarOf(folder, false),
    );
    expect(climbing.code).toBe(2);
    expect(climbing.stderr).toContain(
      'The Dockerfile "../../x/Dockerfile" is outside the build context',
    );
  });

  it('rejects -f - with PATH -', async () => {
    const gantry = await gantryBuild(['-f', '-', '-'], 'FROM busybox:latest\n');
    expect(gantry.code).toBe(2);
    expect(gantry.stderr).toContain('cannot be both the build context');
  });

  it('rejects -f with a Dockerfile on standard input', async () => {
    const gantry = await gantryBuild(['-f', 'Dockerfile', '-'], 'FROM busybox:latest\n');
    expect(gantry.code).toBe(2);
    expect(gantry.stderr).toContain('Standard input is a Dockerfile');
  });

  it('rejects an entry outside the archive root', async () => {
    const escaped = `gantry-escaped-${bench.fixture.runId}`;
    const archive = pack();
    archive.entry({ name: 'Dockerfile' }, 'FROM busybox:latest\n');
    archive.entry({ name: `../${escaped}` }, 'outside\n');
    archive.finalize();
    const gantry = await gantryBuild(['-'], await bytesOf(archive));
    expect(gantry.code).toBe(2);
    expect(gantry.stderr).toContain(`entry outside its root: "../${escaped}"`);
    await expect(access(join(tmpdir(), escaped))).rejects.toThrow();
  });

  it('rejects an entry below a symbolic link', async () => {
    const outside = await newFolder();
    const archive = pack();
    archive.entry({ name: 'Dockerfile' }, 'FROM busybox:latest\n');
    archive.entry({ name: 'link', type: 'symlink', linkname: outside });
    archive.entry({ name: 'link/evil' }, 'outside\n');
    archive.finalize();
    const gantry = await gantryBuild(['-'], await bytesOf(archive));
    expect(gantry.code).toBe(2);
    expect(gantry.stderr).toContain('through the symbolic link "link"');
    expect(await readdir(outside)).toEqual([]);
  });

  it('rejects a hard link below a symbolic link', async () => {
    const outside = await newFolder();
    await writeFile(join(outside, 'secret'), 'host file\n');
    const archive = pack();
    archive.entry({ name: 'Dockerfile' }, 'FROM busybox:latest\n');
    archive.entry({ name: 'link', type: 'symlink', linkname: outside });
    archive.entry({ name: 'copy', type: 'link', linkname: 'link/secret' });
    archive.finalize();
    const gantry = await gantryBuild(['-'], await bytesOf(archive));
    expect(gantry.code).toBe(2);
    expect(gantry.stderr).toContain('"link/secret" through the symbolic link "link"');
  });

  it('exits 130 on SIGINT while reading and removes the folder', async () => {
    const archive = await tarOf(await contextWith(files), false);
    const before = await stdinFolders();
    const child = spawn(GANTRY_BIN, ['build', '-'], {
      env: { ...process.env, XDG_CACHE_HOME: bench.cacheHome },
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Half an archive: the folder exists and gantry waits for the rest.
    child.stdin.write(archive.subarray(0, 1024));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await stdinFolders()).toEqual(before);
  });

  it('hits the cache on a second build of the same archive', async () => {
    const archive = await tarOf(await contextWith(files), true);
    await gantryBuild(['-'], archive);
    const again = await gantryBuild(['-'], archive);
    expect(again.code).toBe(0);
    expect(again.stdout.match(/ ---> Using cache\n/g)?.length).toBe(3);
  });

  it('explains a miss against the last build from stdin', async () => {
    const tag = `gantry-stdin-scope:${bench.fixture.runId}`;
    const first = await tarOf(await contextWith(files), false);
    const changed = await tarOf(await contextWith({ ...files, 'hello.txt': 'changed\n' }), false);
    await gantryBuild(['-t', tag, '-'], first);
    bench.fixture.trackImage(tag);
    const again = await gantryBuild(['-t', tag, '--progress', 'json', '-'], changed);
    expect(again.code).toBe(0);
    const events = again.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; reason?: string });
    const miss = events.find((event) => event.type === 'step-cache-miss');
    expect(miss?.reason).toContain('hello.txt');
  });
});

describe('gantry build -q on a failed build', () => {
  it('prints the log, then the error, on stderr as docker build -q does', async () => {
    const folder = await contextWith({
      // The pause keeps the two streams in order; the engine may reorder chunks sent at once.
      Dockerfile: 'FROM busybox:latest\nRUN echo out; sleep 0.3; echo err >&2; false\n',
    });
    const gantry = await gantryBuild(['-q', folder]);
    const classic = await classicBuild(['-q', '--force-rm', folder]);
    expect(gantry.code).toBe(1);
    expect(gantry.stdout).toBe('');
    const normalize = (text: string) =>
      text
        .slice(text.indexOf('Sending build context'))
        .replace(/(Running in|intermediate container) [0-9a-f]{12}/g, '$1 <id>');
    expect(normalize(gantry.stderr)).toBe(normalize(classic.stderr));
    expect(gantry.stderr).toContain('out\n\u001b[91merr\n\u001b[0m');
  });
});

describe('gantry build with empty continuation lines', () => {
  it('prints the warning block of DOCKER_BUILDKIT=0 docker build', async () => {
    const folder = await contextWith({
      Dockerfile: 'FROM busybox:latest\nRUN echo a \\\n\n  && echo b\nENV X=1 \\\n\n  Y=2\n',
    });
    const gantry = await gantryBuild([folder]);
    const classic = await classicBuild(['--force-rm', folder]);
    expect(gantry.code).toBe(0);
    const block = (log: string) => log.slice(log.indexOf('\n') + 1, log.indexOf('Step 1/'));
    expect(block(classic.stdout)).toContain('[WARNING]: Empty continuation line found in:\n');
    expect(block(gantry.stdout)).toBe(block(classic.stdout));
  });
});

describe('gantry build --network', () => {
  it('rejects an unknown mode before any step', async () => {
    const folder = await contextWith({ Dockerfile: 'FROM busybox:latest\nRUN true\n' });
    const gantry = await gantryBuild(['--network', 'bridge', folder]);
    expect(gantry.code).toBe(2);
    expect(gantry.stdout).toBe('');
    expect(gantry.stderr).toContain(
      'Invalid --network value "bridge"; use one of default, host, none',
    );
  });
});

describe('gantry build of a missing base image', () => {
  it('pulls it and prints the classic pull lines', async () => {
    const reference = `127.0.0.1:5000/gantry-cli-pull/busybox:${bench.fixture.runId}`;
    await bench.engine.images.tag('busybox:latest', bench.fixture.trackImage(reference));
    for await (const _progress of bench.engine.images.push(reference)) {
      // The push only has to finish.
    }
    await bench.engine.images.remove(reference);
    const folder = await contextWith({ Dockerfile: `FROM ${reference}\nENV PULLED=1\n` });
    const gantry = await gantryBuild([folder]);
    expect(gantry.code).toBe(0);
    const tag = reference.split(':').at(-1);
    expect(gantry.stdout).toContain(
      `Step 1/3 : FROM ${reference}\n${tag}: Pulling from gantry-cli-pull/busybox\nDigest: sha256:`,
    );
    expect(gantry.stdout).toContain(`Status: Downloaded newer image for ${reference}\n ---> `);
  });
});

describe('gantry build --progress tty on a 0x0 terminal', () => {
  it('prints the plain output', async () => {
    const folder = await contextWith({ Dockerfile: 'FROM busybox:latest\nENV TTY=1\n' });
    const command = [
      'stty cols 0 rows 0;',
      `XDG_CACHE_HOME=${bench.cacheHome}`,
      GANTRY_BIN,
      `build --progress tty --label ${bench.fixture.labelFilter} ${folder}`,
    ].join(' ');
    const { stdout } = await run('script', ['-qec', command, '/dev/null']);
    expect(stdout).toContain('#1 [1/3] FROM busybox:latest');
    expect(stdout).not.toMatch(/^\[\r?$/m);
  });
});

describe('gantry build --progress tty to a pipe', () => {
  it('prints the plain output', async () => {
    const folder = await contextWith({ Dockerfile: 'FROM busybox:latest\nENV TTY_PIPE=1\n' });
    const run = await gantryBuild(['--progress', 'tty', folder]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('#1 [1/3] FROM busybox:latest\n');
    expect(run.stderr).not.toContain('\u001b[');
    expect(run.stderr).not.toContain('[+] Building');
  });
});
