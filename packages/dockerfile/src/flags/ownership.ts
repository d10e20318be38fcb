import { type FlagResult, invalidValue, parsed } from './errors.js';
import { parseGoUint32 } from './go-values.js';

/** A user or group given by numeric id or by name. */
export type Identity =
  | { readonly kind: 'id'; readonly id: number }
  | { readonly kind: 'name'; readonly name: string };

/** The value of `--chown`: `user[:group]`, each part a name or a numeric id. */
export interface Ownership {
  readonly user: Identity;
  /** The group; absent when only the user is given, so the user's primary group applies. */
  readonly group?: Identity;
  /** The value as written. */
  readonly text: string;
}

const EXPECTED = 'user[:group], each a name or a numeric id';

/**
 * Parses `--chown`. An empty value gives `undefined`: Docker treats `--chown=` as absent.
 * A trailing colon (`app:`) leaves the group to the user's primary group.
 */
export function parseChown(text: string): FlagResult<Ownership | undefined> {
  if (text === '') {
    return parsed(undefined);
  }
  const colon = text.indexOf(':');
  const userText = colon === -1 ? text : text.slice(0, colon);
  const groupText = colon === -1 ? '' : text.slice(colon + 1);
  const problem = describeProblem(userText, groupText);
  if (problem !== undefined) {
    return invalidValue({
      flag: 'chown',
      value: text,
      reason: problem,
      expected: EXPECTED,
      example: '--chown=1000:1000 or --chown=app:app',
    });
  }
  const user = toIdentity(userText);
  return parsed(groupText === '' ? { user, text } : { user, group: toIdentity(groupText), text });
}

function describeProblem(user: string, group: string): string | undefined {
  if (user === '') {
    return 'the user is missing';
  }
  if (group.includes(':')) {
    return 'more than one ":"';
  }
  if (/^[0-9]+$/.test(user) && parseGoUint32(user, 10) === undefined) {
    return 'the user id is above 4294967295';
  }
  if (/^[0-9]+$/.test(group) && parseGoUint32(group, 10) === undefined) {
    return 'the group id is above 4294967295';
  }
  return undefined;
}

function toIdentity(text: string): Identity {
  const id = parseGoUint32(text, 10);
  return id === undefined ? { kind: 'name', name: text } : { kind: 'id', id };
}
