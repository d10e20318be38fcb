/** The OpenAPI 3.1 document of the server's routes, served at `/openapi.json`. */
import { SERVER_VERSION } from './version.js';

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, content: json(ref('Error')) });
const buildId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

/** Query parameters of `POST /build` and `POST /v1/builds`, as the Engine API names them. */
const BUILD_PARAMETERS = [
  query('t', 'Tag for the final image; repeat for several.', { type: 'string' }),
  query('dockerfile', 'Dockerfile path inside the context.', {
    type: 'string',
    default: 'Dockerfile',
  }),
  query('buildargs', 'Build args as a JSON object of strings (null leaves one out).', {
    type: 'string',
  }),
  query('labels', 'Labels of the final image as a JSON object of strings.', { type: 'string' }),
  query('target', 'Stage to build; the last unless set.', { type: 'string' }),
  query('nocache', 'Skip cache lookups.', { type: 'boolean' }),
  query('q', 'Send only the image id (Engine route).', { type: 'boolean' }),
  query('rm', 'Remove step containers (default 1); rm=0 keeps them all unless forcerm=1.', {
    type: 'boolean',
  }),
  query('forcerm', 'Remove step containers even with rm=0.', { type: 'boolean' }),
  query('networkmode', 'Network of RUN steps: default (or bridge), host or none.', {
    type: 'string',
  }),
  query('pull', 'Pull base images even when present.', { type: 'boolean' }),
  query('platform', 'Platform of base images to pull: os[/arch[/variant]].', { type: 'string' }),
  query('extrahosts', 'Host entry name:ip of RUN steps; repeat for several.', { type: 'string' }),
  query('shmsize', 'Size of /dev/shm in RUN steps, in bytes.', { type: 'integer' }),
  query('memory', 'Memory limit of RUN steps, in bytes.', { type: 'integer' }),
  query('memswap', 'Memory plus swap limit of RUN steps, in bytes; -1 for no limit.', {
    type: 'integer',
  }),
  query('cpushares', 'CPU shares of RUN steps.', { type: 'integer' }),
  query('cpusetcpus', 'CPUs RUN steps may use, such as 0-3 or 0,2.', { type: 'string' }),
  query('cpusetmems', 'Memory nodes RUN steps may use, such as 0-3 or 0,2.', { type: 'string' }),
  query('cpuperiod', 'CPU CFS period of RUN steps, in microseconds.', { type: 'integer' }),
  query('cpuquota', 'CPU CFS quota of RUN steps, in microseconds.', { type: 'integer' }),
  query('cgroupparent', 'Parent cgroup of RUN steps.', { type: 'string' }),
  query('ulimits', 'Ulimits of RUN steps as a JSON array of {Name, Soft, Hard}.', {
    type: 'string',
  }),
  query('isolation', 'Only default, the one isolation on Linux.', {
    type: 'string',
    enum: ['', 'default'],
  }),
  query('version', 'Builder version; only 1 (classic) is offered.', {
    type: 'string',
    enum: ['1'],
  }),
];

function query(name: string, description: string, schema: object) {
  return { name, in: 'query', required: false, description, schema };
}

const TAR_BODY = {
  required: true,
  description: 'The build context as a tar archive, plain or gzip-compressed.',
  content: {
    'application/x-tar': { schema: { type: 'string', contentMediaType: 'application/x-tar' } },
  },
};

const BUILD_ERRORS = {
  '400': error('Invalid parameter or context; `parameter` names the parameter.'),
  '413': error('The context is larger than the server allows.'),
  '429': error('Every build slot and queue place is taken; retry later.'),
};

