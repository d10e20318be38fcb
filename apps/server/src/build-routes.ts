/** gantry's own build API under `/v1/builds`. */
import { parseBuildQuery } from './build-query.js';
import type { BuildRecord, BuildSummary } from './build-record.js';
import { clientSignal } from './client-signal.js';
import { ServerError } from './errors.js';
import { readStreamFormat, streamBuildEvents } from './event-stream.js';
import { sendJson } from './respond.js';
import type { RequestContext, Route } from './router.js';

/** Routes of the build API. */
export const BUILD_ROUTES: readonly Route[] = [
  { method: 'POST', path: '/v1/builds', handle: createBuild },
  { method: 'GET', path: '/v1/builds', handle: listBuilds },
  { method: 'GET', path: '/v1/builds/:id', handle: getBuild },
  { method: 'GET', path: '/v1/builds/:id/events', handle: getEvents },
  { method: 'DELETE', path: '/v1/builds/:id', handle: cancelBuild },
];

/**
 * Starts a build from the tar context in the body, with the Engine API's
 * query parameters, and responds 202 with its id once the context is in.
 */
async function createBuild({ req, res, url, app }: RequestContext): Promise<void> {
  const request = parseBuildQuery(url.searchParams);
  const record = await app.builds.submit({
    request,
    body: req,
    clientSignal: clientSignal(res),
    detachAfterUpload: true,
  });
  res.setHeader('Location', `/v1/builds/${record.id}`);
  sendJson(res, 202, withLinks(record.summary()));
}

function listBuilds({ res, app }: RequestContext): void {
  const builds = app.builds.list().map((record) => {
    const { steps: _steps, ...summary } = record.summary();
    return withLinks(summary);
  });
  sendJson(res, 200, { builds });
}

function getBuild(context: RequestContext): void {
  sendJson(context.res, 200, withLinks(findBuild(context).summary()));
}

function getEvents(context: RequestContext): void {
  const { req, res, url, app } = context;
  const format = readStreamFormat(url.searchParams.get('format'));
  const record = findBuild(context);
  app.metrics.trackStream(res);
  streamBuildEvents(record, req, res, {
    format,
    onFellBehind: () => {
      app.logger.warn(
        { buildId: record.id, route: '/v1/builds/:id/events' },
        'slow reader disconnected',
      );
      app.metrics.countSlowReader('/v1/builds/:id/events');
    },
  });
}

function cancelBuild(context: RequestContext): void {
  const record = findBuild(context);
  const reason = new ServerError(
    'ERR_BUILD_CANCELLED',
    `Build ${record.id} was cancelled by DELETE /v1/builds/${record.id}.`,
  );
  if (!context.app.builds.cancel(record, reason)) {
    throw new ServerError(
      'ERR_BUILD_FINISHED',
      `Build ${record.id} has already ended (${record.state}); there is nothing to cancel.`,
    );
  }
  sendJson(context.res, 202, withLinks(record.summary()));
}

function findBuild({ params, app }: RequestContext): BuildRecord {
  const id = params.id ?? '';
  const record = app.builds.get(id);
  if (record !== undefined) return record;
  throw new ServerError(
    'ERR_NOT_FOUND',
    `No build ${JSON.stringify(id)}: it never existed or the server no longer keeps it; ` +
      'GET /v1/builds lists the builds it keeps.',
  );
}

function withLinks<T extends Pick<BuildSummary, 'id'>>(summary: T) {
  const self = `/v1/builds/${summary.id}`;
  return { ...summary, links: { self, events: `${self}/events` } };
}
