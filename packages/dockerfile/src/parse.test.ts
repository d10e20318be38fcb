import { describe, expect, it } from 'vitest';
import { DockerfileSyntaxError } from './errors.js';
import type { TypedInstruction } from './instructions/types.js';
import { parse, parseStrict } from './parse.js';

function only<Kind extends TypedInstruction['kind']>(
  source: string,
  kind: Kind,
): Extract<TypedInstruction, { kind: Kind }> {
  const found = parse(source).instructions.find((instruction) => instruction.kind === kind);
  if (found === undefined) throw new Error(`no ${kind} instruction in ${source}`);
  return found as Extract<TypedInstruction, { kind: Kind }>;
}

function rules(source: string): string[] {
  return parse(source).diagnostics.map((diagnostic) => diagnostic.rule);
}

describe('typed instructions', () => {
  it('reads FROM with platform and stage name', () => {
    const from = only('FROM --platform=linux/arm64 golang:1.22 AS Build\n', 'from');
    expect(from.image).toBe('golang:1.22');
    expect(from.stageName).toBe('build');
    expect(from.platform?.status).toBe('parsed');
    expect(from.platform?.text).toBe('linux/arm64');
  });

  it('reads COPY sources, destination and flags', () => {
    const copy = only(
      'FROM a\nCOPY --from=build --chown=1000:1000 --chmod=755 --link a b /dst/\n',
      'copy',
    );
    expect(copy.sources).toEqual(['a', 'b']);
    expect(copy.destination).toBe('/dst/');
    expect(copy.link).toBe(true);
    expect(copy.parents).toBe(false);
    expect(copy.from?.value).toEqual({ kind: 'name', name: 'build', text: 'build' });
    expect(copy.chown?.status).toBe('parsed');
    expect(copy.chmod?.status).toBe('parsed');
  });

  it('reads COPY in exec form and with heredocs', () => {
    expect(only('FROM a\nCOPY ["a b", "/c"]\n', 'copy').sources).toEqual(['a b']);
    const copy = only('FROM a\nCOPY <<EOF /motd\nhi\nEOF\n', 'copy');
    expect(copy.heredocs[0]?.content).toBe('hi\n');
  });

  it('reads RUN mounts, network and heredocs', () => {
    const run = only(
      'FROM a\nRUN --mount=type=cache,target=/root/.cache --network=none make\n',
      'run',
    );
    expect(run.mounts).toHaveLength(1);
    expect(run.mounts[0]?.status).toBe('parsed');
    expect(run.network?.value).toBe('none');
    expect(run.command).toEqual({ form: 'shell', script: 'make' });
  });

  it('reads CMD, ENTRYPOINT and SHELL commands', () => {
    expect(only('FROM a\nCMD ["a", "b"]\n', 'command').command).toEqual({
      form: 'exec',
      arguments: ['a', 'b'],
    });
    expect(rules('FROM a\nSHELL /bin/sh -c\n')).toEqual(['shell-not-exec-form']);
  });

  it('reads HEALTHCHECK NONE and CMD with options', () => {
    expect(only('FROM a\nHEALTHCHECK NONE\n', 'healthcheck').test).toEqual({ kind: 'none' });
    const check = only(
      'FROM a\nHEALTHCHECK --interval=30s --retries=3 CMD curl -f http://x/\n',
      'healthcheck',
    );
    expect(check.test).toEqual({
      kind: 'cmd',
      command: { form: 'shell', script: 'curl -f http://x/' },
    });
    expect(check.interval?.status).toBe('parsed');
    expect(check.retries?.value).toBe(3);
    expect(rules('FROM a\nHEALTHCHECK --retries=x CMD true\n')).toEqual(['invalid-flag']);
  });

  it('reads ENV, LABEL and ARG', () => {
    expect(only('FROM a\nENV A=1 B=two\n', 'key-value').pairs).toEqual([
      { key: 'A', value: '1' },
      { key: 'B', value: 'two' },
    ]);
    expect(only('ARG A B=2\n', 'arg').args).toEqual([
      { key: 'A', defaultValue: undefined },
      { key: 'B', defaultValue: '2' },
    ]);
  });

  it('reads ONBUILD with its trigger', () => {
    const onbuild = only('FROM a\nONBUILD COPY --chown=app . /src\n', 'onbuild');
    expect(onbuild.trigger?.kind).toBe('copy');
    expect(rules('FROM a\nONBUILD FROM b\n')).toEqual(['invalid-onbuild']);
  });

  it('reads the one-value and list instructions', () => {
    expect(only('FROM a\nUSER app\n', 'value').value).toBe('app');
    expect(only('FROM a\nEXPOSE 80 443/udp\n', 'list').values).toEqual(['80', '443/udp']);
  });
});

