/** An AbortSignal that fires when the client goes away before its response is complete. */
import type { ServerResponse } from 'node:http';
import { ServerError } from './errors.js';

/** Returns a signal that aborts when `res` closes before it finished. */
export function clientSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (res.writableFinished) return;
    controller.abort(
      new ServerError(
        'ERR_CLIENT_CLOSED',
        'The client closed the connection before the response ended.',
      ),
    );
  });
  return controller.signal;
}
