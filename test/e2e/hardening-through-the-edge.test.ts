// Through the edge (wrangler dev) in front of an origin whose shard-3 database is gone:
//   - a member always sees their own post on the page the post form returns to, however far
//     behind fan-out is (the same post-and-redirect a phone does, many times in a row);
//   - the stopped shard is its members' problem only: they get the friendly 503 page as often as
//     they ask, and the edge's circuit breaker stays closed for everyone else, in this community
//     and in another one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTenant } from '../../origin/tenants/tenants.js';
import { type EdgeProcess, startEdge, Visitor } from '../support/edge-process.js';
import { type Harness, serveHarness, signupMember, startHarness, TEST_SECRET } from '../support/origin-harness.js';
import { testDatabaseUrls } from '../support/services.js';

const SMARTPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const PASSWORD = 'correct horse';
const databases = testDatabaseUrls({ name: 'edgedown', shards: 4 });

describe.skipIf(!databases)('hardening, through the edge', () => {
  let h: Harness;
  let origin: { url: string; close(): Promise<void> };
  let edge: EdgeProcess;
  const onShard = new Map<string, string>(); // shard -> username

  beforeAll(async () => {
    // Members on every shard while all answer, and a second community.
    const healthy = await startHarness({ databases, tenantId: 'edgedown', processors: false, relay: false });
    for (let i = 0; onShard.size < 4 && i < 200; i++) {
      const id = await signupMember(healthy, `down_${i}`);
      const shard = healthy.runtime.ctx.cluster.router.forMember(BigInt(id)).name;
      if (!onShard.has(shard)) onShard.set(shard, `down_${i}`);
    }
    await ensureTenant(healthy.runtime.ctx, {
      id: 'edgeother',
      slug: 'edgeother',
      name: 'Other',
      hosts: ['edgeother.test'],
    });
    await healthy.close();
    // The same databases, but shard-3 now points where nothing listens.
    const broken = {
      ...databases!,
      shards: databases!.shards.map((url, i) => (i === 3 ? 'postgres://postgres@127.0.0.1:1/gone' : url)),
    };
    h = await startHarness({ databases: broken, tenantId: 'edgedown' });
    origin = await serveHarness(h);
    edge = await startEdge({
      ORIGIN_URL: origin.url,
      ORIGIN_SECRET: TEST_SECRET,
      SESSION_SECRET: 'e2e-hardening-secret-0123456789abcdef',
    });
  }, 180_000);

  afterAll(async () => {
    await edge?.stop();
    await origin?.close();
    await h?.close();
  });

  async function logIn(username: string, host = 'edgedown.test') {
    const visitor = new Visitor(edge.port, host, SMARTPHONE);
    const res = await visitor.submit('/login', '/login', { username, password: PASSWORD });
    return { visitor, res };
  }

  it('the author sees each post on the page the post form returns to, every time', async () => {
    const { visitor, res } = await logIn(onShard.get('shard-0')!);
    expect(res.status).toBe(200);
    for (let i = 0; i < 15; i++) {
      const text = `Straight from the form, number ${i}`;
      const after = await visitor.submit('/home', '/posts', { text, audience: i % 2 ? 'friends' : 'public' });
      expect(after.status).toBe(200);
      expect(after.body, `post ${i} missing from the page after posting`).toContain(text);
    }
  });

  it("a stopped shard is its members' problem: friendly 503s for them, the breaker stays closed for others", async () => {
    for (let i = 0; i < 12; i++) {
      const { res } = await logIn(onShard.get('shard-3')!);
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/text\/html/);
    }
    // Everyone else goes on as before: members on other shards, visitors, another community.
    const { visitor, res } = await logIn(onShard.get('shard-1')!);
    expect(res.status).toBe(200);
    expect((await visitor.get('/home')).status).toBe(200);
    // The front page's public stream: what the shards that answer have (the posts above).
    const front = await new Visitor(edge.port, 'edgedown.test', SMARTPHONE).get('/');
    expect(front.status).toBe(200);
    expect(front.body).toContain('Straight from the form, number 0');
    expect((await new Visitor(edge.port, 'edgeother.test', SMARTPHONE).get('/signup')).status).toBe(200);
  });
});