describe('known flags', () => {
  it.each([
    ['FROM --platform=linux/amd64 a', 'platform'],
    ['COPY --from=build a /b', 'from'],
    ['COPY --chown=1000:1000 a /b', 'chown'],
    ['COPY --chmod=0644 a /b', 'chmod'],
    ['COPY --link a /b', 'link'],
    ['COPY --parents a/b /c/', 'parents'],
    ['COPY --exclude=*.md . /c/', 'exclude'],
    [
      'ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://x/a /a',
      'checksum',
    ],
    ['ADD --keep-git-dir=true https://x/r.git /r', 'keep-git-dir'],
    ['RUN --mount=type=secret,id=npm,target=/root/.npmrc npm ci', 'mount'],
    ['RUN --mount=type=ssh git clone x', 'mount'],
    ['RUN --mount=type=tmpfs,target=/tmp,size=64m make', 'mount'],
    ['RUN --network=host make', 'network'],
    ['RUN --security=insecure make', 'security'],
    ['HEALTHCHECK --interval=30s CMD true', 'interval'],
    ['HEALTHCHECK --timeout=5s CMD true', 'timeout'],
    ['HEALTHCHECK --start-period=1m CMD true', 'start-period'],
    ['HEALTHCHECK --start-interval=2s CMD true', 'start-interval'],
    ['HEALTHCHECK --retries=5 CMD true', 'retries'],
  ])('types %s', (line, name) => {
    const file = parse(`FROM base\n${line}\n`);
    expect(file.diagnostics).toEqual([]);
    const flag = file.instructions[1]?.flags[0];
    expect(flag?.name).toBe(name);
    expect(flag?.status).toBe('parsed');
    expect(flag?.value).not.toBeUndefined();
  });

  it.each([
    ['COPY --chmod=999 a /b', 'invalid-flag'],
    ['RUN --network=sideways make', 'invalid-flag'],
    ['RUN --mount=type=nfs,target=/x make', 'invalid-flag'],
    ['HEALTHCHECK --interval=soon CMD true', 'invalid-flag'],
    ['ADD --keep-git-dir=maybe https://x/r.git /r', 'invalid-flag'],
  ])('rejects %s', (line, rule) => {
    expect(rules(`FROM base\n${line}\n`)).toEqual([rule]);
  });
});

describe('flag diagnostics', () => {
  it('suggests the closest flag for an unknown one', () => {
    const [diagnostic] = parse('FROM a\nCOPY --form=build a /b\n').diagnostics;
    expect(diagnostic?.rule).toBe('unknown-flag');
    expect(diagnostic?.message).toContain('unknown flag --form on COPY (did you mean --from?)');
    expect(diagnostic?.range.start).toEqual({ line: 1, character: 5, offset: 12 });
  });

  it('reports a repeated flag', () => {
    expect(rules('FROM a\nCOPY --chown=a --chown=b x /y\n')).toEqual(['duplicate-flag']);
  });

  it('defers a value that refers to a variable', () => {
    expect(only('FROM a\nCOPY --chown=$USER x /y\n', 'copy').chown?.status).toBe('deferred');
  });

  it('reports argument counts', () => {
    expect(rules('FROM a\nCOPY onlyone\n')).toEqual(['missing-arguments']);
    expect(rules('FROM\n')).toEqual(['missing-arguments']);
    expect(rules('FROM a b\n')).toEqual(['invalid-from']);
  });

  it.each([
    ['ENV', ['missing-arguments']],
    ['ENV A', ['missing-value']],
    ['LABEL A', ['missing-value']],
    ['HEALTHCHECK', ['invalid-healthcheck']],
    ['HEALTHCHECK FOO', ['invalid-healthcheck']],
    ['HEALTHCHECK CMD', ['missing-arguments']],
  ])('reports %s once', (line, expected) => {
    expect(rules(`FROM a\n${line}\n`)).toEqual(expected);
  });
});

describe('stages', () => {
  const source = [
    'ARG GO=1.22',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Dockerfile text, expanded by Docker.
    'FROM golang:${GO} AS build',
    'RUN go build -o /out/app',
    'FROM build AS test',
    'RUN --mount=type=bind,from=build,target=/src go test',
    'FROM alpine:3.20',
    'COPY --from=build /out/app /app',
    'COPY --from=1 /x /x',
    'COPY --from=nginx:1 /etc/nginx /etc/nginx',
    '',
  ].join('\n');

  it('collects global ARGs and stages', () => {
    const file = parse(source);
    expect(file.globalArgs.map((arg) => arg.args[0]?.key)).toEqual(['GO']);
    expect(file.stages.map((stage) => [stage.index, stage.name, stage.base])).toEqual([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Dockerfile text, expanded by Docker.
      [0, 'build', 'golang:${GO}'],
      [1, 'test', 'build'],
      [2, undefined, 'alpine:3.20'],
    ]);
    expect(file.stages[0]?.instructions.map((instruction) => instruction.name)).toEqual(['RUN']);
  });

  it('resolves references through FROM, COPY --from and RUN --mount', () => {
    const [, test, final] = parse(source).stages;
    expect(test?.baseStage).toBe(0);
    expect(test?.references.map((ref) => [ref.kind, ref.target, ref.stage])).toEqual([
      ['from', 'build', 0],
      ['mount-from', 'build', 0],
    ]);
    expect(final?.references.map((ref) => [ref.kind, ref.target, ref.stage])).toEqual([
      ['copy-from', 'build', 0],
      ['copy-from', '1', 1],
      ['copy-from', 'nginx:1', undefined],
    ]);
  });

  it('reports an instruction before the first FROM and a repeated stage name', () => {
    expect(rules('RUN x\nFROM a\n')).toEqual(['instruction-before-from']);
    expect(rules('FROM a AS x\nFROM b AS x\n')).toEqual(['duplicate-stage-name']);
  });
});

describe('parseStrict', () => {
  it('returns the file when there is no error', () => {
    expect(parseStrict('FROM a\nRUN b \\\n\n c\n').stages).toHaveLength(1);
  });

  it('throws a typed error with the first problem and its range', () => {
    let caught: unknown;
    try {
      parseStrict('FROM a\nFORM b\nCOPY x\n');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DockerfileSyntaxError);
    const error = caught as DockerfileSyntaxError;
    expect(error.code).toBe('DOCKERFILE_SYNTAX');
    expect(error.message).toContain('unknown instruction FORM (did you mean FROM?)');
    expect(error.message).toContain('(line 2, column 1)');
    expect(error.message).toContain('(and 1 more error)');
    expect(error.range.start.line).toBe(1);
    expect(error.diagnostics).toHaveLength(2);
  });
});
