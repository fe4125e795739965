// Offline consistency checker: walks every shard in pages, finds and repairs what cross-shard
// writes can leave behind (one-sided friendships, drifted counters, orphaned rows), and reports
// what it fixed. Progress is checkpointed in the directory after every page, so a run that dies
// resumes where it stopped instead of starting over.
import { eq } from 'drizzle-orm';
import type { OriginContext } from '../context.js';
import type { Database } from '../store/shards/database.js';
import { jobCheckpoints } from '../store/shards/schema-directory.js';

const NAME = 'consistency-check';
const PHASES = ['friendships', 'counters', 'orphans'] as const;
type Phase = (typeof PHASES)[number];

export interface CheckReport {
  checked: { friendships: number; members: number };
  fixed: { oneSidedFriendships: number; friendCounts: number; orphans: number };
  resumed: boolean;
}

interface Checkpoint {
  shard: number;
  phase: Phase;
  after: string[] | null;
  report: CheckReport;
}

export interface CheckOptions {
  batch?: number;
  /**
   * Rows younger than this are left alone: a cross-shard write may be between its two halves.
   * Default 5 minutes.
   */
  graceSeconds?: number;
  /** Test hook: stop (as if the process died) after this many pages. */
  failAfterPages?: number;
}

/**
 * SQL condition: rows whose owner currently belongs on this database ($1 logical shards, $2 members
 * moved in, $3 members moved out) and that are older than the grace period ($4 seconds).
 */
const owned = (col: string, createdAt?: string) =>
  `((((${col} >> 12) & 1023) = ANY($1::int[]) OR ${col} = ANY($2::bigint[])) AND NOT (${col} = ANY($3::bigint[]))` +
  (createdAt ? ` AND ${createdAt} < now() - make_interval(secs => $4::int))` : ` AND $4::int >= 0)`);

export async function runConsistencyCheck(ctx: OriginContext, opts: CheckOptions = {}): Promise<CheckReport> {
  const batch = opts.batch ?? 1000;
  const grace = opts.graceSeconds ?? 300;
  const directory = ctx.cluster.directory.db;
  const [saved] = await directory.select().from(jobCheckpoints).where(eq(jobCheckpoints.name, NAME));
  const cp: Checkpoint = (saved?.state as unknown as Checkpoint | undefined) ?? {
    shard: 0,
    phase: 'friendships',
    after: null,
    report: {
      checked: { friendships: 0, members: 0 },
      fixed: { oneSidedFriendships: 0, friendCounts: 0, orphans: 0 },
      resumed: false,
    },
  };
  if (saved) cp.report.resumed = true;
  let pages = 0;
  const save = async () => {
    const state = cp as unknown as Record<string, unknown>;
    await directory
      .insert(jobCheckpoints)
      .values({ name: NAME, state })
      .onConflictDoUpdate({ target: jobCheckpoints.name, set: { state, updatedAt: new Date() } });
  };
  const physical = ctx.cluster.router.physical;
  while (cp.shard < physical.length) {
    const db = physical[cp.shard]!;
    const scope = [
      ctx.cluster.router.logicalShardsOn(db.name),
      ctx.cluster.router.movedInto(db.name),
      ctx.cluster.router.movedOutOf(db.name),
      grace,
    ];
    const step =
      cp.phase === 'friendships'
        ? await checkFriendships(ctx, db, scope, cp, batch)
        : cp.phase === 'counters'
          ? await checkCounters(db, scope, cp, batch)
          : await removeOrphans(db, scope, cp);
    if (step === 'done') {
      const next = PHASES.indexOf(cp.phase) + 1;
      cp.after = null;
      if (next < PHASES.length) cp.phase = PHASES[next]!;
      else {
        cp.phase = 'friendships';
        cp.shard += 1;
      }
    }
    await save();
    pages += 1;
    if (opts.failAfterPages !== undefined && pages >= opts.failAfterPages) {
      throw new Error(`consistency check interrupted after ${pages} pages (test hook)`);
    }
  }
  await directory.delete(jobCheckpoints).where(eq(jobCheckpoints.name, NAME));
  ctx.log.info({ report: cp.report }, 'consistency check finished');
  return cp.report;
}

interface Edge extends Record<string, unknown> {
  tenant_id: string;
  member_id: string;
  friend_id: string;
}

