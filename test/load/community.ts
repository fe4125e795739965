// The community the load test runs against, generated into databases of its own
// (`chorus_load_*`, recreated every run) on the local PostgreSQL and a Redis database of its own:
// members whose friend counts follow a power law around a mean of ~150 (a Chung–Lu random graph:
// each member gets a weight from a Pareto distribution and friendships are drawn between members
// in proportion to their weights), a few celebrities above the tenant's push limit, a history of
// posts of the everyday types, fanned out by the origin's own workers before the load starts.
// Members are inserted in bulk (sign-up would cost one scrypt hash each); all share one password.
import { randomBytes } from 'node:crypto';
import { createRuntime, type Runtime } from '../../origin/adapters.js';
import { ConfigSchema } from '../../origin/config.js';
import { createEvent } from '../../origin/items/events.js';
import { startProcessors } from '../../origin/jobs/processors.js';
import { hashPassword } from '../../origin/members/password.js';
import { openRedis } from '../../origin/store/redis.js';
import { ensureTenant } from '../../origin/tenants/tenants.js';
import type { EventInput, Tenant } from '../../shared/api.js';
import {
  type BenchDatabases,
  type BenchMember,
  benchDatabaseUrls,
  insertMembers,
  recreateDatabases,
} from '../bench/support.js';
import { forEachLimit, insertFriendships, seeded } from '../bench/support-streams.js';

export const LOAD_PASSWORD = 'load test password';
export const LOAD_TENANT = 'loadtest';
export const LOAD_HOST = 'load.test';
/** Redis database of the load test's own: away from the test suites' (0) and the benchmarks' (9). */
export const LOAD_REDIS_URL = process.env.LOAD_REDIS_URL ?? 'redis://127.0.0.1:6379/8';

export interface CommunityOptions {
  members: number;
  meanFriends: number;
  celebrities: number;
  celebrityLimit: number;
  /** Posts per member written before the load starts (through the write path, fanned out). */
  historyPerMember: number;
  seed: number;
}

export interface LoadMember extends BenchMember {
  friends: number;
}

export interface Community {
  urls: BenchDatabases;
  /** Origin settings every origin process of the run shares (databases, Redis, secret). */
  settings: Record<string, string>;
  tenant: Tenant;
  members: LoadMember[];
  /** Friends of each member (ids as strings), to pick whose home page should show a post. */
  friendsOf: Map<string, string[]>;
  /** Public items of the history, for likes and comments. */
  publicItems: string[];
  tags: string[];
  places: string[];
}

export const TAGS = ['gardening', 'market', 'football', 'music', 'recipes', 'cycling', 'books', 'photography'];
export const PLACES = ['Central Library', 'Harbour Market', 'North Park', 'Old Town Square', 'Riverside Cafe'];

/** Power-law weights with the given mean (Pareto, exponent 2.5), the celebrities' set above `limit`. */
function degreeWeights(opts: CommunityOptions, random: () => number): number[] {
  const alpha = 1.5; // tail exponent of the Pareto draw: P(degree > x) ~ x^-1.5
  const xm = (opts.meanFriends * (alpha - 1)) / alpha;
  const cap = Math.min(opts.members - 1, opts.celebrityLimit * 0.8); // only the chosen few cross the limit
  const weights = Array.from({ length: opts.members }, () => Math.min(cap, xm / (1 - random()) ** (1 / alpha)));
  for (let i = 0; i < opts.celebrities; i++) weights[i] = Math.min(opts.members - 1, opts.celebrityLimit * 1.4);
  // Rescale so the mean degree comes out at meanFriends.
  const total = weights.reduce((a, b) => a + b, 0);
  const scale = (opts.meanFriends * opts.members) / total;
  return weights.map((w, i) => (i < opts.celebrities ? w : Math.min(cap, w * scale)));
}

/** Friend pairs of a Chung–Lu graph over `weights` (no self-loops, no duplicates). */
export function friendPairs(weights: number[], random: () => number): [number, number][] {
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) {
    sum += w;
    cumulative.push(sum);
  }
  const pick = () => {
    const x = random() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const target = Math.round(sum / 2);
  const seen = new Set<number>();
  const pairs: [number, number][] = [];
  for (let tries = 0; pairs.length < target && tries < target * 20; tries++) {
    const a = pick();
    const b = pick();
    if (a === b) continue;
    const key = a < b ? a * weights.length + b : b * weights.length + a;
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push([a, b]);
  }
  return pairs;
}

