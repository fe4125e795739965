// Shard moves seen by every process, as an operator makes them: two real origin processes serve
// a community while a logical shard moves by the CLI (`npm run shards -- move-shard`, a third
// process) and a member moves by one process's admin endpoint. Reads, log-ins and posts go to both
// processes throughout and none fails; when a move returns (its source rows deleted after the
// grace period), both processes already route by the new map and serve the moved members.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOfId } from '../../shared/ids.js';
import { type Harness, signupMember, startHarness } from '../support/origin-harness.js';
import { childEnv, type OriginProcess, spawnGroup, startOriginProcess } from '../support/origin-process.js';
import { testDatabaseUrls, testRedisUrl } from '../support/services.js';
import { signedClient } from '../support/signed-client.js';

const SECRET = 'moves-processes-secret-0123456789';
const ADMIN_TOKEN = 'moves-processes-admin-0123456789';
const databases = testDatabaseUrls({ name: 'moves2', shards: 3 });
const redisUrl = testRedisUrl();

interface ShardReport {
  shard: string;
  logicalShards: number;
  membersMovedIn: number;
}

describe.skipIf(!databases || !redisUrl)('shard moves with two origin processes', () => {
  let h: Harness;
  let env: Record<string, string>;
  const origins: OriginProcess[] = [];
  const members: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ databases, processors: false, relay: false, tenantId: 'movers' });
    for (let i = 0; i < 4; i++) members.push(await signupMember(h, `mover_${randomBytes(3).toString('hex')}_${i}`));
    env = {
      ORIGIN_SECRET: SECRET,
      ADMIN_TOKEN,
      DATABASE_URL: databases!.directory,
      DATABASE_URLS: databases!.shards.join(','),
      REDIS_URL: redisUrl!,
      REDIS_KEY_PREFIX: `moves-${randomBytes(4).toString('hex')}`,
      DATABASE_POOL_SIZE: '2',
      LOG_LEVEL: 'warn',
      // The busy loop logs the same account in many times a second.
      RATE_LIMIT_LOGIN_ACCOUNT: 'off',
    };
    origins.push(...(await Promise.all([startOriginProcess(env), startOriginProcess(env)])));
  }, 120_000);

  afterAll(async () => {
    for (const o of origins) o.killGroup();
    await h?.close();
  });

  const call = (o: OriginProcess) => signedClient(o.url, SECRET, h.tenantId);
  const username = async (o: OriginProcess, id: string) =>
    ((await (await call(o)('GET', `/v1/members/${id}`)).json()) as { member: { username: string } }).member.username;

  async function report(o: OriginProcess): Promise<ShardReport[]> {
    const res = await fetch(`${o.url}/admin/report`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    return ((await res.json()) as { shards: ShardReport[] }).shards;
  }

  /** Reads, log-ins and posts of `member` against both processes until stopped; every failure is kept. */
  function keepBusy(member: string, name: string) {
    const failures: string[] = [];
    const posted: string[] = [];
    let running = true;
    const loop = (async () => {
      for (let i = 0; running; i++) {
        const o = origins[i % 2]!;
        const c = call(o);
        const checks: [string, Promise<Response>, number][] = [
          ['read', c('GET', `/v1/members/${member}`), 200],
          ['log-in', c('POST', '/v1/sessions', { body: { username: name, password: 'correct horse' } }), 200],
        ];
        if (i % 2 === 0) {
          const text = `during the move ${i}`;
          checks.push(['post', c('POST', '/v1/posts', { member, body: { text } }), 201]);
          posted.push(text);
        }
        for (const [what, res, want] of checks) {
          const r = await res;
          if (r.status !== want) failures.push(`${what} on ${o.url}: ${r.status} ${await r.text()}`);
        }
      }
    })();
    return {
      failures,
      posted,
      async stop() {
        running = false;
        await loop;
      },
    };
  }

  it('a logical shard moved by the CLI: both processes follow at once, nothing fails meanwhile', async () => {
    const member = members[0]!;
    const name = await username(origins[0]!, member);
    const logical = shardOfId(member);
    const from = h.runtime.ctx.cluster.router.forLogical(logical).name;
    const to = h.runtime.ctx.cluster.router.physical.find((d) => d.name !== from)!.name;
    const before = (await report(origins[0]!)).find((s) => s.shard === to)!.logicalShards;

    const busy = keepBusy(member, name);
    const cli = spawnGroup(
      process.execPath,
      ['--import', 'tsx', 'origin/store/shards-cli.ts', 'move-shard', String(logical), to],
      childEnv(env),
    );
    const exit = await cli.exited;
    expect(exit.code, cli.output()).toBe(0);
    // The source rows are gone now: each process must already route by the new map.
    for (const o of origins) {
      expect((await report(o)).find((s) => s.shard === to)!.logicalShards).toBe(before + 1);
      expect((await call(o)('GET', `/v1/members/${member}`)).status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 300)); // a few more rounds on the new map
    await busy.stop();
    expect(busy.failures).toEqual([]);
    expect(busy.posted.length).toBeGreaterThan(0);
    const stream = await call(origins[1]!)('GET', `/v1/members/${member}/stream?limit=100`, { member });
    const texts = ((await stream.json()) as { entries: { text: string }[] }).entries.map((e) => e.text);
    expect(texts.sort()).toEqual([...busy.posted].sort());
  }, 120_000);

  it("a member moved by one process's endpoint: the other follows at once, nothing fails meanwhile", async () => {
    const member = members[1]!;
    const name = await username(origins[0]!, member);
    const from = h.runtime.ctx.cluster.router.forMember(member).name;
    await h.runtime.ctx.cluster.router.load();
    const to = h.runtime.ctx.cluster.router.physical.find((d) => d.name !== from)!.name;
    const busy = keepBusy(member, name);
    const moved = await fetch(`${origins[1]!.url}/admin/members/${member}/move`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: h.tenantId, to }),
    });
    expect(moved.status, await moved.clone().text()).toBe(200);
    for (const o of origins) {
      expect((await report(o)).find((s) => s.shard === to)!.membersMovedIn).toBeGreaterThanOrEqual(1);
      const login = await call(o)('POST', '/v1/sessions', { body: { username: name, password: 'correct horse' } });
      expect(login.status).toBe(200);
    }
    await busy.stop();
    expect(busy.failures).toEqual([]);
  }, 120_000);
});
