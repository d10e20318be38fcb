import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { OPENAPI_DOCUMENT } from './openapi.js';
import { ROUTES } from './routes.js';
import { buildQuery, postContext, tarContext, useTestServer } from './test-server.js';

const test = useTestServer();

describe('POST /v1/parse', () => {
  it('returns stages, syntax and diagnostics', async () => {
    const response = await test.fetch('/v1/parse', {
      method: 'POST',
      body: 'FROM busybox AS base\nRUN echo hi\nFROBNICATE x\n',
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      stages: Array<{ name: string }>;
      syntax: { instructions: unknown[] };
      diagnostics: Array<{ severity: string; range: { start: { line: number } } }>;
    };
    expect(body.stages[0]?.name).toBe('base');
    expect(body.syntax.instructions).toHaveLength(3);
    expect(body.diagnostics[0]?.severity).toBe('error');
    expect(body.diagnostics[0]?.range.start.line).toBe(2);
  });

  it('leaves syntax out of the instructions', async () => {
    const response = await test.fetch('/v1/parse', { method: 'POST', body: 'FROM busybox\n' });
    const text = await response.text();
    expect(text.match(/"syntax":/g)).toHaveLength(1);
  });

  it('body over 1 MiB is a 413', async () => {
    const body = `FROM busybox\n${'# comment\n'.repeat(120_000)}`;
    const response = await test.fetch('/v1/parse', { method: 'POST', body });
    expect(response.status).toBe(413);
  });
});

describe('service routes', () => {
  it('healthz answers ok', async () => {
    const response = await test.fetch('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('readyz answers ready while the engine answers', async () => {
    const response = await test.fetch('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ready',
      engine: { apiVersion: '1.41' },
    });
  });

  it('healthz and readyz answer HEAD', async () => {
    expect((await test.fetch('/healthz', { method: 'HEAD' })).status).toBe(200);
    expect((await test.fetch('/readyz', { method: 'HEAD' })).status).toBe(200);
  });

  it('readyz names the engine that does not answer in time', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = `tcp://127.0.0.1:${port}`;
    try {
      const response = await test.fetch('/readyz');
      expect(response.status).toBe(503);
      const body = (await response.json()) as { message: string };
      expect(body.message).toContain(`tcp://127.0.0.1:${port} did not answer a ping within 5 s`);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('readyz answers 503 without an engine', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///tmp/gantry-no-such-engine.sock';
    try {
      const response = await test.fetch('/readyz');
      expect(response.status).toBe(503);
      const body = (await response.json()) as { status: string; message: string };
      expect(body.status).toBe('engine unreachable');
      expect(body.message).toContain('/tmp/gantry-no-such-engine.sock');
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });

  it('metrics count builds and cache results', async () => {
    const context = await tarContext({ Dockerfile: 'FROM busybox:latest\nENV M=1\n' });
    const query = buildQuery(test.fixture);
    for (let run = 0; run < 2; run++) {
      await (await postContext(test, `/build?${query}`, context)).text();
    }
    const response = await test.fetch('/metrics');
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/^gantry_builds_total\{outcome="succeeded"\} 2$/m);
    expect(text).toMatch(/^gantry_build_steps_total\{cache="miss"\} 2$/m);
    expect(text).toMatch(/^gantry_build_steps_total\{cache="hit"\} 2$/m);
    expect(text).toMatch(/^gantry_build_duration_seconds_count\{outcome="succeeded"\} 2$/m);
    expect(text).toMatch(/^gantry_builds_running 0$/m);
    expect(text).toMatch(/^gantry_http_requests_total\{route="\/build",status="200"\} 2$/m);
  });

  it('openapi.json documents every route', async () => {
    const response = await test.fetch('/openapi.json');
    const document = (await response.json()) as typeof OPENAPI_DOCUMENT;
    expect(document.openapi).toBe('3.1.0');
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const served = ROUTES.map(
      (route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`,
    );
    expect(documented.sort()).toEqual(served.sort());
  });

  it('openapi.json documents every build parameter the server reads', async () => {
    const response = await test.fetch('/openapi.json');
    const document = (await response.json()) as typeof OPENAPI_DOCUMENT;
    const documented = document.paths['/build'].post.parameters.map((parameter) => parameter.name);
    const read = new Set<string>();
    for (const file of ['build-query.ts', 'build-query-resources.ts']) {
      const source = await readFile(new URL(file, import.meta.url), 'utf8');
      for (const match of source.matchAll(
        /\(query, '(\w+)'|query\.(?:get|getAll|has)\('(\w+)'\)/g,
      )) {
        read.add(match[1] ?? match[2] ?? '');
      }
    }
    // securityopt is read only to be rejected, so it has no documented values.
    read.delete('securityopt');
    expect(read.size).toBeGreaterThan(20);
    expect(documented.sort()).toEqual([...read].sort());
  });

  it('unknown path is a 404', async () => {
    const response = await test.fetch('/v2/nothing');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { message: string }).message).toContain('/v2/nothing');
  });

  it('wrong method is a 405', async () => {
    const response = await test.fetch('/v1/parse');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(((await response.json()) as { message: string }).message).toContain('use POST');
  });
});
