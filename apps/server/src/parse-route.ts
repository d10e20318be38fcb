/** `POST /v1/parse`: a Dockerfile in, its syntax tree, stages and diagnostics out. */
import { parse } from '@gantry/dockerfile';
import { readTextBody } from './request-body.js';
import { sendText } from './respond.js';
import type { RequestContext, Route } from './router.js';

/** Largest Dockerfile the parse route reads: 1 MiB. */
export const MAX_DOCKERFILE_BYTES = 1024 * 1024;

/** The parse route. */
export const PARSE_ROUTES: readonly Route[] = [
  { method: 'POST', path: '/v1/parse', handle: parseDockerfile },
];

/**
 * Parses the body as a Dockerfile. The response has the syntax tree
 * (`syntax`), the escape character, the directives, the global ARGs, the
 * stages with their typed instructions, and every diagnostic with its range.
 * The status is 200 also for a file with errors, which are listed in `diagnostics`.
 */
async function parseDockerfile({ req, res }: RequestContext): Promise<void> {
  const text = await readTextBody(req, MAX_DOCKERFILE_BYTES);
  const file = parse(text);
  const body = {
    escape: file.escape,
    directives: file.directives,
    globalArgs: file.globalArgs,
    stages: file.stages,
    diagnostics: file.diagnostics,
    syntax: file.syntax,
  };
  sendText(res, 200, JSON.stringify(body, syntaxOnlyAtTop(body)), 'application/json');
}

/** Creates a JSON replacer that keeps `syntax` at the top and drops the copies inside each instruction. */
function syntaxOnlyAtTop(top: object) {
  return function (this: unknown, key: string, value: unknown): unknown {
    return key === 'syntax' && this !== top ? undefined : value;
  };
}
