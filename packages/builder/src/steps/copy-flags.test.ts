/**
 * `COPY --parents`, `--exclude` and symbolic `--chmod` against the Dockerfile
 * reference's documented results, and `--link` and `RUN --mount`, which
 * gantry rejects. The Dockerfile syntax has these flags from 1.7-labs and
 * 1.14 on, which the engine's embedded BuildKit predates.
 */
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildError } from '../errors.js';
import { gantryBuild, useTestBench } from '../test-engine.js';
import {
  buildFolderTree,
  buildTree,
  digestOf,
  entryAt,
  namesOf,
  permissionsOf,
  stepEvents,
} from '../test-image-files.js';

const testFile = useTestBench();

const FROM = 'FROM busybox:latest\n';

describe('COPY --parents', () => {
  it('keeps the parent folders of each source', async () => {
    const files = {
      Dockerfile: `${FROM}COPY ./x/a.txt ./y/a.txt /no_parents/\nCOPY --parents ./x/a.txt ./y/a.txt /parents/\n`,
      'x/a.txt': 'x\n',
      'y/a.txt': 'y\n',
    };
    const { tree } = await buildTree(testFile, files, ['/parents', '/no_parents']);
    expect(namesOf(tree)).toEqual([
      '/parents :: parents/',
      '/parents :: parents/x/',
      '/parents :: parents/x/a.txt',
      '/parents :: parents/y/',
      '/parents :: parents/y/a.txt',
      '/no_parents :: no_parents/',
      '/no_parents :: no_parents/a.txt',
    ]);
    expect(entryAt(tree, 'parents/y/a.txt').digest).toBe(digestOf('y\n'));
  });

  it('keeps only the folders after a /./ pivot', async () => {
    const files = {
      Dockerfile: `${FROM}COPY --parents ./x/./y/*.txt /parents/\n`,
      'x/y/a.txt': 'a\n',
      'x/y/b.txt': 'b\n',
      'x/y/c.md': 'c\n',
    };
    const { tree } = await buildTree(testFile, files, ['/parents']);
    expect(namesOf(tree)).toEqual([
      '/parents :: parents/',
      '/parents :: parents/y/',
      '/parents :: parents/y/a.txt',
      '/parents :: parents/y/b.txt',
    ]);
  });

  it('gives parent folders their context mode', async () => {
    const files = {
      Dockerfile: `${FROM}COPY --parents --chown=5:6 ./x/y/a.txt /parents/\n`,
      'x/y/a.txt': 'a\n',
    };
    const folder = await testFile.context(files);
    await chmod(join(folder, 'x'), 0o750);
    await chmod(join(folder, 'x/y/a.txt'), 0o640);
    const { tree } = await buildFolderTree(testFile, folder, ['/parents']);
    const parent = entryAt(tree, 'parents/x/');
    expect(parent.type).toBe('directory');
    expect(permissionsOf(parent)).toBe('750');
    expect(parent.owner).toBe('5:6');
    const file = entryAt(tree, 'parents/x/y/a.txt');
    expect(file.type).toBe('file');
    expect(permissionsOf(file)).toBe('640');
    expect(file.owner).toBe('5:6');
    expect(file.digest).toBe(digestOf('a\n'));
  });

  it('keeps a folder source under its own path', async () => {
    const files = {
      Dockerfile: `${FROM}COPY --parents src/lib /app/\n`,
      'src/lib/a.js': 'a\n',
      'src/lib/deep/b.js': 'b\n',
    };
    const { tree } = await buildTree(testFile, files, ['/app']);
    expect(namesOf(tree)).toEqual([
      '/app :: app/',
      '/app :: app/src/',
      '/app :: app/src/lib/',
      '/app :: app/src/lib/a.js',
      '/app :: app/src/lib/deep/',
      '/app :: app/src/lib/deep/b.js',
    ]);
  });
});