/** Paths of the document, one entry per route of the server. */
const PATHS = {
  '/_ping': {
    get: {
      summary: 'Engine API ping; `Builder-Version: 1` offers the classic builder.',
      responses: {
        '200': { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } },
      },
    },
    head: {
      summary: 'Engine API ping without a body.',
      responses: { '200': { description: 'OK' } },
    },
  },
  '/version': {
    get: {
      summary: 'Engine API version object, with the server version and API 1.41.',
      responses: { '200': { description: 'Versions', content: json({ type: 'object' }) } },
    },
  },
  '/build': {
    post: {
      summary: 'Engine API build: streams the engine JSON messages of a classic build.',
      description:
        'Also answers under `/v1.NN/build`. A slow client slows RUN steps to its pace. Closing ' +
        'the connection cancels the build, and so does a client that falls behind the kept ' +
        'output all the same: it gets an `errorDetail` message.',
      parameters: BUILD_PARAMETERS,
      requestBody: TAR_BODY,
      responses: {
        '200': {
          description:
            'JSON messages: `stream`, `aux` with the image id, `errorDetail` on failure.',
          content: { 'application/json': { schema: ref('EngineMessage') } },
        },
        ...BUILD_ERRORS,
      },
    },
  },
  '/v1/builds': {
    post: {
      summary: 'Start a build; answers once the context is in.',
      parameters: BUILD_PARAMETERS,
      requestBody: TAR_BODY,
      responses: {
        '202': { description: 'Started or queued', content: json(ref('Build')) },
        ...BUILD_ERRORS,
      },
    },
    get: {
      summary: 'List the builds the server keeps, newest first (without steps).',
      responses: {
        '200': {
          description: 'Builds',
          content: json({
            type: 'object',
            properties: { builds: { type: 'array', items: ref('Build') } },
          }),
        },
      },
    },
  },
  '/v1/builds/{id}': {
    get: {
      summary: 'One build: state, steps, timings, cache hits, image id.',
      parameters: [buildId],
      responses: {
        '200': { description: 'The build', content: json(ref('Build')) },
        '404': error('No such build.'),
      },
    },
    delete: {
      summary: 'Cancel a build; its containers and the images it committed are removed.',
      parameters: [buildId],
      responses: {
        '202': { description: 'Cancelling', content: json(ref('Build')) },
        '404': error('No such build.'),
        '409': error('The build has already ended.'),
      },
    },
  },
  '/v1/builds/{id}/events': {
    get: {
      summary: 'Server-sent events: the stored events, then live ones, then `end`.',
      description:
        'Each message id is the event index; `Last-Event-ID` resumes after it. `format=events` ' +
        'sends build events as JSON; `classic` and `plain` send rendered log text in `log` ' +
        'messages. Output left out of the kept events is replaced by one warning event with ' +
        'the rule `OutputOmitted`. A client that falls behind the kept output gets a last ' +
        '`disconnect` message with `{"code": "ERR_SLOW_READER", "message"}` in place of `end`.',
      parameters: [
        buildId,
        query('format', 'What to send.', { type: 'string', enum: ['events', 'classic', 'plain'] }),
      ],
      responses: {
        '200': {
          description: 'Event stream',
          content: { 'text/event-stream': { schema: { type: 'string' } } },
        },
        '404': error('No such build.'),
      },
    },
  },
  '/v1/parse': {
    post: {
      summary: 'Parse a Dockerfile: syntax tree, stages and diagnostics.',
      requestBody: { required: true, content: { 'text/plain': { schema: { type: 'string' } } } },
      responses: {
        '200': { description: 'The parsed file', content: json({ type: 'object' }) },
        '413': error('Larger than 1 MiB.'),
      },
    },
  },
  '/healthz': {
    get: {
      summary: 'Liveness: the server process answers. Needs no token.',
      security: [],
      responses: { '200': { description: 'Alive', content: json({ type: 'object' }) } },
    },
    head: {
      summary: 'Liveness without a body.',
      security: [],
      responses: { '200': { description: 'Alive' } },
    },
  },
  '/readyz': {
    get: {
      summary: 'Readiness: whether the Docker Engine answers a ping. Needs no token.',
      security: [],
      responses: {
        '200': { description: 'The engine returned a ping', content: json({ type: 'object' }) },
        '503': { description: 'The engine returned no ping', content: json({ type: 'object' }) },
      },
    },
    head: {
      summary: 'Readiness without a body.',
      security: [],
      responses: {
        '200': { description: 'The engine returned a ping' },
        '503': { description: 'The engine returned no ping' },
      },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus metrics: builds by outcome, step cache hits and misses, durations.',
      responses: {
        '200': {
          description: 'Prometheus text format',
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
      },
    },
  },
  '/openapi.json': {
    get: {
      summary: 'This document.',
      responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } },
    },
  },
  '/': {
    get: {
      summary: 'Web page listing builds and showing a build log live.',
      responses: {
        '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } },
      },
    },
  },
  '/page.js': {
    get: {
      summary: 'Script of the web page.',
      responses: {
        '200': {
          description: 'JavaScript',
          content: { 'text/javascript': { schema: { type: 'string' } } },
        },
      },
    },
  },
  '/page.css': {
    get: {
      summary: 'Style sheet of the web page.',
      responses: {
        '200': { description: 'CSS', content: { 'text/css': { schema: { type: 'string' } } } },
      },
    },
  },
};