/** An everyday event for the history: statuses (some public, tagged), check-ins, links, photos. */
export function historyEvent(i: number, random: () => number): EventInput {
  const roll = random();
  const tag = TAGS[i % TAGS.length];
  if (roll < 0.55)
    return {
      type: 'status',
      text: `Status ${i}: the evening light over the harbour was lovely today #${tag}`,
      audience: roll < 0.25 ? 'public' : 'friends',
    };
  if (roll < 0.7) return { type: 'checkin', place: PLACES[i % PLACES.length]!, text: '', audience: 'public' };
  if (roll < 0.85)
    return { type: 'link', url: `https://example.org/articles/${i}`, text: 'Worth a read', audience: 'friends' };
  return {
    type: 'photo',
    images: [{ url: `https://img.example.org/p/${i}.jpg`, width: 640, format: 'jpeg' }],
    text: `Photo ${i} #${tag}`,
    audience: 'public',
  };
}

/** Waits until every outbox record of the run is done (its fan-out landed). */
export async function waitForFanout(runtime: Runtime, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let pending = 0;
    for (const db of runtime.ctx.cluster.router.physical) {
      const [row] = await db.rows<{ n: number }>('select count(*)::int as n from outbox where done_at is null');
      pending += row!.n;
    }
    if (pending === 0) return;
    if (Date.now() > deadline) throw new Error(`fan-out of the history did not finish: ${pending} outbox records left`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function buildCommunity(opts: CommunityOptions, log: (line: string) => void): Promise<Community> {
  const random = seeded(opts.seed);
  const urls = benchDatabaseUrls('chorus_load', 8);
  await recreateDatabases(urls);
  const settings: Record<string, string> = {
    DATABASE_URL: urls.directory,
    DATABASE_URLS: urls.shards.join(','),
    REDIS_URL: LOAD_REDIS_URL,
    REDIS_KEY_PREFIX: 'chorus-load',
    ORIGIN_SECRET: randomBytes(24).toString('hex'),
    DEMO_SEED: 'false',
  };
  // The load test's Redis database is its own: start it empty.
  const redis = openRedis(LOAD_REDIS_URL);
  await redis.flushdb();
  redis.disconnect();
  const runtime = await createRuntime(ConfigSchema.parse({ ...settings, LOG_LEVEL: 'warn' }));
  const { ctx } = runtime;
  try {
    const tenant = await ensureTenant(ctx, {
      id: LOAD_TENANT,
      slug: LOAD_TENANT,
      name: 'Load Test Town',
      hosts: [LOAD_HOST],
      celebrityLimit: opts.celebrityLimit,
    });

    log(`inserting ${opts.members} members`);
    const base = await insertMembers(runtime, tenant.id, opts.members, (i) => `Member ${i} ${TAGS[i % TAGS.length]}`);
    const hash = await hashPassword(LOAD_PASSWORD);
    for (const db of ctx.cluster.router.physical)
      await db.rows('update members set password_hash = $1 where tenant_id = $2', [hash, tenant.id]);
    await ctx.cluster.directory.rows(
      `insert into member_names (tenant_id, username, member_id)
       select $1, unnest($2::text[]), unnest($3::bigint[])`,
      [tenant.id, base.map((m) => m.username), base.map((m) => m.id.toString())],
    );

    const pairs = friendPairs(degreeWeights(opts, random), random);
    log(`inserting ${pairs.length} friendships (mean ${((2 * pairs.length) / opts.members).toFixed(0)} friends)`);
    await insertFriendships(
      runtime,
      tenant.id,
      pairs.map(([a, b]) => [base[a]!.id, base[b]!.id] as const),
    );
    const friendsOf = new Map<string, string[]>();
    for (const [a, b] of pairs) {
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        const key = base[x]!.id.toString();
        const list = friendsOf.get(key) ?? [];
        list.push(base[y]!.id.toString());
        friendsOf.set(key, list);
      }
    }
    const members = base.map((m) => ({ ...m, friends: friendsOf.get(m.id.toString())?.length ?? 0 }));

    const events = opts.members * opts.historyPerMember;
    log(`writing ${events} events of history through the write path`);
    startProcessors(ctx);
    runtime.relay.start();
    const publicItems: string[] = [];
    await forEachLimit(
      Array.from({ length: events }, (_, i) => i),
      16,
      async (i) => {
        const author = members[i % members.length]!;
        const input = historyEvent(i, random);
        const item = await createEvent(ctx, tenant, author.id, input);
        if (input.audience === 'public') publicItems.push(item.id.toString());
      },
    );
    await waitForFanout(runtime);
    log('history fanned out');
    return { urls, settings, tenant, members, friendsOf, publicItems, tags: TAGS, places: PLACES };
  } finally {
    await runtime.close();
  }
}