async function checkFriendships(
  ctx: OriginContext,
  db: Database,
  scope: unknown[],
  cp: Checkpoint,
  batch: number,
): Promise<'more' | 'done'> {
  const keyset = cp.after ? 'AND (tenant_id, member_id, friend_id) > ($5, $6::bigint, $7::bigint)' : '';
  const edges = await db.rows<Edge>(
    `SELECT tenant_id, member_id::text, friend_id::text FROM friendships
     WHERE ${owned('member_id', 'created_at')} ${keyset} ORDER BY tenant_id, member_id, friend_id LIMIT ${batch}`,
    [...scope, ...(cp.after ?? [])],
  );
  cp.report.checked.friendships += edges.length;
  // Look up every reverse edge, one query per database holding the friends.
  const byDb = ctx.cluster.router.group(edges.map((e) => e.friend_id));
  const present = new Set<string>();
  for (const [other, friendIds] of byDb) {
    const wanted = edges.filter((e) => friendIds.includes(e.friend_id));
    const rows = await other.rows<Edge>(
      `SELECT tenant_id, member_id::text, friend_id::text FROM friendships
       WHERE (tenant_id, member_id, friend_id) IN (SELECT unnest($1::text[]), unnest($2::bigint[]), unnest($3::bigint[]))`,
      [wanted.map((e) => e.tenant_id), wanted.map((e) => e.friend_id), wanted.map((e) => e.member_id)],
    );
    for (const r of rows) present.add(`${r.tenant_id}:${r.friend_id}:${r.member_id}`);
  }
  for (const e of edges) {
    if (present.has(`${e.tenant_id}:${e.member_id}:${e.friend_id}`)) continue;
    // The other half is missing (a crash between the two writes of accept or unfriend). Dropping
    // this half never shows anyone more than both agreed to; the counter pass fixes the count.
    await db.rows(
      'DELETE FROM friendships WHERE tenant_id = $1 AND member_id = $2::bigint AND friend_id = $3::bigint',
      [e.tenant_id, e.member_id, e.friend_id],
    );
    cp.report.fixed.oneSidedFriendships += 1;
  }
  const last = edges[edges.length - 1];
  if (!last || edges.length < batch) return 'done';
  cp.after = [last.tenant_id, last.member_id, last.friend_id];
  return 'more';
}

async function checkCounters(db: Database, scope: unknown[], cp: Checkpoint, batch: number): Promise<'more' | 'done'> {
  const keyset = cp.after ? 'AND (m.tenant_id, m.id) > ($5, $6::bigint)' : '';
  const rows = await db.rows<{ tenant_id: string; id: string; off: boolean }>(
    `SELECT m.tenant_id, m.id::text,
       m.friend_count <> (SELECT count(*) FROM friendships f WHERE f.tenant_id = m.tenant_id AND f.member_id = m.id) AS off
     FROM members m WHERE ${owned('m.id')} ${keyset} ORDER BY m.tenant_id, m.id LIMIT ${batch}`,
    [...scope, ...(cp.after ?? [])],
  );
  cp.report.checked.members += rows.length;
  for (const r of rows.filter((x) => x.off)) {
    // Recount inside the UPDATE, so a friendship written meanwhile is counted exactly once.
    await db.rows(
      `UPDATE members m SET
         friend_count = (SELECT count(*) FROM friendships f WHERE f.tenant_id = m.tenant_id AND f.member_id = m.id)
       WHERE m.tenant_id = $1 AND m.id = $2::bigint`,
      [r.tenant_id, r.id],
    );
    cp.report.fixed.friendCounts += 1;
  }
  const last = rows[rows.length - 1];
  if (!last || rows.length < batch) return 'done';
  cp.after = [last.tenant_id, last.id];
  return 'more';
}

/** Rows whose owning member does not exist on this database (e.g. left over after a purge crashed). */
async function removeOrphans(db: Database, scope: unknown[], cp: Checkpoint): Promise<'done'> {
  const tables: [string, string][] = [
    ['friendships', 'member_id'],
    ['friend_requests', 'owner_id'],
    ['blocks', 'owner_id'],
    ['items', 'actor_id'],
    ['notifications', 'member_id'],
  ];
  for (const [table, col] of tables) {
    const [row] = await db.rows<{ n: number }>(
      `WITH d AS (
         DELETE FROM ${table} t WHERE ${owned(`t.${col}`, 't.created_at')}
           AND NOT EXISTS (SELECT 1 FROM members m WHERE m.tenant_id = t.tenant_id AND m.id = t.${col})
         RETURNING 1)
       SELECT count(*)::int AS n FROM d`,
      scope,
    );
    cp.report.fixed.orphans += row?.n ?? 0;
  }
  return 'done';
}
