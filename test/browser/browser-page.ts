// Shared by the headless-browser tests: launches Debian's Chromium (/usr/bin/chromium) with no
// network side traffic, opens an HTML string as a file:// page while recording every console error
// or warning, page error, failed or outgoing request, and reads what each chart figure drew.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** A persistent headless context whose profile lives in `work/profile`; close it in afterAll. */
export function launchBrowser(work: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 900 },
  });
}

export interface OpenedPage {
  page: Page;
  /** console errors and warnings, page errors, failed requests and any request other than the page itself */
  problems: string[];
}

/** Writes `html` to `work/name` and opens it, recording every problem from the first byte on. */
export async function openHtml(
  context: BrowserContext,
  work: string,
  name: string,
  html: string,
): Promise<OpenedPage> {
  const path = join(work, name);
  writeFileSync(path, html);
  const url = pathToFileURL(path).href;
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()}`));
  page.on('request', (r) => {
    if (r.url() !== url) problems.push(`request: ${r.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems };
}

/** Every chart figure: its name, the marks it promised and the marks its SVG drew, and its size. */
export async function chartFigures(page: Page) {
  return page.$$eval('figure[data-series-marks]', (figs) =>
    figs.map((f) => {
      const svg = f.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return {
        name: f.getAttribute('data-chart'),
        promised: Number(f.getAttribute('data-series-marks')),
        drawn: f.querySelectorAll('g.series_marks > path').length,
        width: box?.width ?? 0,
        height: box?.height ?? 0,
      };
    }),
  );
}
