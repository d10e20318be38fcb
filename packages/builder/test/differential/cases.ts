/**
 * Small Dockerfiles that the differential suite builds with the engine's
 * classic builder and with gantry. `paths` are the folders and files whose
 * trees must match; every case also compares the final image config.
 */

/** One differential case. */
export interface DifferentialCase {
  readonly name: string;
  readonly files: Record<string, string>;
  readonly paths?: readonly string[];
  readonly buildArgs?: Record<string, string>;
  /** Adds `plain.tar`, `packed.tar.gz` and a gzip file that is no tar to the context. */
  readonly archives?: boolean;
  /** File modes to set after writing, by path. */
  readonly modes?: Record<string, number>;
}

const FROM = 'FROM busybox:latest\n';

export const DIFFERENTIAL_CASES: readonly DifferentialCase[] = [
  {
    name: 'ENV and ARG scoping',
    files: {
      Dockerfile: `ARG BASE=busybox:latest\nARG G=global\nFROM $BASE\nARG G\nARG L=local\nENV A=$G B=\${L}-x\nENV L=env\nARG L=ignored\nENV C=$L\n`,
    },
  },
  {
    name: 'build args override defaults',
    files: { Dockerfile: `${FROM}ARG V=1\nENV FROM_ARG=$V\nRUN echo "$V" > /v.txt\n` },
    buildArgs: { V: 'given' },
    paths: ['/v.txt'],
  },
  {
    name: 'EXPOSE forms',
    files: { Dockerfile: `${FROM}EXPOSE 80 443/tcp 53/udp 8000-8002 80:8080\nEXPOSE 9000/TCP\n` },
  },
  {
    name: 'VOLUME forms',
    files: { Dockerfile: `${FROM}ENV D=/data\nVOLUME $D /logs\nVOLUME ["/a", "/b"]\n` },
  },
  {
    name: 'WORKDIR chain',
    files: {
      Dockerfile: `${FROM}ENV D=/srv\nWORKDIR $D/app\nWORKDIR sub/../next\nRUN pwd > here\n`,
    },
    paths: ['/srv'],
  },
  {
    name: 'USER with group',
    files: { Dockerfile: `${FROM}USER 1000:1000\nUSER nobody\n` },
  },
  {
    name: 'ENTRYPOINT drops the inherited CMD',
    files: { Dockerfile: `${FROM}ENTRYPOINT ["echo"]\n` },
  },
  {
    name: 'CMD before ENTRYPOINT stays',
    files: { Dockerfile: `${FROM}CMD ["hello"]\nENTRYPOINT echo\n` },
  },
  {
    name: 'SHELL changes shell forms',
    files: {
      Dockerfile: `${FROM}SHELL ["/bin/sh", "-ec"]\nRUN echo ok > /ok\nCMD echo hi\nENTRYPOINT exec sh\n`,
    },
    paths: ['/ok'],
  },
  {
    name: 'HEALTHCHECK with every option',
    files: {
      Dockerfile: `${FROM}HEALTHCHECK --interval=30s --timeout=5s --start-period=1m --retries=4 CMD ["true"]\n`,
    },
  },
  {
    name: 'HEALTHCHECK NONE',
    files: { Dockerfile: `${FROM}HEALTHCHECK CMD true\nHEALTHCHECK NONE\n` },
  },
  {
    name: 'LABEL quoting and expansion',
    files: {
      Dockerfile: `${FROM}ENV V=1.0\nLABEL version=$V "with space"="a b" single='$V'\nLABEL legacy value here\n`,
    },
  },
  {
    name: 'ONBUILD STOPSIGNAL MAINTAINER',
    files: {
      Dockerfile: `${FROM}ONBUILD RUN echo one\nONBUILD COPY . /app\nSTOPSIGNAL SIGKILL\nMAINTAINER someone <a@b.c>\n`,
    },
  },
  {
    name: 'COPY file and folder rules',
    files: {
      Dockerfile: `${FROM}WORKDIR /w\nCOPY a.txt /f/renamed.txt\nCOPY a.txt /slash/\nCOPY a.txt /etc\nCOPY dir /d\nCOPY dir/ /d2/\nCOPY a.txt rel.txt\nCOPY *.md /docs/\nCOPY dir/sub/. /flat\n`,
      'a.txt': 'a\n',
      'one.md': '1\n',
      'two.md': '2\n',
      'dir/x.txt': 'x\n',
      'dir/sub/y.txt': 'y\n',
    },
    paths: ['/f', '/slash', '/etc/a.txt', '/d', '/d2', '/w', '/docs', '/flat'],
  },
  {
    name: 'COPY keeps file modes',
    files: {
      Dockerfile: `${FROM}COPY run.sh secret /bin2/\n`,
      'run.sh': '#!/bin/sh\n',
      secret: 's',
    },
    modes: { 'run.sh': 0o755, secret: 0o600 },
    paths: ['/bin2'],
  },
  {
    name: 'COPY --chown with ids',
    files: {
      Dockerfile: `${FROM}COPY --chown=1000:2000 a.txt dir /owned/\n`,
      'a.txt': 'a',
      'dir/b.txt': 'b',
    },
    paths: ['/owned'],
  },
  {
    name: '.dockerignore excludes sources',
    files: {
      Dockerfile: `${FROM}COPY . /ctx/\n`,
      '.dockerignore': '*.log\nsecret/\n!keep.log\n',
      'a.txt': 'a',
      'b.log': 'b',
      'keep.log': 'k',
      'secret/s.txt': 's',
    },
    paths: ['/ctx'],
  },
  {
    name: 'ADD a plain file',
    files: {
      Dockerfile: `${FROM}ADD a.txt /added/\nADD dir /added/dir\n`,
      'a.txt': 'a',
      'dir/b.txt': 'b',
    },
    paths: ['/added'],
  },
  {
    name: 'ADD extracts local tar archives',
    files: {
      Dockerfile: `${FROM}ADD plain.tar /plain/\nADD packed.tar.gz /packed\nADD notes.txt.gz /gz/\n`,
    },
    archives: true,
    paths: ['/plain', '/packed', '/gz'],
  },
  {
    name: 'multi-stage COPY --from',
    files: {
      Dockerfile: `FROM busybox:latest AS build\nRUN mkdir -p /out/sub && echo built > /out/app && echo s > /out/sub/s\nFROM build AS second\nRUN echo second > /second\nFROM busybox:latest\nCOPY --from=build /out /app/\nCOPY --from=1 /second /from-index\nCOPY --from=build /out/app /single\n`,
    },
    paths: ['/app', '/from-index', '/single'],
  },
];
