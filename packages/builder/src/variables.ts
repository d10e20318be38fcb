/**
 * ARG scoping as the classic builder does it. Global ARGs before the first
 * FROM are usable only in FROM unless a stage declares them again. A stage's
 * ARGs reach its expansions and RUN's environment unless an ENV of the same
 * name wins. The predefined proxy args need no ARG but only count when given.
 */
import { expandWord } from '@gantry/dockerfile';

/** Build args that every Dockerfile may use without declaring them. */
export const PREDEFINED_ARGS: ReadonlySet<string> = new Set([
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'FTP_PROXY',
  'ftp_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
]);

/** `--build-arg` values and the global ARGs, shared by every stage of a build. */
export class BuildArgs {
  readonly #given: ReadonlyMap<string, string>;
  readonly #global = new Map<string, string | undefined>();
  readonly #declared = new Set<string>();

  constructor(given: Readonly<Record<string, string>>) {
    this.#given = new Map(Object.entries(given));
  }

  /** Declares a global ARG (before the first FROM); its default expands with earlier global ARGs. */
  declareGlobal(key: string, defaultValue: string | undefined, escapeCharacter: '\\' | '`'): void {
    const env = this.globalValues();
    const value =
      defaultValue === undefined
        ? undefined
        : expandWord(defaultValue, { env, escape: escapeCharacter });
    this.#global.set(key, value?.value);
  }

  /** Values of the global ARGs, `--build-arg` first: the variables FROM expands with. */
  globalValues(): Map<string, string> {
    const values = new Map<string, string>();
    for (const [key, fallback] of this.#global) {
      const value = this.#given.get(key) ?? fallback;
      if (value !== undefined) values.set(key, value);
    }
    return values;
  }

  /** Starts the ARG scope of a stage. */
  stageScope(): StageArgs {
    return new StageArgs(this);
  }

  /** Marks `key` as consumed by an ARG instruction. */
  markDeclared(key: string): void {
    this.#declared.add(key);
  }

  /** Value of `--build-arg key`, if given. */
  given(key: string): string | undefined {
    return this.#given.get(key);
  }

  /** Default of the global ARG `key`, if declared with one. */
  globalDefault(key: string): string | undefined {
    return this.#global.get(key);
  }

  /** `--build-arg` names no ARG declared and that are not predefined, sorted. */
  unused(): string[] {
    const names = [...this.#given.keys()];
    return names.filter((key) => !this.#declared.has(key) && !PREDEFINED_ARGS.has(key)).sort();
  }

  /** The predefined args given with `--build-arg`. */
  givenPredefined(): [string, string][] {
    return [...this.#given].filter(([key]) => PREDEFINED_ARGS.has(key));
  }
}

/** The ARGs in scope in one stage. */
export class StageArgs {
  readonly #build: BuildArgs;
  readonly #values = new Map<string, string | undefined>();

  constructor(build: BuildArgs) {
    this.#build = build;
  }

  /**
   * Declares `ARG key[=default]`. The value is the `--build-arg` value, else
   * the default, else the global ARG's default when the stage redeclares it.
   */
  declare(key: string, defaultValue: string | undefined): void {
    this.#build.markDeclared(key);
    const value = this.#build.given(key) ?? defaultValue ?? this.#build.globalDefault(key);
    this.#values.set(key, value);
  }

  /**
   * Args that reach expansions and RUN: declared ones with a value, and the
   * predefined args given on the command line, minus names the environment sets.
   */
  allowed(environment: ReadonlyMap<string, string>): [string, string][] {
    const allowed: [string, string][] = [];
    for (const [key, value] of this.#values) {
      if (value !== undefined && !environment.has(key)) allowed.push([key, value]);
    }
    for (const [key, value] of this.#build.givenPredefined()) {
      if (!this.#values.has(key) && !environment.has(key)) allowed.push([key, value]);
    }
    return allowed;
  }

  /** Returns a copy of the declared values, for {@link StageArgs.restore}. */
  snapshot(): ReadonlyMap<string, string | undefined> {
    return new Map(this.#values);
  }

  /** Puts back the declared values of a {@link StageArgs.snapshot}. */
  restore(values: ReadonlyMap<string, string | undefined>): void {
    this.#values.clear();
    for (const [key, value] of values) this.#values.set(key, value);
  }

  /** Whether an ARG of this stage declared `key` (predefined args shown in RUN history need it). */
  isDeclared(key: string): boolean {
    return this.#values.has(key);
  }
}
