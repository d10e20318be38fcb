import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildSummary } from './build-record.js';
import { buildQuery, postContext, tarContext, useTestServer } from './test-server.js';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'page-test-token-31c9';

const test = useTestServer({ token: TOKEN });
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing; install it with apt-get install -y chromium`);
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
});

async function startBuild(dockerfile: string): Promise<BuildSummary> {
  const context = await tarContext({ Dockerfile: dockerfile });
  const response = await postContext(test, `/v1/builds?${buildQuery(test.fixture)}`, context);
  return (await response.json()) as BuildSummary;
}

async function openPage() {
  const context = await browser.newContext({
    httpCredentials: { username: 'gantry', password: TOKEN },
  });
  return { context, page: await context.newPage() };
}

describe('page', () => {
  it('shows a build log live', async () => {
    const build = await startBuild(
      'FROM busybox:latest\nRUN echo line-one; sleep 2; echo "<b>line-two</b>"\n',
    );
    const { context, page } = await openPage();
    try {
      await page.goto(`${test.url}/#build=${build.id}`);
      const log = page.locator('#log');
      await log.getByText('line-one').waitFor();
      expect(await log.textContent()).not.toContain('Successfully built');
      await page.locator('#state', { hasText: 'running' }).waitFor();
      await page.locator('#state[data-state="succeeded"]').waitFor({ timeout: 60_000 });
      const text = (await log.textContent()) ?? '';
      expect(text).toMatch(/^Step 1\/3 : FROM busybox:latest$/m);
      expect(text).toMatch(/^<b>line-two<\/b>$/m);
      expect(text).toMatch(/^Successfully built [0-9a-f]{12}$/m);
      expect(await page.locator('#log b').count()).toBe(0);
      if (process.env.GANTRY_PAGE_SCREENSHOT !== undefined) {
        await page.screenshot({ path: process.env.GANTRY_PAGE_SCREENSHOT });
      }
    } finally {
      await context.close();
    }
  });

  it('lists builds and opens one', async () => {
    const first = await startBuild('FROM busybox:latest\nENV PAGE=1\n');
    const second = await startBuild('FROM busybox:latest\nENV PAGE=2\n');
    const { context, page } = await openPage();
    try {
      await page.goto(`${test.url}/`);
      const links = page.locator('#builds a');
      await page.locator(`#builds a[data-build-id="${second.id}"]`).waitFor();
      expect(await links.first().getAttribute('data-build-id')).toBe(second.id);
      await page.locator(`#builds a[data-build-id="${first.id}"]`).click();
      await page.locator('#state[data-state="succeeded"]').waitFor({ timeout: 60_000 });
      expect(await page.locator('#title').textContent()).toBe(`Build ${first.id}`);
      expect(await page.locator('#log').textContent()).toContain('ENV PAGE=1');
    } finally {
      await context.close();
    }
  });

  it('list loads without waiting for a poll', async () => {
    const build = await startBuild('FROM busybox:latest\nENV PAGE=3\n');
    const { context, page } = await openPage();
    try {
      // A paused clock fires no timer, so only the first load can fill the list.
      await page.clock.install();
      await page.clock.pauseAt(Date.now() + 60_000);
      await page.goto(`${test.url}/`);
      await page.locator(`#builds a[data-build-id="${build.id}"]`).waitFor({ timeout: 10_000 });
      expect(await page.locator('#empty').isHidden()).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('unknown build shows the server message', async () => {
    const { context, page } = await openPage();
    try {
      await page.goto(`${test.url}/#build=0000000000000000`);
      await page.locator('#state', { hasText: 'No build "0000000000000000"' }).waitFor();
      expect(await page.locator('#log').textContent()).toBe('');
    } finally {
      await context.close();
    }
  });

  it('wrong credentials do not open the page', async () => {
    const context = await browser.newContext({
      httpCredentials: { username: 'gantry', password: 'wrong' },
    });
    try {
      const page = await context.newPage();
      const response = await page.goto(`${test.url}/`);
      expect(response?.status()).toBe(401);
      expect(await page.locator('#builds').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