const SCHEMAS = {
  Error: {
    type: 'object',
    required: ['message', 'code'],
    properties: {
      message: { type: 'string' },
      code: { type: 'string', examples: ['ERR_INVALID_PARAMETER'] },
      parameter: { type: 'string', description: 'The request parameter that is wrong.' },
    },
  },
  Step: {
    type: 'object',
    properties: {
      step: { type: 'integer' },
      instruction: { type: 'string' },
      state: {
        enum: ['running', 'done', 'failed', 'cancelled'],
        description: "A step still running when the build ends takes the build's end state.",
      },
      cached: { type: ['boolean', 'null'] },
      cacheMiss: { type: ['string', 'null'] },
      startedAt: { type: 'integer' },
      durationMs: { type: ['integer', 'null'] },
      imageId: { type: ['string', 'null'] },
    },
  },
  Build: {
    type: 'object',
    required: ['id', 'state'],
    properties: {
      id: { type: 'string' },
      state: { enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] },
      tags: { type: 'array', items: { type: 'string' } },
      createdAt: { type: 'integer', description: 'Milliseconds since the Unix epoch.' },
      startedAt: { type: ['integer', 'null'] },
      finishedAt: { type: ['integer', 'null'] },
      durationMs: { type: ['integer', 'null'] },
      imageId: { type: ['string', 'null'] },
      error: { type: ['string', 'null'] },
      steps: { type: 'array', items: ref('Step') },
      cacheHits: { type: 'integer' },
      cacheMisses: { type: 'integer' },
      createdImages: { type: 'array', items: { type: 'string' } },
      eventCount: { type: 'integer', description: 'Events so far, kept or left out.' },
      omittedOutputBytes: {
        type: 'integer',
        description: 'Bytes of step output left out of the kept events.',
      },
      omittedOutputLines: { type: 'integer', description: 'Line breaks in the left-out output.' },
      links: {
        type: 'object',
        properties: { self: { type: 'string' }, events: { type: 'string' } },
      },
    },
  },
  EngineMessage: {
    type: 'object',
    properties: {
      stream: { type: 'string' },
      aux: { type: 'object', properties: { ID: { type: 'string' } } },
      error: { type: 'string' },
      errorDetail: {
        type: 'object',
        properties: { code: { type: 'integer' }, message: { type: 'string' } },
      },
    },
  },
};

/** The OpenAPI document. */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'gantry build server',
    version: SERVER_VERSION,
    description:
      'Builds container images from uploaded contexts with @gantry/builder. The routes without ' +
      'a /v1 prefix are a subset of the Docker Engine API (1.41) for the docker CLI.',
  },
  servers: [{ url: '/' }],
  security: [{ bearer: [] }, { basic: [] }],
  paths: PATHS,
  components: {
    schemas: SCHEMAS,
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'The server token, when one is set.' },
      basic: {
        type: 'http',
        scheme: 'basic',
        description: 'Any user name, the token as password.',
      },
    },
  },
} as const;
