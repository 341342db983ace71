import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/**
 * Headless Debian Chromium for the page tests (no browser download: /usr/bin/chromium from apt). The flags
 * keep it off the network, which this machine refuses anyway.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A new page that records what a careful user would call a problem: console errors, uncaught page errors and
 * Content-Security-Policy violations (pushed into `problems`).
 */
export async function watchedPage(
  browser: Browser,
  problems: string[],
  options: BrowserContextOptions = {},
): Promise<Page> {
  const page = await (await browser.newContext(options)).newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.exposeFunction('reportViolation', (text: string) => problems.push(`csp: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as Window & { reportViolation?: (text: string) => void }).reportViolation;
      report?.(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return page;
}
