import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerError } from './errors.js';
import { startServer } from './server.js';
import {
  buildQuery,
  dockerCli,
  postContext,
  tarContext,
  useTestServer,
  waitFor,
} from './test-server.js';

const TOKEN = 'test-token-5f1e2d9c';
const SECRET_VALUE = 'build-arg-secret-8b7a';

const test = useTestServer({ token: TOKEN });
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gantry-server-auth-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function withoutToken(path: string, init: RequestInit = {}) {
  return fetch(`${test.url}${path}`, init);
}

describe('token', () => {
  it('healthz needs no token', async () => {
    expect((await withoutToken('/healthz')).status).toBe(200);
  });

  it.each(['/_ping', '/v1/builds', '/metrics', '/openapi.json', '/version'])(
    '%s without a token is a 401',
    async (path) => {
      const response = await withoutToken(path);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="gantry"');
    },
  );

  it('wrong token is a 401', async () => {
    const response = await withoutToken('/_ping', { headers: { authorization: 'Bearer nope' } });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe('ERR_UNAUTHORIZED');
  });

  it('bearer token is accepted', async () => {
    const response = await withoutToken('/_ping', {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
  });

  it('basic password token is accepted', async () => {
    const basic = Buffer.from(`anyone:${TOKEN}`).toString('base64');
    const response = await withoutToken('/v1/builds', {
      headers: { authorization: `Basic ${basic}` },
    });
    expect(response.status).toBe(200);
  });

  it('page asks browsers for Basic credentials', async () => {
    const response = await withoutToken('/');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Basic realm="gantry"');
  });

  it('docker CLI sends the token from its config', async () => {
    const contextDir = join(folder, 'context');
    const configDir = join(folder, 'docker-config');
    await rm(contextDir, { recursive: true, force: true });
    await import('node:fs/promises').then(async ({ mkdir }) => {
      await mkdir(contextDir, { recursive: true });
      await mkdir(configDir, { recursive: true });
    });
    await writeFile(join(contextDir, 'Dockerfile'), 'FROM busybox:latest\nENV AUTH=1\n');
    const host = test.url.replace('http://', 'tcp://');
    const args = ['-H', host, 'build', '--label', test.fixture.labelFilter, contextDir];
    const rejected = await dockerCli('/usr/bin/docker', args, { DOCKER_CONFIG: configDir });
    expect(rejected.code).not.toBe(0);
    expect(rejected.stderr).toContain('Missing credentials');
    expect(rejected.stderr).toContain('"HttpHeaders" in its config.json');
    const config = { HttpHeaders: { Authorization: `Bearer ${TOKEN}` } };
    await writeFile(join(configDir, 'config.json'), JSON.stringify(config));
    const built = await dockerCli('/usr/bin/docker', args, { DOCKER_CONFIG: configDir });
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/^Successfully built [0-9a-f]{12}$/m);
  });
});

describe('logs', () => {
  it('log has build ids and no secrets', async () => {
    const context = await tarContext({
      Dockerfile: `FROM busybox:latest\nARG SECRET\nRUN test "$SECRET" = ${SECRET_VALUE} && exit 5\n`,
    });
    const buildargs = JSON.stringify({ SECRET: SECRET_VALUE });
    const query = buildQuery(test.fixture, { buildargs });
    const response = await postContext(test, `/build?${query}`, context);
    expect(await response.text()).toContain('"errorDetail"');
    await withoutToken('/_ping', { headers: { authorization: `Bearer ${TOKEN}-wrong` } });
    const invalid = `/build?buildargs=${encodeURIComponent(`{"SECRET":"${SECRET_VALUE}"`)}`;
    expect((await postContext(test, invalid, context)).status).toBe(400);
    // Node's JSON parser quotes the text near an unquoted value in its message.
    const unquoted = `/build?buildargs=${encodeURIComponent(`{"SECRET":${SECRET_VALUE}}`)}`;
    expect((await postContext(test, unquoted, context)).status).toBe(400);
    // The response ends when the build ends; the log line follows the clean-up.
    await waitFor(() => test.logs.some((line) => line.includes('"build failed"')));
    const log = test.logs.join('');
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain(SECRET_VALUE.slice(0, 10));
    const lines = test.logs.map((line) => JSON.parse(line) as { msg: string; buildId?: string });
    const failed = lines.find((line) => line.msg === 'build failed');
    expect(failed?.buildId).toMatch(/^[0-9a-f]{16}$/);
    expect(
      lines.some((line) => line.msg === 'build started' && line.buildId === failed?.buildId),
    ).toBe(true);
    expect(lines.some((line) => line.msg === 'server started')).toBe(true);
    expect(lines.some((line) => line.msg === 'request rejected')).toBe(true);
  });
});

describe('bind address', () => {
  it('non-loopback host without a token is rejected', async () => {
    const starting = startServer({ host: '0.0.0.0', port: 0 });
    await expect(starting).rejects.toBeInstanceOf(ServerError);
    await expect(starting).rejects.toThrow(/without a token.*GANTRY_SERVER_TOKEN/s);
  });

  it('port in use names the fix', async () => {
    const port = Number(new URL(test.url).port);
    const starting = startServer({ port, token: TOKEN });
    await expect(starting).rejects.toBeInstanceOf(ServerError);
    await expect(starting).rejects.toThrow(
      `Cannot listen on 127.0.0.1:${port}: the address is already in use`,
    );
  });

  it('empty token is rejected', async () => {
    await expect(startServer({ token: '  ' })).rejects.toThrow(/Invalid token/);
  });
});
