/** The Engine API subset: `/_ping`, `/version` and `POST /build`, as the docker CLI calls them. */

import type { ServerResponse } from 'node:http';
import { release } from 'node:os';
import { createRenderer } from '@gantry/log-format';
import { parseBuildQuery } from './build-query.js';
import type { BuildRecord } from './build-record.js';
import { clientSignal } from './client-signal.js';
import { ServerError } from './errors.js';
import { streamRecord } from './record-stream.js';
import { sendJson, sendText } from './respond.js';
import { API_VERSION, MIN_API_VERSION, type RequestContext, type Route } from './router.js';
import { SERVER_VERSION } from './version.js';

/** Routes of the Engine API; each is also served under `/v1.NN/`. */
export const ENGINE_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/_ping', engine: true, handle: ping },
  { method: 'HEAD', path: '/_ping', engine: true, handle: ping },
  { method: 'GET', path: '/version', engine: true, handle: version },
  { method: 'POST', path: '/build', engine: true, handle: postBuild },
];

/**
 * Responds to the ping that the docker CLI sends first. `Builder-Version: 1` makes
 * the CLI use the classic builder, so it opens no BuildKit session.
 */
function ping({ res }: RequestContext): void {
  res.setHeader('API-Version', API_VERSION);
  res.setHeader('Builder-Version', '1');
  res.setHeader('Docker-Experimental', 'false');
  res.setHeader('OSType', 'linux');
  res.setHeader('Cache-Control', 'no-cache, no-store, must-revalidate');
  res.setHeader('Pragma', 'no-cache');
  sendText(res, 200, 'OK');
}

function version({ res }: RequestContext): void {
  res.setHeader('API-Version', API_VERSION);
  const details = {
    ApiVersion: API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    Os: 'linux',
    Arch: goArch(process.arch),
    KernelVersion: release(),
  };
  sendJson(res, 200, {
    Platform: { Name: 'gantry' },
    Components: [{ Name: 'gantry-server', Version: SERVER_VERSION, Details: details }],
    Version: SERVER_VERSION,
    ...details,
    GitCommit: '',
    GoVersion: '',
    BuildTime: '',
  });
}

/** Node's architecture names as Go (and so the engine) spells them. */
function goArch(arch: string): string {
  const names: Record<string, string> = { x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64' };
  return names[arch] ?? arch;
}

/**
 * Builds the tar context of the body and streams the engine's JSON messages.
 * The build ends with the connection: a client that goes away cancels it,
 * and so does a client that falls behind the kept output.
 */
async function postBuild({ req, res, url, app }: RequestContext): Promise<void> {
  const request = parseBuildQuery(url.searchParams);
  const record = await app.builds.submit({
    request,
    body: req,
    clientSignal: clientSignal(res),
    detachAfterUpload: false,
  });
  res.writeHead(200, { 'Content-Type': 'application/json' });
  app.metrics.trackStream(res);
  if (request.quiet) {
    // The engine sends nothing but the image id for `q=1`, or the whole log on failure.
    await record.waitForEnd();
    const { imageId } = record.summary();
    if (imageId !== undefined) {
      res.end(`{"stream":"${imageId}\\n"}\r\n`);
      return;
    }
  }
  streamEngineMessages(record, res, () => {
    const reason = new ServerError('ERR_SLOW_READER', slowClientMessage(record));
    app.logger.warn({ buildId: record.id, route: '/build' }, 'slow client disconnected');
    app.metrics.countSlowReader('/build');
    app.builds.cancel(record, reason);
    return reason;
  });
}

/**
 * Writes the build's events as the engine's messages. A client that fell
 * behind gets the error of `cancelForSlowClient` as the engine's error message.
 */
function streamEngineMessages(
  record: BuildRecord,
  res: ServerResponse,
  cancelForSlowClient: () => ServerError,
): void {
  const renderer = createRenderer('engine-json');
  streamRecord(record, res, {
    from: 0,
    paced: true,
    render: (event) => renderer.render(event),
    finish: () => '',
    fellBehind: () => {
      const { message } = cancelForSlowClient();
      return `${JSON.stringify({ errorDetail: { message }, error: message })}\r\n`;
    },
  });
}

function slowClientMessage(record: BuildRecord): string {
  return (
    `The client read the log of build ${record.id} too slowly: output it had not read yet ` +
    'was left out of the kept events, so the server cancelled the build. Read the log ' +
    "faster, or raise the server's --keep-output."
  );
}
