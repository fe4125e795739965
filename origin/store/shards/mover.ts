// Moves rows between physical databases while writes go on: a whole logical shard (to add a
// database and spread load) or one member (to relieve a hot shard).
//
//   1. copy     every owned row to the target while the source keeps taking writes
//   2. fence    raise the write fence on the source and wait out transactions that began before it
//   3. catch up compare row fingerprints on both sides; copy what changed, delete what vanished
//   4. flip     point the directory at the target (writers retry there; see fence.ts)
//   5. verify   fingerprints equal on both sides
//   6. clean up delete the rows from the source after a grace period for stale routers
//
// Rows travel as JSON text produced and consumed by Postgres (json_agg -> jsonb_populate_recordset),
// never parsed in JS, so 64-bit ids stay exact.
import { and, eq } from 'drizzle-orm';
import type { Cluster } from './cluster.js';
import type { Database } from './database.js';
import { SHARD_MAP_CHANNEL } from './router.js';
import { movedMembers, shardMap } from './schema-directory.js';
import { OWNED_TABLES, type OwnedTable } from './schema-shard.js';

const BATCH = 2000;

export interface MoveReport {
  what: string;
  from: string;
  to: string;
  rowsCopied: number;
  rowsCaughtUp: number;
  rowsDeleted: number;
  fencedMs: number;
  verified: boolean;
}

interface Selection {
  /** SQL condition on the owner column, with $1 as its only parameter. */
  where: (owner: string) => string;
  param: string;
  fenceKey: string;
  logical: number;
  memberId: string | null;
}

const logicalSelection = (logical: number): Selection => ({
  where: (owner) => `((${owner} >> 12) & 1023) = $1::int`,
  param: String(logical),
  fenceKey: `L:${logical}`,
  logical,
  memberId: null,
});

export async function moveLogicalShard(
  cluster: Cluster,
  logical: number,
  targetName: string,
  opts: { graceMs?: number } = {},
): Promise<MoveReport> {
  await cluster.router.load();
  const source = cluster.router.forLogical(logical);
  const target = cluster.router.byNameOrThrow(targetName);
  if (source === target) throw new Error(`logical shard ${logical} is already on ${targetName}`);
  return move(
    cluster,
    source,
    target,
    logicalSelection(logical),
    `logical shard ${logical}`,
    opts.graceMs,
    async () => {
      await cluster.directory.db.update(shardMap).set({ physical: target.name }).where(eq(shardMap.logical, logical));
    },
  );
}

export async function moveMember(
  cluster: Cluster,
  tenantId: string,
  memberId: bigint,
  targetName: string,
  opts: { graceMs?: number } = {},
): Promise<MoveReport> {
  await cluster.router.load();
  const source = cluster.router.forMember(memberId);
  const target = cluster.router.byNameOrThrow(targetName);
  if (source === target) throw new Error(`member ${memberId} is already on ${targetName}`);
  const selection: Selection = {
    where: (owner) => `${owner} = $1::bigint`,
    param: memberId.toString(),
    fenceKey: `M:${memberId}`,
    logical: Number((memberId >> 12n) & 1023n),
    memberId: memberId.toString(),
  };
  return move(cluster, source, target, selection, `member ${memberId}`, opts.graceMs, async () => {
    const home = cluster.router.forLogical(selection.logical);
    if (home === target) {
      // Back on its logical shard's database: the override is no longer needed.
      await cluster.directory.db
        .delete(movedMembers)
        .where(and(eq(movedMembers.tenantId, tenantId), eq(movedMembers.memberId, memberId)));
    } else {
      await cluster.directory.db
        .insert(movedMembers)
        .values({ tenantId, memberId, physical: target.name })
        .onConflictDoUpdate({ target: [movedMembers.tenantId, movedMembers.memberId], set: { physical: target.name } });
    }
  });
}

async function move(
  cluster: Cluster,
  source: Database,
  target: Database,
  sel: Selection,
  what: string,
  graceMs = 2000,
  flip: () => Promise<void>,
): Promise<MoveReport> {
  const report: MoveReport = {
    what,
    from: source.name,
    to: target.name,
    rowsCopied: 0,
    rowsCaughtUp: 0,
    rowsDeleted: 0,
    fencedMs: 0,
    verified: false,
  };
  // Leftovers of an earlier, aborted move, and a fence from when these rows last left the target.
  for (const t of OWNED_TABLES) await target.rows(`DELETE FROM ${t.table} WHERE ${sel.where(t.owner)}`, [sel.param]);
  await target.rows('DELETE FROM shard_fences WHERE key = $1', [sel.fenceKey]);

  for (const t of OWNED_TABLES) report.rowsCopied += await copyAll(source, target, t, sel);

  const fencedAt = Date.now();
  await source.rows(
    `INSERT INTO shard_fences (key, logical_shard, member_id, moved_to) VALUES ($1, $2::smallint, $3::bigint, $4)
     ON CONFLICT (key) DO UPDATE SET moved_to = EXCLUDED.moved_to`,
    [sel.fenceKey, sel.logical, sel.memberId, target.name],
  );
  try {
    await waitForOlderTransactions(source);
    for (const t of OWNED_TABLES) report.rowsCaughtUp += await catchUp(source, target, t, sel);
    // Verify while the source is still frozen: afterwards the target takes new writes.
    for (const t of OWNED_TABLES) {
      const [a, b] = await Promise.all([fingerprints(source, t, sel), fingerprints(target, t, sel)]);
      if (a.size !== b.size || [...a].some(([k, v]) => b.get(k) !== v)) {
        throw new Error(`${what}: table ${t.table} differs after catching up; the source was kept`);
      }
    }
    report.verified = true;
    await flip();
    // Every process's router reloads at once (router.ts watch), this one's too.
    await cluster.directory.rows('SELECT pg_notify($1, $2)', [SHARD_MAP_CHANNEL, what]);
    await cluster.router.load();
  } catch (err) {
    // Nothing flipped: lift the fence so writes resume on the source, and report the failure.
    await source.rows('DELETE FROM shard_fences WHERE key = $1', [sel.fenceKey]);
    throw err;
  }
  report.fencedMs = Date.now() - fencedAt;

  // Routers in other processes have reloaded (notified above; or their periodic reload), and any
  // reader that still looked here re-checks the map when it finds nothing.
  await new Promise((r) => setTimeout(r, graceMs));
  for (const t of OWNED_TABLES) {
    const deleted = await source.rows<{ n: number }>(
      `WITH d AS (DELETE FROM ${t.table} WHERE ${sel.where(t.owner)} RETURNING 1) SELECT count(*)::int AS n FROM d`,
      [sel.param],
    );
    report.rowsDeleted += deleted[0]?.n ?? 0;
  }
  return report;
}

