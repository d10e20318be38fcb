import { type FlagResult, invalidValue, parsed } from './errors.js';

/** The value of `--platform`: `os[/architecture[/variant]]`, as containerd parses it. */
export interface Platform {
  readonly os?: string;
  readonly architecture?: string;
  readonly variant?: string;
  /** The value as written. */
  readonly text: string;
}

const KNOWN_OS = new Set(
  'aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos'.split(
    ' ',
  ),
);
const KNOWN_ARCHITECTURES = new Set(
  [
    '386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32',
    'mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm',
    'x86_64 x86-64 aarch64 armhf armel i386',
  ]
    .join(' ')
    .split(' '),
);
const COMPONENT = /^[A-Za-z0-9_.-]+$/;
const EXPECTED = 'os[/architecture[/variant]], each part made of letters, digits, _ . or -';

/**
 * Parses `--platform`. One part is an operating system when containerd lists it as one,
 * else an architecture. An empty value gives `undefined`: Docker treats `--platform=` as absent.
 */
export function parsePlatform(text: string): FlagResult<Platform | undefined> {
  if (text === '') {
    return parsed(undefined);
  }
  const parts = text.split('/');
  const badPart = parts.find((part) => !COMPONENT.test(part));
  if (parts.length > 3 || badPart !== undefined) {
    const reason =
      badPart === undefined
        ? 'more than three parts'
        : `${JSON.stringify(badPart)} is not a valid part`;
    return invalidPlatform(text, reason);
  }
  const [first = '', architecture, variant] = parts;
  if (parts.length > 1) {
    return parsed({ os: first.toLowerCase(), architecture, variant, text });
  }
  if (KNOWN_OS.has(first.toLowerCase())) {
    return parsed({ os: first.toLowerCase(), text });
  }
  if (KNOWN_ARCHITECTURES.has(first.toLowerCase())) {
    return parsed({ architecture: first, text });
  }
  return invalidPlatform(text, 'not a known operating system or architecture');
}

function invalidPlatform(text: string, reason: string): FlagResult<Platform | undefined> {
  return invalidValue({
    flag: 'platform',
    value: text,
    reason,
    expected: EXPECTED,
    example: '--platform=linux/arm64',
  });
}
