// Access logs: one JSON line per request, except cache hits, which are counted into a summary
// line (at most one every HIT_SUMMARY_MS) unless ACCESS_LOG_HIT_SAMPLE asks for some one by one.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushHitSummary, HIT_SUMMARY_MS } from '../../edge/access-log/access-log.js';
import worker from '../../edge/worker.js';
import { Browser, cacheStatus, UA } from './browser.js';
import { FakeOrigin } from './fake-origin.js';

let origin: FakeOrigin;
let lines: Record<string, unknown>[];
beforeEach(() => {
  origin = new FakeOrigin().install();
  origin.addPost(origin.addMember('alice', 'Alice'), 'hello from alice');
  flushHitSummary(Date.now(), true);
  lines = [];
  vi.spyOn(console, 'log').mockImplementation((text: unknown) => {
    try {
      lines.push(JSON.parse(String(text)) as Record<string, unknown>);
    } catch {
      // not one of ours
    }
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function warmUp(browser: Browser, path: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    if (cacheStatus((await browser.get(path)).response) === 'HIT') return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${path} never came from the cache`);
}

const hitLines = () => lines.filter((l) => l.cache === 'HIT');
const summaries = () => lines.filter((l) => l.msg === 'cache hits');

describe('access log', () => {
  it('logs every request that is not a cache hit, with its request id', async () => {
    const browser = new Browser(origin.host, UA.smartphone);
    const miss = (await browser.get('/')).response;
    const notFound = (await browser.get('/no/such/page')).response;
    const logged = lines.filter((l) => typeof l.requestId === 'string');
    expect(logged.map((l) => [l.path, l.status, l.cache])).toEqual([
      ['/', 200, 'MISS'],
      ['/no/such/page', 404, 'BYPASS'],
    ]);
    expect(logged.map((l) => l.requestId)).toEqual([
      miss.headers.get('x-request-id'),
      notFound.headers.get('x-request-id'),
    ]);
    expect(logged[0]).toMatchObject({ method: 'GET', tier: 'rich', tenant: origin.tenant.id });
  });

  it('counts cache hits into one summary line instead of a line each', async () => {
    const phone = new Browser(origin.host, UA.smartphone);
    const feature = new Browser(origin.host, UA.feature);
    await warmUp(phone, '/');
    await warmUp(feature, '/');
    flushHitSummary(Date.now(), true);
    lines = [];
    for (let i = 0; i < 20; i++) await phone.get('/');
    for (let i = 0; i < 5; i++) await feature.get('/');
    expect(hitLines()).toEqual([]);
    expect(summaries()).toEqual([]);

    // The next request after the interval writes the summary, itself counted in it.
    const realNow = Date.now;
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + HIT_SUMMARY_MS + 1000);
    await phone.get('/');
    expect(hitLines()).toEqual([]);
    expect(summaries()).toHaveLength(1);
    expect(summaries()[0]).toMatchObject({
      hits: 26,
      tenants: { [origin.tenant.id]: 26 },
      tiers: { rich: 21, basic: 5 },
    });
    expect(summaries()[0]!.ms).toMatchObject({ avg: expect.any(Number), max: expect.any(Number) });

    // Counting starts afresh.
    await phone.get('/');
    expect(summaries()).toHaveLength(1);
  });

  it('logs a share of hits one by one when ACCESS_LOG_HIT_SAMPLE says so', async () => {
    await warmUp(new Browser(origin.host, UA.smartphone), '/');
    lines = [];
    for (let i = 0; i < 3; i++) {
      const ctx = createExecutionContext();
      const request = new Request(`http://${origin.host}/`, { headers: { 'user-agent': UA.smartphone } });
      await worker.fetch(request, { ...env, ACCESS_LOG_HIT_SAMPLE: '1' } as Cloudflare.Env, ctx);
      await waitOnExecutionContext(ctx);
    }
    expect(hitLines()).toHaveLength(3);
  });
});
