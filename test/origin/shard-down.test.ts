// One shard's database down: members on the others keep working, the affected ones get a clear
// 503, /readyz says degraded and /admin/readyz names the shard. Needs real PostgreSQL (a separate group of databases).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signupMember, startHarness } from '../support/origin-harness.js';
import { testDatabaseUrls } from '../support/services.js';

const databases = testDatabaseUrls({ name: 'down', shards: 4 });
const ADMIN_TOKEN = 'down-admin-token-0123456789';

describe.skipIf(!databases)('a shard database goes down', () => {
  let healthy: Harness;
  let degraded: Harness;
  const onShard = new Map<string, string>();

  beforeAll(async () => {
    healthy = await startHarness({ databases, tenantId: 'down-tenant' });
    // Members until every physical shard holds at least one.
    for (let i = 0; onShard.size < 4 && i < 200; i++) {
      const id = await signupMember(healthy, `down_${i}`);
      const shard = healthy.runtime.ctx.cluster.router.forMember(BigInt(id)).name;
      if (!onShard.has(shard)) onShard.set(shard, id);
    }
    await healthy.close();
    // The same cluster, but shard-3 now points at a port where nothing listens.
    const broken = {
      ...databases!,
      shards: databases!.shards.map((url, i) => (i === 3 ? 'postgres://postgres@127.0.0.1:1/gone' : url)),
    };
    degraded = await startHarness({ databases: broken, tenantId: 'down-tenant', adminToken: ADMIN_TOKEN });
  });
  afterAll(() => degraded?.close());

  it('members on the other shards read and write as usual', async () => {
    const member = onShard.get('shard-0')!;
    expect((await degraded.call('GET', `/v1/members/${member}`)).status).toBe(200);
    expect((await degraded.call('POST', '/v1/posts', { member, body: { text: 'still here' } })).status).toBe(201);
    expect((await degraded.call('GET', '/v1/streams/home', { member })).status).toBe(200);
  });

  it('members on the missing shard get a clear 503', async () => {
    const member = onShard.get('shard-3')!;
    const res = await degraded.call('GET', `/v1/members/${member}`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await degraded.call('POST', '/v1/posts', { member, body: { text: 'lost?' } })).status).toBe(503);
  });

  it('new members still sign up, landing on a shard that answers', async () => {
    for (let i = 0; i < 6; i++) {
      const id = await signupMember(degraded, `fresh_${i}`);
      expect(degraded.runtime.ctx.cluster.router.forMember(BigInt(id)).name).not.toBe('shard-3');
    }
  });

  it('/readyz stays ready but degraded without details (the other shards are served); /admin/readyz names the shard', async () => {
    const res = await degraded.app.request('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'degraded' });
    const admin = await degraded.app.request('/admin/readyz', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(admin.status).toBe(200);
    const body = (await admin.json()) as { checks: Record<string, string> };
    expect(body.checks['shard-3']).toMatch(/^error/);
    expect(body.checks['shard-0']).toBe('ok');
  });
});
