/** The Engine API subset: `/_ping`, `/version` and `POST /build`, as the docker CLI calls them. */

import type { ServerResponse } from 'node:http';
import { release } from 'node:os';
import { createRenderer } from '@gantry/log-format';
import { parseBuildQuery } from './build-query.js';
import type { BuildRecord } from './build-record.js';
import { clientSignal } from './client-signal.js';
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
 * The build ends with the connection: a client that goes away cancels it.
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
  await streamEngineMessages(record, res, request.quiet);
}

/**
 * Writes the build's events as the engine's messages. Quiet builds send
 * only `{"stream":"sha256:...\n"}` on success, and the whole log on failure,
 * as the engine does with `q=1`.
 */
function streamEngineMessages(
  record: BuildRecord,
  res: ServerResponse,
  quiet: boolean,
): Promise<void> {
  const renderer = createRenderer('engine-json');
  // NOTE: writes ignore backpressure. A slow client makes Node buffer the
  // text, on top of the events the record keeps anyway.
  let quietLog = '';
  return new Promise((resolve) => {
    const onFinish = () => {
      const { imageId } = record.summary();
      if (quiet && imageId !== undefined) res.write(`{"stream":"${imageId}\\n"}\r\n`);
      else if (quiet) res.write(quietLog);
      res.end();
      resolve();
    };
    record.follow(
      0,
      (event) => {
        const text = renderer.render(event);
        if (quiet) quietLog += text;
        else if (text !== '') res.write(text);
      },
      onFinish,
    );
  });
}
