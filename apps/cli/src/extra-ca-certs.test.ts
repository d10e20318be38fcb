/**
 * The installed `gantry` script starts Node.js without NODE_EXTRA_CA_CERTS
 * and gantry reads that file itself when ADD downloads an https URL. An https
 * server on 127.0.0.1 with a certificate of a test authority checks both ends.
 */
import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { rootCertificates } from 'node:tls';
import { makeCertificates } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCliBench } from './test-bench.js';
import { GANTRY_BIN, runGantry } from './test-cli.js';

/** The bundle's executable, which the gantry script starts. */
const MAIN_JS = join(GANTRY_BIN, '..', 'main.js');

const bench = useCliBench();
let server: Server;
let origin = '';
let authority = '';

beforeAll(async () => {
  const certificates = await bench.newFolder();
  await makeCertificates(certificates);
  authority = join(certificates, 'ca.pem');
  const read = (name: string) => readFile(join(certificates, name));
  const tls = { cert: await read('server-cert.pem'), key: await read('server-key.pem') };
  server = createServer(tls, (request, response) => {
    if (request.url !== '/app.txt') {
      response.writeHead(404).end();
      return;
    }
    response.end('from https\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('NODE_EXTRA_CA_CERTS', () => {
  it('is not read when Node.js starts', async () => {
    // Node.js warns at start when it cannot read the file.
    const missing = join(await bench.newFolder(), 'missing.pem');
    const { code, stderr } = await runGantry(['version'], {
      env: { NODE_EXTRA_CA_CERTS: missing },
    });
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('is trusted by ADD from an https URL', async () => {
    const folder = await bench.contextWith(`FROM busybox:latest\nADD ${origin}/app.txt /app.txt\n`);
    const { code, stdout } = await bench.gantryBuild(['-q', folder], {
      env: { NODE_EXTRA_CA_CERTS: authority },
    });
    expect(code).toBe(0);
    const imageId = stdout.trim();
    await using container = await bench.engine.containers.create({
      config: { Image: imageId, Cmd: ['true'], Labels: bench.fixture.labels },
    });
    const stat = await bench.engine.archives.stat(container.id, { path: '/app.txt' });
    expect(stat?.size).toBe('from https\n'.length);
  });

  it('names the variable when the authority is not trusted', async () => {
    const folder = await bench.contextWith(`FROM busybox:latest\nADD ${origin}/app.txt /app.txt\n`);
    const { code, stderr } = await bench.gantryBuild([folder], {
      env: { NODE_EXTRA_CA_CERTS: '' },
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/failed to download https:.*set NODE_EXTRA_CA_CERTS to a PEM file/);
  });

  it.each([
    ['the gantry script', GANTRY_BIN],
    ['main.js run directly', MAIN_JS],
  ])('names a file of another authority from %s', async (_name, command) => {
    const other = join(await bench.newFolder(), 'other.pem');
    await writeFile(other, rootCertificates[0] ?? '');
    const folder = await bench.contextWith(`FROM busybox:latest\nADD ${origin}/app.txt /app.txt\n`);
    const { code, stderr } = await bench.gantryBuild([folder], {
      command,
      env: { NODE_EXTRA_CA_CERTS: other },
    });
    expect(code).toBe(1);
    expect(stderr).toContain(`not signed by an authority that Node.js or ${other}`);
  });
});

describe('the gantry script', () => {
  it('runs through a relative symbolic link, as npm installs it', async () => {
    const bin = join(await bench.newFolder(), 'node_modules', '.bin');
    await mkdir(bin, { recursive: true });
    await symlink(relative(bin, GANTRY_BIN), join(bin, 'gantry'));
    const { code, stdout } = await runGantry(['version'], { command: join(bin, 'gantry') });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^gantry \d+\.\d+\.\d+/);
  });

  it('names main.js when copied away from it', async () => {
    const copy = join(await bench.newFolder(), 'gantry');
    await copyFile(GANTRY_BIN, copy);
    const { code, stderr } = await runGantry(['version'], { command: copy });
    expect(code).toBe(127);
    expect(stderr).toContain(`gantry: ${join(copy, '..', 'main.js')} not found`);
    expect(stderr).toContain('ln -s');
    expect(stderr).not.toContain('MODULE_NOT_FOUND');
  });
});
