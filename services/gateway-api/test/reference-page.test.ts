import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '@overcast/db';
import { describeWithPostgres, type TestDatabase } from '@overcast/test-kit';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createToken, openMigratedDatabase, startGateway, type RunningGateway } from './support/gateway-harness';

/** Debian's chromium (`.ci/run` installs it); the flags keep it off the network this machine does not have. */
const chromiumPath = '/usr/bin/chromium';
const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Screenshots for a human to look at (CI keeps the folder); the assertions below are what the test checks. */
const screenshots = path.join(__dirname, '..', 'test-results', 'docs');

describeWithPostgres('the /docs reference page in headless Chromium', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let gateway: RunningGateway;
  let browser: Browser;
  let token: string;
  /** One wide page for the first three tests (each load parses Scalar's 5 MB bundle), in the order written. */
  let desktop: Page;
  const requestsElsewhere: string[] = [];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    ({ testDatabase, database } = await openMigratedDatabase());
    gateway = await startGateway({ database });
    token = await createToken(database, 'developer', 'default', 'token seen through try-it');
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
    desktop = await openDocs(1280, 900);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await database?.close();
    await testDatabase?.drop();
  });

  /** A page on /docs that may load nothing but the gateway: anything else is aborted and recorded. */
  async function openDocs(width: number, height: number, fragment = ''): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.route('**/*', async (route) => {
      if (route.request().url().startsWith(gateway.url)) return route.continue();
      requestsElsewhere.push(route.request().url());
      return route.abort();
    });
    await page.goto(`${gateway.url}/docs${fragment}`);
    await page.getByRole('heading', { name: 'Overcast API', exact: true }).waitFor();
    return page;
  }

  it('renders from the gateway alone, with the served URL as server and the admin and legacy groups', async () => {
    const page = desktop;
    await page.screenshot({ path: path.join(screenshots, 'docs-1280.png') });
    await expect(page.getByText(gateway.url, { exact: true }).first().isVisible()).resolves.toBe(true);
    for (const group of ['API', 'Operations', 'Admin and legacy']) {
      await expect(page.getByText(group, { exact: true }).first().isVisible()).resolves.toBe(true);
    }
    expect(requestsElsewhere).toEqual([]);
  });

  it('finds an operation by searching', async () => {
    const page = desktop;
    await page
      .getByRole('button', { name: /search/i })
      .first()
      .click();
    await page.keyboard.type('kaboom');
    const result = page.getByText('Simulate a handler crash (admin)');
    await result.waitFor();
    await page.screenshot({ path: path.join(screenshots, 'docs-search.png') });
    await result.click();
    // Strings, not functions: they run in the page, and this package's TypeScript knows no DOM.
    await page.waitForFunction("location.hash.toLowerCase().includes('kaboom')", undefined, { timeout: 15_000 });
  }, 60_000);

  it('shows curl, SDK and CLI samples and sends a request through try-it with the token typed in', async () => {
    const page = await openDocs(1280, 900, '#tag/auth/GET/tokens');
    await page.getByText(`curl ${gateway.url}/tokens`).first().waitFor();
    await page.getByRole('button', { name: 'Test Request (get /tokens)' }).click();
    const tokenField = page.locator('input[id^="scalar-client"][placeholder="Token"]').first();
    await tokenField.fill(token);
    const answered = page.waitForResponse((response) => response.url() === `${gateway.url}/tokens`);
    await page.getByRole('button', { name: /^send/i }).first().click();
    expect((await answered).status()).toBe(200);
    await page.getByText('token seen through try-it').first().waitFor();
    await page.screenshot({ path: path.join(screenshots, 'docs-try-it.png') });
    expect(requestsElsewhere).toEqual([]);
    await page.close();
  }, 60_000);

  it('lays out on a 400 px wide screen: nothing wider than the screen, navigation one tap away', async () => {
    const page = await openDocs(400, 800);
    const widest = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(widest).toBeLessThanOrEqual(400);
    await page.screenshot({ path: path.join(screenshots, 'docs-400.png') });
    await page.getByRole('button', { name: /menu/i }).filter({ visible: true }).first().click();
    await page.getByText('Admin and legacy', { exact: true }).filter({ visible: true }).first().waitFor();
    await page.screenshot({ path: path.join(screenshots, 'docs-400-menu.png') });
    await page.close();
  }, 60_000);
});
