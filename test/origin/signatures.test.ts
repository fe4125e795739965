import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../shared/signing.js';
import { type Harness, signupMember, startHarness, TEST_SECRET } from '../support/origin-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function signed(
  method: string,
  path: string,
  body = '',
  overrides: { secret?: string; timestamp?: number; member?: string } = {},
) {
  return signedHeaders(overrides.secret ?? TEST_SECRET, {
    method,
    pathWithQuery: path,
    body,
    tenant: h.tenantId,
    member: overrides.member ?? '',
    requestId: randomUUID(),
    timestamp: overrides.timestamp,
  });
}

describe('origin request signatures', () => {
  it('rejects unsigned requests', async () => {
    const res = await h.app.request('/v1/streams/public');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status: 401, detail: 'request signature missing' });
  });

  it('rejects a wrong secret, a stale timestamp and a replay', async () => {
    const wrong = await h.app.request('/v1/streams/public', {
      headers: await signed('GET', '/v1/streams/public', '', { secret: 'not-the-secret-at-all' }),
    });
    expect(wrong.status).toBe(401);
    const stale = await h.app.request('/v1/streams/public', {
      headers: await signed('GET', '/v1/streams/public', '', { timestamp: Date.now() - 60_000 }),
    });
    expect(stale.status).toBe(401);
    const headers = await signed('GET', '/v1/streams/public');
    expect((await h.app.request('/v1/streams/public', { headers })).status).toBe(200);
    const replay = await h.app.request('/v1/streams/public', { headers });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ detail: 'request signature replayed' });
  });

  it('a signature does not cover a different body, path or member', async () => {
    const member = await signupMember(h, 'signer');
    const body = JSON.stringify({ text: 'signed text' });
    const headers = await signed('POST', '/v1/posts', body, { member });
    const tampered = await h.app.request('/v1/posts', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'tampered text' }),
    });
    expect(tampered.status).toBe(401);
    const otherMember = await h.app.request('/v1/posts', {
      method: 'POST',
      headers: { ...headers, 'x-chorus-member': '1234567890123', 'content-type': 'application/json' },
      body,
    });
    expect(otherMember.status).toBe(401);
    await h.settle();
    const own = await h.call('GET', `/v1/members/${member}/stream`, { member });
    expect(((await own.json()) as { entries: unknown[] }).entries).toEqual([]);
  });
});

describe('operational endpoints', () => {
  it('/healthz, /readyz answer, /metrics is Prometheus text', async () => {
    expect((await h.app.request('/healthz')).status).toBe(200);
    const ready = await h.app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' }); // the checks: test/origin/readiness.test.ts
    const metrics = await (await h.app.request('/metrics')).text();
    expect(metrics).toMatch(/chorus_http_requests_total\{/);
    expect(metrics).toMatch(/chorus_signature_rejections_total\{reason="missing"\} [1-9]/);
  });

  it('/metrics tells how long fan-out took and how many jobs wait (what an operator watches under load)', async () => {
    const member = await signupMember(h, 'metrics_poster');
    const res = await h.call('POST', '/v1/posts', { member, body: { text: 'counted' } });
    expect(res.status).toBe(201);
    await h.settle();
    const metrics = await (await h.app.request('/metrics')).text();
    expect(Number(/^chorus_fanout_lag_seconds_count (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(/^chorus_queue_jobs\{state="waiting"\} \d+$/m);
    expect(metrics).toMatch(/^chorus_queue_jobs\{state="failed"\} \d+$/m);
  });

  it('serves an OpenAPI document describing the API', async () => {
    const doc = (await (await h.app.request('/v1/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/v1/posts']?.post?.requestBody).toBeDefined();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/streams/home', '/v1/notifications']));
    // Every /v1 route the app serves is documented.
    const served = h.app.routes
      .filter((r) => r.path.startsWith('/v1/') && r.method !== 'ALL' && r.path !== '/v1/openapi.json')
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(served.length).toBeGreaterThan(25);
    expect(served.filter((r) => !documented.includes(r))).toEqual([]);
  });

  it('echoes the request id it was given', async () => {
    const headers = await signed('GET', '/v1/streams/public');
    const res = await h.app.request('/v1/streams/public', { headers });
    expect(res.headers.get('x-request-id')).toBe(headers['x-request-id']);
  });
});
