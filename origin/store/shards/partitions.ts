// Monthly time partitions for the large append-mostly tables. Items, messages and notifications
// are partitioned by id range — ids begin with their creation time, so an id range is a time
// range — and the outbox by created_at. Partitions are created ahead of time; old ones are
// detached (and dropped) per retention policy. A default partition catches anything outside
// the ranges, and maintenance moves such rows into a proper partition.
import { composeId, ID_EPOCH_MS } from '../../../shared/ids.js';
import type { Database } from './database.js';
import { PARTITIONED_TABLES } from './schema-shard.js';

type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

export interface MonthRange {
  name: string;
  startMs: number;
  endMs: number;
}

function monthStart(year: number, month: number): number {
  return Date.UTC(year, month, 1);
}

/** The month containing `ms`, offset by `delta` months. */
export function monthOf(ms: number, delta = 0): MonthRange {
  const d = new Date(ms);
  const startMs = monthStart(d.getUTCFullYear(), d.getUTCMonth() + delta);
  const s = new Date(startMs);
  const endMs = monthStart(s.getUTCFullYear(), s.getUTCMonth() + 1);
  const name = `p${s.getUTCFullYear()}_${String(s.getUTCMonth() + 1).padStart(2, '0')}`;
  return { name, startMs, endMs };
}

function bound(table: PartitionedTable, ms: number): string {
  // Ids for time t start at composeId(t, 0, 0, 0); before the id epoch there are no ids.
  if (table.by === 'id') return composeId(Math.max(ms, ID_EPOCH_MS), 0, 0, 0).toString();
  return `'${new Date(ms).toISOString()}'`;
}

/** Creates this month's partition and `monthsAhead` more for every partitioned table. Idempotent. */
export async function ensurePartitions(
  db: Database,
  opts: { now?: number; monthsAhead?: number } = {},
): Promise<string[]> {
  const now = opts.now ?? Date.now();
  const created: string[] = [];
  for (const table of PARTITIONED_TABLES) {
    for (let delta = 0; delta <= (opts.monthsAhead ?? 3); delta++) {
      const month = monthOf(now, delta);
      if (table.by === 'id' && month.endMs <= ID_EPOCH_MS) continue;
      const name = `${table.table}_${month.name}`;
      const exists = await db.rows('SELECT 1 FROM pg_class WHERE relname = $1', [name]);
      if (exists.length > 0) continue;
      await createPartition(db, table, name, month);
      created.push(name);
    }
  }
  return created;
}

async function createPartition(db: Database, table: PartitionedTable, name: string, month: MonthRange) {
  const from = bound(table, month.startMs);
  const to = bound(table, month.endMs);
  const col = table.by;
  await db.transaction(async (rows) => {
    // Rows that landed in the default partition for this range must move first, or Postgres
    // refuses the new partition.
    const stray = await rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${table.table}_default WHERE ${col} >= ${from} AND ${col} < ${to}`,
    );
    if ((stray[0]?.n ?? 0) > 0) {
      await rows(`CREATE TEMP TABLE stray ON COMMIT DROP AS
        SELECT * FROM ${table.table}_default WHERE ${col} >= ${from} AND ${col} < ${to}`);
      await rows(`DELETE FROM ${table.table}_default WHERE ${col} >= ${from} AND ${col} < ${to}`);
      await rows(`CREATE TABLE ${name} PARTITION OF ${table.table} FOR VALUES FROM (${from}) TO (${to})`);
      await rows(`INSERT INTO ${table.table} SELECT * FROM stray`);
    } else {
      await rows(`CREATE TABLE ${name} PARTITION OF ${table.table} FOR VALUES FROM (${from}) TO (${to})`);
    }
  });
}

export interface RetentionPolicy {
  /** table -> keep partitions whose whole month ended less than this many days ago. */
  [table: string]: number | undefined;
}

/** Detaches and drops monthly partitions that ended before the table's retention window. */
export async function dropExpiredPartitions(
  db: Database,
  policy: RetentionPolicy,
  now = Date.now(),
): Promise<string[]> {
  const dropped: string[] = [];
  for (const table of PARTITIONED_TABLES) {
    const days = policy[table.table];
    if (days === undefined) continue;
    const cutoff = now - days * 86_400_000;
    const parts = await db.rows<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
       WHERE p.relname = $1 AND c.relname ~ '_p[0-9]{4}_[0-9]{2}$'`,
      [table.table],
    );
    for (const { name } of parts) {
      const [, year, month] = /_p(\d{4})_(\d{2})$/.exec(name)!;
      const end = monthStart(Number(year), Number(month)); // start of the following month
      if (end > cutoff) continue;
      await db.rows(`ALTER TABLE ${table.table} DETACH PARTITION ${name}`);
      await db.rows(`DROP TABLE ${name}`);
      dropped.push(name);
    }
  }
  return dropped;
}
