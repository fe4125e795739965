// The cross-shard read path: scatter-gather with per-shard timeouts and partial results, member
// search by name prefix across shards, and the operator report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../origin/store/shards/database.js';
import { scatterGather } from '../../origin/store/shards/scatter.js';
import { type Harness, signupMember, startHarness } from '../support/origin-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ adminToken: 'test-admin-token-0123456789' });
});
afterAll(() => h.close());

const fakeDb = (name: string) => ({ name }) as unknown as Database;

describe('scatter-gather', () => {
  it('merges, sorts and limits results from every database', async () => {
    const dbs = [fakeDb('a'), fakeDb('b'), fakeDb('c')];
    const data: Record<string, number[]> = { a: [5, 1], b: [4, 2], c: [3, 6] };
    const result = await scatterGather(dbs, async (db) => data[db.name]!, { compare: (x, y) => x - y, limit: 4 });
    expect(result).toEqual({ rows: [1, 2, 3, 4], partial: false, missing: [] });
  });

  it('answers within the per-shard timeout, marked partial, when a shard is slow or failing', async () => {
    const dbs = [fakeDb('fast'), fakeDb('slow'), fakeDb('broken')];
    const started = Date.now();
    const result = await scatterGather(
      dbs,
      async (db) => {
        if (db.name === 'slow') await new Promise((r) => setTimeout(r, 5000));
        if (db.name === 'broken') throw new Error('connection refused');
        return [db.name];
      },
      { timeoutMs: 100 },
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.rows).toEqual(['fast']);
    expect(result.partial).toBe(true);
    expect(result.missing.map((m) => m.shard).sort()).toEqual(['broken', 'slow']);
  });
});

describe('read replicas', () => {
  it('stale-tolerant scatter reads go to a shard replica where one is configured', async () => {
    const replica = fakeDb('a-replica');
    const primary = { name: 'a', replica } as unknown as Database;
    const asked: string[] = [];
    const query = async (db: Database) => {
      asked.push(db.name);
      return [db.name];
    };
    await scatterGather([primary, fakeDb('b')], query, { stale: true });
    await scatterGather([primary], query);
    expect(asked).toEqual(['a-replica', 'b', 'a']);
  });
});

describe('member search', () => {
  it('finds members on every shard by display-name or username prefix, sorted, limited', async () => {
    const names = ['Zed Alpha', 'Zelda Beta', 'Zeno Gamma', 'Ann Other'];
    for (const [i, name] of names.entries()) await signupMember(h, `search_${i}`, name);
    const res = await h.call('GET', '/v1/members?prefix=ze');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { members: { displayName: string }[]; partial: boolean };
    expect(body.partial).toBe(false);
    expect(body.members.map((m) => m.displayName)).toEqual(['Zed Alpha', 'Zelda Beta', 'Zeno Gamma']);
    const limited = (await (await h.call('GET', '/v1/members?prefix=ze&limit=2')).json()) as { members: unknown[] };
    expect(limited.members).toHaveLength(2);
    const byUsername = (await (await h.call('GET', '/v1/members?prefix=search_3')).json()) as {
      members: { displayName: string }[];
    };
    expect(byUsername.members.map((m) => m.displayName)).toEqual(['Ann Other']);
  });

  it('treats LIKE wildcards literally and rejects an empty prefix', async () => {
    const res = await h.call('GET', '/v1/members?prefix=%25');
    expect(((await res.json()) as { members: unknown[] }).members).toEqual([]);
    expect((await h.call('GET', '/v1/members?prefix=')).status).toBe(400);
  });
});

describe('operator endpoints', () => {
  it('need the admin token', async () => {
    expect((await h.app.request('/admin/report')).status).toBe(401);
    const wrong = await h.app.request('/admin/report', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('report per shard and in total', async () => {
    await signupMember(h, 'report_me');
    const res = await h.app.request('/admin/report', {
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      shards: { shard: string; members: number; logicalShards: number }[];
      totals: { members: number };
      partial: boolean;
    };
    expect(body.partial).toBe(false);
    expect(body.shards.length).toBe(h.runtime.ctx.cluster.router.physical.length);
    expect(body.shards.reduce((n, s) => n + s.logicalShards, 0)).toBe(1024);
    expect(body.totals.members).toBeGreaterThanOrEqual(5);
  });

  it('flip a feature switch at run time, and the origin obeys it', async () => {
    const auth = { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'application/json' };
    const off = await h.app.request(`/admin/tenants/${h.tenantId}/switches/posting`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ on: false }),
    });
    expect(off.status).toBe(200);
    const member = await signupMember(h, 'switch_me');
    const refused = await h.call('POST', '/v1/posts', { member, body: { text: 'while off' } });
    expect(refused.status).toBe(403);
    await h.app.request(`/admin/tenants/${h.tenantId}/switches/posting`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ on: true }),
    });
    expect((await h.call('POST', '/v1/posts', { member, body: { text: 'back on' } })).status).toBe(201);
    const unknown = await h.app.request(`/admin/tenants/${h.tenantId}/switches/teleport`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ on: false }),
    });
    expect(unknown.status).toBe(404);
  });

  it('reject moving a logical shard that does not exist', async () => {
    const res = await h.app.request('/admin/shards/5000/move', {
      method: 'POST',
      headers: { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'shard-0' }),
    });
    expect(res.status).toBe(400);
  });
});