describe('COPY --exclude', () => {
  it('leaves out the files a pattern matches', async () => {
    const files = {
      Dockerfile: `${FROM}COPY --exclude=*.txt hom* /mydir/\n`,
      'home.md': 'md\n',
      'home.txt': 'txt\n',
      'homey.js': 'js\n',
      'other.md': 'other\n',
    };
    const { tree } = await buildTree(testFile, files, ['/mydir']);
    expect(namesOf(tree)).toEqual([
      '/mydir :: mydir/',
      '/mydir :: mydir/home.md',
      '/mydir :: mydir/homey.js',
    ]);
    const kept = entryAt(tree, 'mydir/home.md');
    expect(kept.type).toBe('file');
    expect(kept.owner).toBe('0:0');
    expect(kept.digest).toBe(digestOf('md\n'));
  });

  it('takes the flag more than once', async () => {
    const files = {
      Dockerfile: `${FROM}COPY --exclude=*.txt --exclude=*.md hom* /mydir/\n`,
      'home.md': 'md\n',
      'home.txt': 'txt\n',
      'homey.js': 'js\n',
    };
    const { tree } = await buildTree(testFile, files, ['/mydir']);
    expect(namesOf(tree)).toEqual(['/mydir :: mydir/', '/mydir :: mydir/homey.js']);
  });

  it('matches inside a folder source', async () => {
    const files = {
      Dockerfile: `${FROM}ENV SKIP=tmp\nADD --exclude=*.log --exclude=$SKIP app /app/\n`,
      'app/main.js': 'main\n',
      'app/debug.log': 'log\n',
      'app/tmp/cache': 'cache\n',
      'app/lib/util.js': 'util\n',
    };
    const { tree } = await buildTree(testFile, files, ['/app']);
    expect(namesOf(tree)).toEqual([
      '/app :: app/',
      '/app :: app/lib/',
      '/app :: app/lib/util.js',
      '/app :: app/main.js',
    ]);
  });

  it('misses the cache when the patterns change', async () => {
    const files = { 'a.txt': 'a\n', 'b.md': 'b\n' };
    const first = await testFile.context({
      ...files,
      Dockerfile: `${FROM}COPY --exclude=*.md . /d/\n`,
    });
    const second = await testFile.context({
      ...files,
      Dockerfile: `${FROM}COPY --exclude=*.txt . /d/\n`,
    });
    await gantryBuild(testFile.bench, { contextDir: first });
    const changed = await gantryBuild(testFile.bench, { contextDir: second });
    expect(stepEvents(changed.events, 2)).toContain('step-cache-miss');
  });
});

describe('COPY --chmod with a symbolic mode', () => {
  it('adds execute for the user', async () => {
    const files = { Dockerfile: `${FROM}COPY --chmod=u+x run.sh /run.sh\n`, 'run.sh': 'true\n' };
    const folder = await testFile.context(files);
    await chmod(join(folder, 'run.sh'), 0o644);
    const { tree } = await buildFolderTree(testFile, folder, ['/run.sh']);
    expect(permissionsOf(entryAt(tree, 'run.sh'))).toBe('744');
  });

  it('sets X on folders and executables only', async () => {
    const files = {
      Dockerfile: `${FROM}COPY --chmod=u=rwX,go=rX tree /tree/\n`,
      'tree/data': 'data\n',
      'tree/tool.sh': 'true\n',
      'tree/sub/inner': 'inner\n',
    };
    const folder = await testFile.context(files);
    await chmod(join(folder, 'tree/data'), 0o600);
    await chmod(join(folder, 'tree/tool.sh'), 0o700);
    await chmod(join(folder, 'tree/sub'), 0o700);
    const { tree } = await buildFolderTree(testFile, folder, ['/tree']);
    expect(permissionsOf(entryAt(tree, 'tree/data'))).toBe('644');
    expect(permissionsOf(entryAt(tree, 'tree/tool.sh'))).toBe('755');
    expect(permissionsOf(entryAt(tree, 'tree/sub/'))).toBe('755');
  });

  it('changes files copied from a stage', async () => {
    const dockerfile = `FROM busybox:latest AS source\nRUN mkdir /d && echo x > /d/f && chmod 640 /d/f\n${FROM}COPY --from=source --chmod=g=u,o+r /d/f /f\n`;
    const { tree } = await buildTree(testFile, { Dockerfile: dockerfile }, ['/f']);
    expect(permissionsOf(entryAt(tree, 'f'))).toBe('664');
  });

  it('expands a mode from a variable', async () => {
    const dockerfile = `${FROM}ARG MODE=a+x\nCOPY --chmod=$MODE <<EOF /tool\n#!/bin/sh\nEOF\n`;
    const { tree } = await buildTree(testFile, { Dockerfile: dockerfile }, ['/tool']);
    expect(permissionsOf(entryAt(tree, 'tool'))).toBe('755');
  });
});

describe('flags gantry rejects', () => {
  it.each([
    ['COPY --link a /a', '--link', /remove --link/],
    ['RUN --mount=type=cache,target=/c true', '--mount', /remove the flag/],
    ['ADD --keep-git-dir=true https://127.0.0.1/x.git /x', '--keep-git-dir', /remove the flag/],
    ['ADD https://127.0.0.1/repo.git#main /src', 'repo.git', /clone it in a RUN step/],
  ])('%s', async (instruction, named, fix) => {
    const folder = await testFile.context({ Dockerfile: `${FROM}${instruction}\n`, a: 'a\n' });
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(built.error).toBeInstanceOf(BuildError);
    const error = built.error as BuildError;
    expect(error.code).toBe('ERR_UNSUPPORTED');
    expect(error.message).toContain(named);
    expect(error.message).toMatch(fix);
  });
});

describe('COPY --from with heredocs', () => {
  it('writes the heredoc whatever --from names', async () => {
    const dockerfile = `FROM busybox:latest AS other\n${FROM}COPY --from=other <<EOF /note\nhello\nEOF\n`;
    const { tree } = await buildTree(testFile, { Dockerfile: dockerfile }, ['/note']);
    expect(entryAt(tree, 'note').digest).toBe(digestOf('hello\n'));
  });
});