function pkList(t: OwnedTable): string {
  return t.pk.join(', ');
}

/** Copies every selected row, in primary-key order, in batches. */
async function copyAll(source: Database, target: Database, t: OwnedTable, sel: Selection): Promise<number> {
  let copied = 0;
  let after: string[] | null = null;
  for (;;) {
    const keyset: string = after ? `AND (${pkList(t)}) > (${t.pk.map((_, i) => `$${i + 2}`).join(', ')})` : '';
    const [batch]: { rows: string | null; last: string | null; n: number }[] = await source.rows(
      `WITH b AS (SELECT * FROM ${t.table} WHERE ${sel.where(t.owner)} ${keyset} ORDER BY ${pkList(t)} LIMIT ${BATCH})
       SELECT (SELECT json_agg(b)::text FROM b) AS rows,
              (SELECT json_build_array(${t.pk.map((c) => `${c}::text`).join(', ')})::text FROM b
                ORDER BY ${t.pk.map((c) => `${c} DESC`).join(', ')} LIMIT 1) AS last,
              (SELECT count(*)::int FROM b) AS n`,
      [sel.param, ...(after ?? [])],
    );
    if (!batch?.rows || !batch.last) return copied;
    await insertJson(target, t, batch.rows);
    copied += batch.n;
    if (batch.n < BATCH) return copied;
    after = JSON.parse(batch.last) as string[];
  }
}

async function insertJson(target: Database, t: OwnedTable, json: string): Promise<void> {
  await target.rows(
    `INSERT INTO ${t.table} SELECT * FROM jsonb_populate_recordset(NULL::${t.table}, $1::jsonb) ON CONFLICT DO NOTHING`,
    [json],
  );
}

/** primary key (as text) -> md5 of the whole row, for the selected rows. */
async function fingerprints(db: Database, t: OwnedTable, sel: Selection): Promise<Map<string, string>> {
  const rows = await db.rows<{ k: string; h: string }>(
    `SELECT json_build_array(${t.pk.map((c) => `${c}::text`).join(', ')})::text AS k, md5(x::text) AS h
     FROM ${t.table} x WHERE ${sel.where(t.owner)}`,
    [sel.param],
  );
  return new Map(rows.map((r) => [r.k, r.h]));
}

/** Under the fence: bring the target in line with the source row by row. */
async function catchUp(source: Database, target: Database, t: OwnedTable, sel: Selection): Promise<number> {
  const [src, dst] = await Promise.all([fingerprints(source, t, sel), fingerprints(target, t, sel)]);
  const stale = [...dst.keys()].filter((k) => src.get(k) !== dst.get(k));
  const missing = [...src.keys()].filter((k) => src.get(k) !== dst.get(k));
  // Rows whose primary key (as text) is in the $2 array.
  const match = () => `json_build_array(${t.pk.map((c) => `${c}::text`).join(', ')})::text = ANY($2::text[])`;
  if (stale.length)
    await target.rows(`DELETE FROM ${t.table} WHERE ${sel.where(t.owner)} AND ${match()}`, [sel.param, stale]);
  if (missing.length) {
    const [batch] = await source.rows<{ rows: string | null }>(
      `SELECT json_agg(x)::text AS rows FROM ${t.table} x WHERE ${sel.where(t.owner)} AND ${match()}`,
      [sel.param, missing],
    );
    if (batch?.rows) await insertJson(target, t, batch.rows);
  }
  return stale.length + missing.length;
}

/**
 * Waits until every transaction that began before the fence has finished: those may not have
 * seen the fence and could still be writing to the source.
 */
async function waitForOlderTransactions(db: Database, timeoutMs = 30_000): Promise<void> {
  if (db.kind === 'pglite') return; // one connection: nothing runs concurrently
  const [{ t0 } = { t0: '' }] = await db.rows<{ t0: string }>('SELECT clock_timestamp()::text AS t0');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db.rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start < $1::timestamptz`,
      [t0],
    );
    if (!row || row.n === 0) return;
    if (Date.now() > deadline) throw new Error('transactions older than the fence did not finish in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
