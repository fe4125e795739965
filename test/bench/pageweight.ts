/// <reference lib="dom" />
// `npm run bench -- pageweight`: what a page costs a phone.
//  - Bytes on the wire, gzip-compressed (images excluded: the pages have none), of the front page
//    and the logged-in home page, for a mid-range Android phone (rich tier) and a feature phone
//    (basic tier). When the server does not compress (as wrangler dev does for gzip requests), the body is
//    gzipped here at level 6, as the CDN would.
//  - First contentful paint of the logged-in home page in headless Chromium (Debian's), under
//    emulated slow 4G (150 ms RTT, 1.6 Mbps down, 750 kbps up) and 4x CPU slowdown; the median
//    of BENCH_FCP_RUNS (5) cold loads.
// Targets: rich home ≤ 30 KB, basic home ≤ 8 KB, FCP ≤ 1,500 ms.
import { type IncomingHttpHeaders, request } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { launchChromium } from '../browser/chromium.js';
import { envNumber } from './support.js';
import { BASIC_UA, loggedIn, RICH_UA, startEdgeBench, XHTML_ACCEPT } from './support-edge.js';

const FCP_RUNS = envNumber('BENCH_FCP_RUNS', 5);

/** A GET whose body is kept as bytes, exactly as sent (no decoding). */
function rawGet(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout GET ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

const bench = await startEdgeBench();
try {
  const wire = async (userAgent: string, accept: string, path: string, cookie?: string) => {
    const headers: Record<string, string> = {
      host: bench.host,
      'user-agent': userAgent,
      accept,
      'accept-encoding': 'gzip',
      ...(cookie ? { cookie } : {}),
    };
    const res = await rawGet(bench.edge.port, path, headers);
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    const encoding = String(res.headers['content-encoding'] ?? '');
    // Compressed by the server: count what it sent. Not compressed: gzip it here (level 6).
    const body = encoding === 'gzip' ? gunzipSync(res.body) : res.body;
    const gz = encoding === 'gzip' ? res.body.length : gzipSync(res.body, { level: 6 }).length;
    console.log(`  ${path} ${userAgent.slice(0, 24)}…: ${body.length} B html, ${gz} B gzip on the wire`);
    return gz;
  };
  const cookieOf = async (userAgent: string) => {
    const visitor = await loggedIn(bench, userAgent);
    return (visitor as unknown as { cookies: Map<string, string> }).cookies;
  };
  const jar = (cookies: Map<string, string>) => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');

  const richFrontBytes = await wire(RICH_UA, 'text/html', '/');
  const basicFrontBytes = await wire(BASIC_UA, XHTML_ACCEPT, '/');
  const richCookies = await cookieOf(RICH_UA);
  const richHomeBytes = await wire(RICH_UA, 'text/html', '/home', jar(richCookies));
  const basicHomeBytes = await wire(BASIC_UA, XHTML_ACCEPT, '/home', jar(await cookieOf(BASIC_UA)));

  const browser = await launchChromium();
  const fcps: number[] = [];
  try {
    const base = `http://${bench.host}:${bench.edge.port}`;
    for (let run = 0; run < FCP_RUNS; run++) {
      const context = await browser.newContext({
        userAgent: RICH_UA,
        viewport: { width: 360, height: 780 },
        deviceScaleFactor: 2.625,
        isMobile: true,
        hasTouch: true,
      });
      const page = await context.newPage();
      // The member's session cookie from a log-in done over HTTP (same user agent, so the same
      // device binding); then a cold, throttled load of the home page.
      await context.addCookies(
        [...richCookies].map(([name, value]) => ({ name, value, domain: bench.host, path: '/' })),
      );
      await page.goto('about:blank');
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 150,
        downloadThroughput: (1.6 * 1024 * 1024) / 8,
        uploadThroughput: (750 * 1024) / 8,
      });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await page.goto(`${base}/home`, { waitUntil: 'load' });
      if (!page.url().endsWith('/home')) throw new Error(`not logged in: landed on ${page.url()}`);
      // Evaluated as source text: this file is type-checked without the DOM library.
      const fcp = (await page.evaluate(`new Promise((resolve) => {
        new PerformanceObserver((list) => {
          const entry = list.getEntriesByName('first-contentful-paint')[0];
          if (entry) resolve(entry.startTime);
        }).observe({ type: 'paint', buffered: true });
        setTimeout(() => resolve(Number.NaN), 10000);
      })`)) as number;
      if (!Number.isFinite(fcp)) throw new Error('no first-contentful-paint entry');
      console.log(`  FCP run ${run + 1}: ${fcp.toFixed(0)} ms`);
      fcps.push(fcp);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  fcps.sort((a, b) => a - b);
  const fcpMs = Math.round(fcps[Math.floor(fcps.length / 2)]!);
  console.log(`targets: rich home ${richHomeBytes} ≤ 30720, basic home ${basicHomeBytes} ≤ 8192, FCP ${fcpMs} ≤ 1500`);
  console.log(JSON.stringify({ richHomeBytes, basicHomeBytes, richFrontBytes, basicFrontBytes, fcpMs }));
} finally {
  await bench.stop();
}
process.exit(0);
