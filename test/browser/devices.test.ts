/// <reference lib="dom" />
// Real browsers: Debian's Chromium (playwright-core) emulating phones, a tablet, a desktop and a
// feature phone's 240 px screen, against `wrangler dev` running the edge in front of a live
// origin. On every device: no horizontal overflow, no console errors, touch targets of 44 px on
// touch screens (rich tier), and a member signs up, posts a status update, sees it at home, logs
// out and logs back in. Screenshots go to test/output/screenshots/ (gitignored).
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeProcess, startEdge } from '../support/edge-process.js';
import { type Harness, serveHarness, startHarness, TEST_SECRET } from '../support/origin-harness.js';
import { DEVICES, type EmulatedDevice, launchChromium } from './chromium.js';

const SCREENSHOTS = new URL('../output/screenshots/', import.meta.url).pathname;

let h: Harness;
let origin: { url: string; close(): Promise<void> };
let edge: EdgeProcess;
let browser: Browser;

beforeAll(async () => {
  // First, so a machine without Chromium fails at once with the advice to install it.
  browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
  h = await startHarness();
  origin = await serveHarness(h);
  edge = await startEdge({
    ORIGIN_URL: origin.url,
    ORIGIN_SECRET: TEST_SECRET,
    SESSION_SECRET: 'browser-session-secret-0123456789abcdef',
  });
});

afterAll(async () => {
  await browser?.close();
  await edge?.stop();
  await origin?.close();
  await h?.close();
});

const base = () => `http://${h.tenantId}.test:${edge.port}`;

interface Watched {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

async function open(device: EmulatedDevice): Promise<Watched> {
  const context = await browser.newContext({
    userAgent: device.userAgent,
    viewport: { width: device.width, height: device.height },
    deviceScaleFactor: device.deviceScaleFactor,
    isMobile: device.isMobile,
    hasTouch: device.hasTouch,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 500) problems.push(`${res.status()} ${res.url()}`);
  });
  return { context, page, problems };
}

/** Loads (or has loaded) a page and checks what every page must satisfy on this device. */
async function check(w: Watched, device: EmulatedDevice, shot: string): Promise<void> {
  const { page } = w;
  // Evaluated as source text: this file is type-checked without the DOM library.
  const layout = (await page.evaluate(
    '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, tier: document.body.className })',
  )) as { scrollWidth: number; innerWidth: number; tier: string };
  expect(layout.tier, `${device.name} ${shot}`).toBe(`tier-${device.tier}`);
  expect(layout.scrollWidth, `${device.name} ${shot}: horizontal overflow`).toBeLessThanOrEqual(layout.innerWidth);
  if (device.tier === 'rich' && device.hasTouch) {
    const small = (await page.evaluate(`
      [...document.querySelectorAll('button, nav a, a.button, a.older, input:not([type=hidden]), select, textarea')]
        .map((el) => ({ el: el.tagName.toLowerCase() + ' ' + (el.textContent || '').trim(), h: el.getBoundingClientRect().height }))
        .filter((t) => t.h > 0 && t.h < 44)
    `)) as { el: string; h: number }[];
    expect(small, `${device.name} ${shot}: touch targets under 44 px`).toEqual([]);
  }
  await page.screenshot({ path: `${SCREENSHOTS}${device.name}-${shot}.png`, fullPage: true });
}

async function submit(page: Page, action: string): Promise<void> {
  const form = page.locator(`form[action="${action}"]`).first();
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    form.locator('button[type=submit], input[type=submit]').first().click(),
  ]);
}

describe.each(DEVICES.map((d) => [d.name, d] as const))('%s', (_name, device) => {
  it('renders without overflow or errors; sign up, post, see it at home, log out and in again', async () => {
    const w = await open(device);
    const { page } = w;
    try {
      const front = await page.goto(`${base()}/`);
      expect(front?.status()).toBe(200);
      await check(w, device, 'front');

      const username = `u_${device.name.replace(/[^a-z0-9]/g, '').slice(0, 20)}`;
      await page.goto(`${base()}/signup`);
      await check(w, device, 'signup');
      await page.fill('input[name=username]', username);
      await page.fill('input[name=displayName]', `Tester on a ${device.name}`);
      await page.fill('input[name=password]', 'correct horse battery');
      await submit(page, '/signup');
      expect(new URL(page.url()).pathname, (await page.textContent('body'))?.slice(0, 300)).toBe('/home');
      await check(w, device, 'home-empty');

      const text = `Hello from a ${device.name}: a status update long enough to wrap on a small screen, with a longwordthatmustwrapsomewhereonnarrowscreens.`;
      await page.fill('textarea[name=text]', text);
      await page.selectOption('select[name=audience]', 'public');
      await submit(page, '/posts');
      await h.settle();
      await page.goto(`${base()}/home`);
      await expect
        .poll(async () => (await page.content()).includes('longwordthatmustwrap'), { timeout: 10_000 })
        .toBe(true);
      expect(await page.textContent('body')).toContain(text);
      await check(w, device, 'home');

      await page.goto(`${base()}/friends`);
      await check(w, device, 'friends');
      await page.goto(`${base()}/u/${username}`);
      await check(w, device, 'profile');

      await submit(page, '/logout');
      expect(new URL(page.url()).pathname).toBe('/');
      await page.goto(`${base()}/login`);
      await check(w, device, 'login');
      await page.fill('input[name=username]', username);
      await page.fill('input[name=password]', 'correct horse battery');
      await submit(page, '/login');
      expect(new URL(page.url()).pathname).toBe('/home');
      expect(await page.textContent('body')).toContain(text);

      await page.goto(`${base()}/no-such-page`);
      await check(w, device, 'not-found');
      // The 404 itself is the point of that page; anything else is a problem.
      expect(w.problems.filter((p) => !/404/.test(p))).toEqual([]);
    } finally {
      await w.context.close();
    }
  });
});
