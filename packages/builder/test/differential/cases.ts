/**
 * Small Dockerfiles that the differential suite builds with the engine's
 * classic builder and with gantry. `paths` are the folders and files whose
 * trees must match; every case also compares the final image config.
 */

/** One differential case. */
export interface DifferentialCase {
  readonly name: string;
  /** Files of the context; `{origin}` stands for the suite's HTTP file server. */
  readonly files: Record<string, string>;
  readonly paths?: readonly string[];
  readonly buildArgs?: Record<string, string>;
  /** Symbolic links to create, by path, with their targets. */
  readonly symlinks?: Record<string, string>;
  /** Hard links to create, by path, with the existing file they link to. */
  readonly hardLinks?: Record<string, string>;
  /**
   * Adds `plain.tar`, `packed.tar.gz`, `packed.tar.bz2` and `packed.tar.xz`, and
   * `notes.txt.gz`, `notes.txt.bz2` and `notes.txt.xz`, which are no tar, to the context.
   */
  readonly archives?: boolean;
  /** File modes to set after writing, by path. */
  readonly modes?: Record<string, number>;
  /**
   * Also compares `docker history`'s CreatedBy lines, with the content hash of
   * COPY and ADD lines masked (gantry's hash differs, see the README).
   */
  readonly history?: boolean;
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
    name: 'VOLUME expanded with spaces',
    files: { Dockerfile: `${FROM}ENV V="/a /b"\nVOLUME $V\nVOLUME ["$V/c"]\n` },
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
    name: 'COPY --chown into missing parent folders',
    files: {
      Dockerfile: `${FROM}COPY --chown=1000:2000 dir /p/q/r\nCOPY --chown=1000:2000 dir a.txt /s/t/\nCOPY --chown=1000:2000 a.txt dir /u/v/\nCOPY --chown=1000:2000 di? /w/x/\nCOPY --chown=1000:2000 a.txt /y/z/\nADD --chown=1000:2000 packed.tar.gz /v/w/\n`,
      'a.txt': 'a',
      'dir/b.txt': 'b',
    },
    archives: true,
    paths: ['/p', '/s', '/u', '/w', '/y', '/v'],
  },
  {
    name: 'COPY a file through a destination link',
    files: {
      Dockerfile: `FROM busybox:latest AS src\nRUN echo o > /o\nFROM busybox:latest\nRUN mkdir /etc2 && echo old > /etc2/target && ln -s /etc2/target /tofile && ln -s /missing/deep/x /deep && ln -s /nowhere /dangling && ln -s nowhere2 /relative\nCOPY a.txt /tofile\nCOPY --chown=7:8 a.txt /deep\nCOPY a.txt /dangling\nCOPY --from=src /o /relative\n`,
      'a.txt': 'a',
    },
    paths: [
      '/etc2',
      '/tofile',
      '/deep',
      '/missing',
      '/dangling',
      '/nowhere',
      '/relative',
      '/nowhere2',
    ],
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
    name: 'ADD extracts bzip2 and xz tar archives',
    files: {
      Dockerfile: `${FROM}ADD packed.tar.bz2 /bz2/\nADD packed.tar.xz /xz\nADD notes.txt.bz2 notes.txt.xz /notes/\n`,
    },
    archives: true,
    paths: ['/bz2', '/xz', '/notes'],
  },
  {
    name: 'ADD from a URL',
    files: {
      Dockerfile: `${FROM}ADD {origin}/app.txt {origin}/bundle.tar.gz /downloads/\nADD {origin}/app.txt /renamed.txt\nADD --chown=7:8 {origin}/app.txt /owned/\n`,
    },
    paths: ['/downloads', '/renamed.txt', '/owned'],
  },
  {
    name: 'COPY --from with wildcard sources',
    files: {
      Dockerfile: `FROM busybox:latest AS build\nRUN mkdir -p /out/a /out/b && echo 1 > /out/a/x.txt && echo 2 > /out/b/y.txt && echo 3 > /out/one.txt && echo 4 > /out/two.md && chown 7:8 /out/one.txt && chmod 600 /out/two.md\nFROM busybox:latest\nCOPY --from=build /out/*.txt /txt/\nCOPY --from=build /out/* /all/\nCOPY --from=build /out/*/*.txt /deep/\nCOPY --from=build /ou? /root-pattern/\n`,
    },
    paths: ['/txt', '/all', '/deep', '/root-pattern'],
  },
  {
    name: 'multi-stage COPY --from',
    files: {
      Dockerfile: `FROM busybox:latest AS build\nRUN mkdir -p /out/sub && echo built > /out/app && echo s > /out/sub/s\nFROM build AS second\nRUN echo second > /second\nFROM busybox:latest\nCOPY --from=build /out /app/\nCOPY --from=1 /second /from-index\nCOPY --from=build /out/app /single\n`,
    },
    paths: ['/app', '/from-index', '/single'],
  },
  {
    name: 'COPY --from keeps owners and modes',
    files: {
      Dockerfile: `FROM busybox:latest AS src\nRUN mkdir -p /out/dir && echo f > /out/f && echo g > /out/g && chown -R 1000:2000 /out && chmod 700 /out/dir && chown 33:44 /out/g\nFROM busybox:latest\nCOPY --from=src /out /copied/\nCOPY --from=src /out/g /single-g\nCOPY --from=src --chown=5:6 /out /owned/\n`,
    },
    paths: ['/copied', '/single-g', '/owned'],
  },
  {
    name: 'COPY --from --chown into missing parent folders',
    files: {
      Dockerfile: `FROM busybox:latest AS src\nRUN mkdir -p /out/dir && echo f > /out/f\nFROM busybox:latest\nCOPY --from=src --chown=5:6 /out /cf/p/q\nCOPY --from=src --chown=5:6 /out/f /cg/p/q/\nCOPY --from=src --chown=5:6 /out /out/f /ci/p/\nCOPY --from=src /out /cj/p/q\nCOPY --from=src --chown=5:6 /out/* /ch/p/\nCOPY --from=src --chown=5:6 /out/f* /ck/p/\n`,
    },
    paths: ['/cf', '/cg', '/ch', '/ci', '/cj', '/ck'],
  },
  {
    name: 'legacy ENV and LABEL forms',
    files: { Dockerfile: `${FROM}ENV GREETING hello big world\nLABEL description a long text\n` },
  },
  {
    name: 'ENV substitution modifiers',
    files: {
      Dockerfile: `${FROM}ENV A=1\nENV B=\${A:-x} C=\${UNSET:-def} D=\${A:+set} E=\${UNSET:+no}\nENV F="quoted $A" G='single $A' H=a\\ b\n`,
    },
  },
  {
    name: 'ARG without default given on the command line',
    files: { Dockerfile: `${FROM}ARG X\nARG UNSET_ARG\nENV Y=$X Z=$UNSET_ARG\n` },
    buildArgs: { X: 'from-cli' },
  },
  {
    name: 'ARG is scoped to its stage',
    files: {
      Dockerfile: `FROM busybox:latest AS one\nARG A=1\nENV IN_ONE=$A\nFROM busybox:latest\nCOPY --from=one /bin/true /t\nENV IN_TWO=$A\n`,
    },
  },
  {
    name: 'COPY a wildcard that matches folders',
    files: {
      Dockerfile: `${FROM}COPY d* /w/\n`,
      'd1/a.txt': 'a',
      'd2/b.txt': 'b',
      'd2/deep/c.txt': 'c',
      'other/x.txt': 'x',
    },
    paths: ['/w'],
  },
  {
    name: 'COPY keeps symlinks inside folders',
    files: { Dockerfile: `${FROM}COPY . /ctx/\n`, 'a.txt': 'a', 'dir/b.txt': 'b' },
    symlinks: { 'link-to-a': 'a.txt', 'dir/up': '../a.txt' },
    paths: ['/ctx'],
  },
  {
    name: 'COPY follows symlink sources',
    files: {
      Dockerfile: `${FROM}COPY inlink /followed\nCOPY inlink /into/\nCOPY dirlink /dl/\nCOPY dirlink/a /through\nCOPY d2/rel /rel2\nCOPY inl* /wild/\n`,
      real: 'real',
      'dir/a': 'a',
      'd2/x': 'x',
    },
    symlinks: { inlink: 'real', dirlink: 'dir', 'dir/inner': 'a', 'd2/rel': '../real' },
    paths: ['/followed', '/into', '/dl', '/through', '/rel2', '/wild'],
  },
  {
    name: 'COPY to a relative folder under WORKDIR',
    files: {
      Dockerfile: `${FROM}WORKDIR /app\nCOPY a.txt sub/\nCOPY a.txt ./named\n`,
      'a.txt': 'a',
    },
    paths: ['/app'],
  },
  {
    name: 'WORKDIR is created by root under USER',
    files: { Dockerfile: `${FROM}USER nobody\nWORKDIR /made/deeper\n` },
    paths: ['/made'],
  },
  {
    name: 'EXPOSE and STOPSIGNAL with variables',
    files: { Dockerfile: `${FROM}ARG P=9090\nEXPOSE $P \${P}/udp\nARG SIG=9\nSTOPSIGNAL $SIG\n` },
  },
  {
    name: 'CMD exec form with JSON escapes',
    files: { Dockerfile: `${FROM}CMD ["echo", "a\\"b", "\\u00e9", "tab\\there"]\n` },
  },
  {
    name: 'RUN exec form',
    files: { Dockerfile: `${FROM}RUN ["sh", "-c", "echo exec > /exec.txt"]\n` },
    paths: ['/exec.txt'],
  },
  {
    name: 'ENTRYPOINT shell form then CMD',
    files: { Dockerfile: `${FROM}ENTRYPOINT exec top\nCMD ["-b"]\n` },
  },
  {
    name: 'writes under a VOLUME are dropped',
    files: {
      Dockerfile: `${FROM}RUN mkdir -p /v && echo before > /v/kept\nVOLUME /v\nRUN echo after > /v/dropped\n`,
    },
    paths: ['/v'],
  },
  {
    name: 'ADD with a wildcard',
    files: { Dockerfile: `${FROM}ADD *.txt /t/\n`, 'a.txt': 'a', 'b.txt': 'b', 'c.md': 'c' },
    paths: ['/t'],
  },
  {
    name: 'COPY --chown with a user id only',
    files: { Dockerfile: `${FROM}COPY --chown=1000 a.txt /owned/a.txt\n`, 'a.txt': 'a' },
    paths: ['/owned'],
  },
  {
    name: 'COPY --chown with names',
    files: {
      Dockerfile: `${FROM}COPY --chown=nobody:nogroup a.txt /named/\nCOPY --chown=root dir /rooted/\n`,
      'a.txt': 'a',
      'dir/b.txt': 'b',
    },
    paths: ['/named', '/rooted'],
  },
  {
    name: 'COPY --from follows symbolic link sources',
    files: {
      Dockerfile: `FROM busybox:latest AS links\nRUN mkdir /out && echo z > /out/z && ln -s /out /dirlink && echo t > /t && ln -s /t /filelink\n${FROM}COPY --from=links /dirlink /via-dir/\nCOPY --from=links /filelink /file\nCOPY --from=links /filelink /into/\nCOPY --from=links /dirlink/z /through\n`,
    },
    paths: ['/via-dir', '/file', '/into', '/through'],
  },
  {
    name: '.dockerignore exception inside an excluded folder',
    files: {
      Dockerfile: `${FROM}COPY --chown=1000:1000 . /all/\nCOPY keep /named/\nCOPY --chown=1000 kee* /matched/\n`,
      '.dockerignore': 'keep\n!keep/wanted.txt\n',
      'keep/wanted.txt': 'w',
      'keep/dropped.txt': 'd',
    },
    paths: ['/all', '/named', '/matched'],
  },
  {
    name: 'FROM scratch',
    files: {
      Dockerfile:
        'FROM scratch\nENV A=1\nCOPY a.txt dir /data/\nWORKDIR /data\nCOPY a.txt copy.txt\n',
      'a.txt': 'a',
      'dir/b.txt': 'b',
    },
    paths: ['/data'],
  },
  {
    name: 'an image without CMD or ENTRYPOINT',
    files: {
      Dockerfile: `${FROM}CMD []\nENV A=1\nRUN echo hi > /x\nCOPY a.txt /\nWORKDIR /w\n`,
      'a.txt': 'a',
    },
    paths: ['/x', '/a.txt', '/w'],
  },
  {
    name: 'LABEL overrides an earlier value',
    files: { Dockerfile: `${FROM}LABEL a=1 b=2\nLABEL a=3\nLABEL "c"="multi\\\n  line"\n` },
  },
  {
    name: 'USER and WORKDIR reach RUN',
    files: {
      Dockerfile: `${FROM}WORKDIR /tmp\nUSER nobody\nRUN id -u > ./uid && pwd > ./pwd\n`,
    },
    paths: ['/tmp/uid', '/tmp/pwd'],
  },
  {
    name: 'HEALTHCHECK shell form with interval only',
    files: { Dockerfile: `${FROM}HEALTHCHECK --interval=1m30s CMD wget -q localhost || exit 1\n` },
  },
  {
    // A health check that ran during the RUN would leave /checked in the step's layer.
    name: 'HEALTHCHECK stays off while RUN runs',
    files: {
      Dockerfile: `${FROM}HEALTHCHECK --interval=1s CMD touch /checked\nRUN sleep 3 && ls / > /listing\n`,
    },
    paths: ['/listing'],
  },
  {
    name: 'global ARG in FROM overridden',
    files: { Dockerfile: `ARG TAG=nope\nFROM busybox:$TAG\nENV OK=1\n` },
    buildArgs: { TAG: 'latest' },
  },
  {
    name: 'ONBUILD triggers run in a child stage',
    files: {
      Dockerfile: `FROM busybox:latest AS parent\nONBUILD RUN echo triggered > /triggered\nONBUILD ENV FROM_TRIGGER=1\nFROM parent\nRUN cat /triggered\n`,
    },
    paths: ['/triggered'],
  },
  {
    name: 'EXPOSE history sorts the words',
    files: { Dockerfile: `${FROM}ENV P="9 80"\nEXPOSE 9090/udp 8080 $P 100\n` },
    history: true,
  },
  {
    name: 'COPY and ADD --chown history',
    files: {
      Dockerfile: `FROM busybox:latest AS src\nRUN mkdir /out && echo o > /out/o\nFROM busybox:latest\nARG U=7\nCOPY --chown=$U:\${U} a.txt /x\nCOPY --chown=nobody:nogroup dir /named/\nADD --chown=1 a.txt /added\nCOPY --from=src --chown=$U /out /from/\nCOPY a.txt /plain\n`,
      'a.txt': 'a',
      'dir/b.txt': 'b',
    },
    paths: ['/x', '/named', '/added', '/from'],
    history: true,
  },
  {
    name: 'COPY wildcard that matches nothing',
    files: {
      Dockerfile: `${FROM}WORKDIR /app\nCOPY package*.json yarn.lock* ./\nCOPY a.txt nom?tch /x/\nADD nothing-[0-9] a.txt /y/\n`,
      'package.json': '{}',
      'a.txt': 'a',
    },
    paths: ['/app', '/x', '/y'],
  },
  {
    name: 'COPY --from wildcard that matches nothing',
    files: {
      Dockerfile: `FROM busybox:latest AS src\nRUN mkdir /o && echo 1 > /o/a\nFROM busybox:latest\nCOPY --from=src /o/nomatch* /o/a /x/\nCOPY --from=src /o/a /o/n?match /y/\n`,
    },
    paths: ['/x', '/y'],
  },
  {
    name: 'COPY keeps mode 000 and owner ids over 262143',
    files: {
      Dockerfile: `FROM busybox:latest AS src\nRUN mkdir /out && echo o > /out/o && chown 2097151:262144 /out/o && echo z > /out/z && chmod 000 /out/z\n${FROM}COPY a.txt /m/\nCOPY --chown=2097152:2097151 a.txt dir /big/\nCOPY --from=src /out /from/\nCOPY --from=src --chown=262144:2097152 /out /from-owned/\n`,
      'a.txt': 'a',
      'dir/b.txt': 'b',
    },
    modes: { 'a.txt': 0 },
    paths: ['/m', '/big', '/from', '/from-owned'],
  },
  {
    name: 'COPY clears setuid and setgid as chown does',
    files: {
      Dockerfile: `FROM busybox:latest AS src\nRUN mkdir -p /out/shared && echo r > /out/run && chmod 6755 /out/run && echo l > /out/lock && chmod 2644 /out/lock && chmod 2755 /out/shared\n${FROM}COPY run.sh lock.txt shared /ctx/\nCOPY --chown=5:6 run.sh /owned.sh\nCOPY --from=src /out /kept/\nCOPY --from=src --chown=5:6 /out /owned/\n`,
      'run.sh': '#!/bin/sh\n',
      'lock.txt': 'l',
      'shared/x': 'x',
    },
    modes: { 'run.sh': 0o6755, 'lock.txt': 0o2644, shared: 0o2755 },
    paths: ['/ctx', '/owned.sh', '/kept', '/owned'],
  },
  {
    name: 'COPY keeps hard links within a folder',
    files: {
      Dockerfile: `${FROM}COPY tree /t/\nCOPY --chown=5:6 tree /owned/\nCOPY tree/one tree/sub/two /files/\nCOPY tree/sub /sub/\n`,
      'tree/one': '1',
      'tree/sub/keep': 'k',
      'outside.txt': 'o',
    },
    hardLinks: { 'tree/sub/two': 'tree/one', 'tree/three': 'tree/one', 'tree/out': 'outside.txt' },
    paths: ['/t', '/owned', '/files', '/sub'],
  },
  {
    name: 'COPY a malformed wildcard matches nothing',
    files: {
      Dockerfile: `FROM busybox:latest AS src\nRUN mkdir /o && echo 1 > /o/a && echo 2 > '/o/b[' && echo 3 > '/o/c[]'\n${FROM}COPY a.txt b[ c[] /x/\nCOPY --from=src /o/a /o/b[ /o/c[] /y/\n`,
      'a.txt': 'a',
      'b[': 'b',
      'c[]': 'c',
    },
    paths: ['/x', '/y'],
  },
];
