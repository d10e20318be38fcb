/**
 * Heredocs in COPY, ADD and `#!` RUN against the Dockerfile reference's
 * documented results: the engine's classic builder and its embedded BuildKit
 * have no heredocs to compare with. Each test builds with gantry and reads
 * the file tree of the image.
 */
import { describe, expect, it } from 'vitest';
import { BuildError } from '../errors.js';
import { gantryBuild, useTestBench } from '../test-engine.js';
import {
  buildTree,
  digestOf,
  entryAt,
  namesOf,
  permissionsOf,
  stepEvents,
} from '../test-image-files.js';

const testFile = useTestBench();

const FROM = 'FROM busybox:latest\n';

describe('COPY heredocs', () => {
  it('writes one heredoc to a file path', async () => {
    const dockerfile = `${FROM}COPY <<EOF /etc/greeting\nhello\nEOF\n`;
    const { tree } = await buildTree(testFile, { Dockerfile: dockerfile }, ['/etc/greeting']);
    const entry = entryAt(tree, 'greeting');
    expect(entry.type).toBe('file');
    expect(permissionsOf(entry)).toBe('644');
    expect(entry.owner).toBe('0:0');
    expect(entry.digest).toBe(digestOf('hello\n'));
  });

  it('writes several heredocs into a folder', async () => {
    const dockerfile = `${FROM}COPY <<one <<two /dest/\nfirst\none\nsecond\ntwo\n`;
    const { tree } = await buildTree(testFile, { Dockerfile: dockerfile }, ['/dest']);
    expect(namesOf(tree)).toEqual(['/dest :: dest/', '/dest :: dest/one', '/dest :: dest/two']);
    expect(entryAt(tree, 'dest/one').digest).toBe(digestOf('first\n'));
    expect(entryAt(tree, 'dest/two').digest).toBe(digestOf('second\n'));
    expect(permissionsOf(entryAt(tree, 'dest/two'))).toBe('644');
  });

  it('expands variables but keeps quotes', async () => {
    const body = `hello $NAME "\${NAME}" 'x' \\$NAME \${MISSING:-none}\n`;
    const dockerfile = `${FROM}ENV NAME=gantry\nCOPY <<EOF /out\n${body}EOF\n`;
    const { tree } = await buildTree(testFile, { Dockerfile: dockerfile }, ['/out']);
    const expected = 'hello gantry "gantry" \'x\' $NAME none\n';
    expect(entryAt(tree, 'out').digest).toBe(digestOf(expected));
  });

  it('keeps a quoted heredoc as written', async () => {
    const body = `hello $NAME "\${NAME}" \\$NAME\n`;
    const dockerfile = `${FROM}ENV NAME=gantry\nCOPY <<"EOF" /out\n${body}EOF\n`;
    const { tree } = await buildTree(testFile, { Dockerfile: dockerfile }, ['/out']);
    expect(entryAt(tree, 'out').digest).toBe(digestOf(body));
  });

  it('removes leading tabs with <<-', async () => {
    const dockerfile = `${FROM}COPY <<-EOF /out\n\tindented\n\t\ttwice\n\tEOF\n`;
    const { tree } = await buildTree(testFile, { Dockerfile: dockerfile }, ['/out']);
    expect(entryAt(tree, 'out').digest).toBe(digestOf('indented\ntwice\n'));
  });

  it('mixes a heredoc with a context file', async () => {
    const files = {
      Dockerfile: `${FROM}WORKDIR /app\nCOPY <<EOF config.txt ./\nfrom heredoc\nEOF\n`,
      'config.txt': 'from context\n',
    };
    const { tree } = await buildTree(testFile, files, ['/app']);
    expect(entryAt(tree, 'app/EOF').digest).toBe(digestOf('from heredoc\n'));
    expect(entryAt(tree, 'app/config.txt').digest).toBe(digestOf('from context\n'));
  });

  it('applies ADD --chown and --chmod', async () => {
    const dockerfile = `${FROM}ADD --chown=12:34 --chmod=755 <<EOF /usr/local/bin/hello\n#!/bin/sh\necho hi\nEOF\n`;
    const { tree } = await buildTree(testFile, { Dockerfile: dockerfile }, [
      '/usr/local/bin/hello',
    ]);
    const entry = entryAt(tree, 'hello');
    expect(permissionsOf(entry)).toBe('755');
    expect(entry.owner).toBe('12:34');
  });

  it('misses the cache when the heredoc changes', async () => {
    const write = (text: string) => `${FROM}COPY <<EOF /out\n${text}\nEOF\n`;
    const first = await testFile.context({ Dockerfile: write('one') });
    const second = await testFile.context({ Dockerfile: write('two') });
    await gantryBuild(testFile.bench, { contextDir: first });
    const same = await gantryBuild(testFile.bench, { contextDir: first });
    const changed = await gantryBuild(testFile.bench, { contextDir: second });
    expect(stepEvents(same.events, 2)).toContain('step-cache-hit');
    expect(stepEvents(changed.events, 2)).toContain('step-cache-miss');
  });
});

describe('RUN heredoc with #!', () => {
  it('runs the file with its interpreter', async () => {
    const script = '#!/bin/sh -e\necho hi > /out\n';
    const dockerfile = `${FROM}RUN <<EOF\n${script}EOF\n`;
    const { tree } = await buildTree(testFile, { Dockerfile: dockerfile }, ['/out', '/dev']);
    expect(entryAt(tree, 'out').digest).toBe(digestOf('hi\n'));
    // The file is gone from the image: /dev is a tmpfs while the step runs.
    expect(namesOf(tree).filter((name) => name.includes('pipes'))).toEqual([]);
  });

  it('passes the #! argument to the interpreter', async () => {
    // With `-e` from the #! line, the script stops at `false` and the step fails.
    const folder = await testFile.context({
      Dockerfile: `${FROM}RUN <<EOF\n#!/bin/sh -e\nfalse\necho not reached\nEOF\n`,
    });
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(built.error).toBeInstanceOf(BuildError);
    expect((built.error as BuildError).code).toBe('ERR_STEP_FAILED');
  });

  it('writes the file under /dev/pipes for root', async () => {
    const dockerfile = `${FROM}RUN <<EOF\n#!/bin/sh\necho -n "$0" > /out\nEOF\n`;
    const { tree } = await buildTree(testFile, { Dockerfile: dockerfile }, ['/out']);
    expect(entryAt(tree, 'out').digest).toBe(digestOf('/dev/pipes/EOF'));
  });

  it('runs as a user who cannot write /dev', async () => {
    const dockerfile = `${FROM}RUN mkdir /work && chown 1000 /work\nUSER 1000\nRUN <<EOF\n#!/bin/sh\nid -u > /work/out\nEOF\n`;
    const { tree } = await buildTree(testFile, { Dockerfile: dockerfile }, ['/work']);
    const out = entryAt(tree, 'work/out');
    expect(out.digest).toBe(digestOf('1000\n'));
    expect(out.owner).toBe('1000:0');
  });
});
