// /readyz tells a load balancer only whether to send traffic; which dependency failed, and why,
// goes to the log (once per change, then rate-limited) and to /admin/readyz behind ADMIN_TOKEN.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../origin/app.js';
import { NOT_READY_LOG_EVERY_MS, readinessLogger } from '../../origin/lifecycle/readiness.js';
import { type Harness, startHarness } from '../support/origin-harness.js';

const ADMIN_TOKEN = 'readiness-admin-token-0123456789';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
// An error text that names a host, as a driver's would.
const REDIS_DOWN = 'connect ECONNREFUSED 10.11.12.13:6379';

let h: Harness;
const logLines: string[] = [];

beforeAll(async () => {
  h = await startHarness({ processors: false, relay: false, adminToken: ADMIN_TOKEN, logLines });
});
afterAll(() => h?.close());

const notReadyLines = () => logLines.filter((l) => l.includes('"not ready"'));

describe('/readyz', () => {
  it('answers only ready when every dependency answers', async () => {
    const res = await h.app.request('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  it('answers only degraded (still serving) when Redis does not answer; the details go to the log once', async () => {
    const ping = vi.spyOn(h.runtime.ctx.timelines, 'ping').mockRejectedValue(new Error(REDIS_DOWN));
    try {
      for (let i = 0; i < 5; i++) {
        const res = await h.app.request('/readyz');
        expect(res.status).toBe(200);
        const text = await res.text();
        expect(JSON.parse(text)).toEqual({ status: 'degraded' });
        expect(text).not.toContain('10.11.12.13');
      }
      expect(notReadyLines()).toHaveLength(1);
      expect(notReadyLines()[0]).toContain(REDIS_DOWN);
    } finally {
      ping.mockRestore();
    }
    expect((await h.app.request('/readyz')).status).toBe(200);
    expect(logLines.filter((l) => l.includes('"ready again"'))).toHaveLength(1);
  });

  it('answers unavailable when the directory does not answer: no request could be served', async () => {
    const ping = vi.spyOn(h.runtime.ctx.cluster.directory, 'ping').mockRejectedValue(new Error('no answer'));
    try {
      const res = await h.app.request('/readyz');
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'unavailable' });
    } finally {
      ping.mockRestore();
    }
  });

  it('answers unavailable while the process drains, without probing', async () => {
    const ping = vi.spyOn(h.runtime.ctx.timelines, 'ping');
    h.runtime.ctx.lifecycle.draining = true;
    try {
      const res = await h.app.request('/readyz');
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'unavailable' });
      expect(ping).not.toHaveBeenCalled();
      const admin = await h.app.request('/admin/readyz', { headers: auth });
      expect(admin.status).toBe(503);
      expect(await admin.json()).toMatchObject({ status: 'unavailable', ready: false, draining: true });
    } finally {
      h.runtime.ctx.lifecycle.draining = false;
      ping.mockRestore();
    }
  });
});

describe('/admin/readyz', () => {
  it('names every check behind ADMIN_TOKEN', async () => {
    const res = await h.app.request('/admin/readyz', { headers: auth });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; draining: boolean; checks: Record<string, string> };
    expect(body).toMatchObject({ status: 'ready', draining: false });
    expect(Object.keys(body.checks)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^timelines/), expect.stringMatching(/^queue/)]),
    );
    expect(Object.keys(body.checks).length).toBeGreaterThanOrEqual(3);
    expect(Object.values(body.checks).every((v) => v === 'ok')).toBe(true);
  });

  it('shows the failing check and its error', async () => {
    const ping = vi.spyOn(h.runtime.ctx.queue, 'ping').mockRejectedValue(new Error(REDIS_DOWN));
    try {
      const res = await h.app.request('/admin/readyz', { headers: auth });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { status: string; checks: Record<string, string> };
      expect(body.status).toBe('degraded');
      expect(Object.entries(body.checks).find(([name]) => name.startsWith('queue'))?.[1]).toBe(`error: ${REDIS_DOWN}`);
    } finally {
      ping.mockRestore();
    }
  });

  it('is 401 without the token and 404 where no ADMIN_TOKEN is configured', async () => {
    expect((await h.app.request('/admin/readyz')).status).toBe(401);
    expect((await h.app.request('/admin/readyz', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ctx = h.runtime.ctx;
    const noAdmin = createApp({ ...ctx, config: { ...ctx.config, ADMIN_TOKEN: undefined } });
    expect((await noAdmin.request('/admin/readyz', { headers: auth })).status).toBe(404);
  });
});

describe('the not-ready log', () => {
  it('logs a change at once, the same failure again only after a while, and the recovery once', () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    let now = 1_000_000;
    const report = readinessLogger(log, () => now);
    const down = (...names: string[]) => ({
      ready: false,
      degraded: false,
      draining: false,
      checks: Object.fromEntries(['a', 'b'].map((n) => [n, names.includes(n) ? 'error: x' : 'ok'])),
    });
    const up = { ready: true, degraded: false, draining: false, checks: { a: 'ok', b: 'ok' } };
    report(down('a'));
    now += 1000;
    report(down('a'));
    expect(lines).toHaveLength(1);
    report(down('a', 'b')); // another dependency failed: at once
    expect(lines).toHaveLength(2);
    now += NOT_READY_LOG_EVERY_MS;
    report(down('a', 'b'));
    expect(lines).toHaveLength(3);
    report(up);
    report(up);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain('ready again');
    report({ ...down('a'), draining: true });
    expect(lines).toHaveLength(4);
  });
});
