/**
 * Variables in scope for an expansion: a `Map`, or a plain object whose own
 * properties are the variables. A variable that is absent is unset; one whose value
 * is the empty string is set but empty, which matters to `${NAME:-x}` against `${NAME-x}`.
 * Names are compared exactly, as on a Linux builder.
 */
export type Environment = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

/** One variable that an expansion looked up, and whether it was set. */
export interface VariableReference {
  /** The variable's name as written in the word. */
  readonly name: string;
  /** Whether the variable was set (possibly to the empty string) when it was looked up. */
  readonly set: boolean;
}

/** Looks a variable up and returns its value, or `undefined` when it is unset. @internal */
export function lookUp(environment: Environment, name: string): string | undefined {
  if (environment instanceof Map) {
    return environment.get(name);
  }
  const record = environment as Readonly<Record<string, string>>;
  return Object.hasOwn(record, name) ? record[name] : undefined;
}
