import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateCluster } from '../../origin/store/shards/cluster.js';
import { type Database, openPglite } from '../../origin/store/shards/database.js';
import { dropExpiredPartitions, ensurePartitions, monthOf } from '../../origin/store/shards/partitions.js';
import { composeId } from '../../shared/ids.js';

// Its own embedded database: the test moves the clock and drops partitions.
let db: Database;
beforeAll(async () => {
  db = await openPglite({ name: 'partitions-test' });
  await migrateCluster(db, [db]);
});
afterAll(() => db.close());

async function partitionOf(table: string, where: string): Promise<string | undefined> {
  const [row] = await db.rows<{ part: string }>(`SELECT tableoid::regclass::text AS part FROM ${table} WHERE ${where}`);
  return row?.part;
}

describe('time partitions', () => {
  it('creates this month and the next months ahead for every partitioned table, idempotently', async () => {
    const now = Date.UTC(2027, 4, 15);
    const created = await ensurePartitions(db, { now, monthsAhead: 2 });
    expect(created).toEqual(
      expect.arrayContaining(['items_p2027_05', 'items_p2027_07', 'messages_p2027_06', 'outbox_p2027_05']),
    );
    expect(await ensurePartitions(db, { now, monthsAhead: 2 })).toEqual([]);
  });

  it('routes rows by id time (items) and by created_at (outbox) into their month', async () => {
    const id = composeId(Date.UTC(2027, 5, 3), 5, 1, 0);
    await db.rows(
      `INSERT INTO items (tenant_id, id, actor_id, verb, audience, text) VALUES ('p', $1::bigint, 1, 'status', 'public', 'x')`,
      [id.toString()],
    );
    expect(await partitionOf('items', `id = ${id}`)).toBe('items_p2027_06');
    await db.rows(
      `INSERT INTO outbox (tenant_id, owner_id, kind, payload, created_at) VALUES ('p', 1, 'k', '{}', '2027-07-09T00:00:00Z')`,
    );
    expect(await partitionOf('outbox', `created_at = '2027-07-09T00:00:00Z'`)).toBe('outbox_p2027_07');
  });

  it('moves rows that fell into the default partition when their month is created', async () => {
    const id = composeId(Date.UTC(2028, 0, 10), 5, 1, 0);
    await db.rows(
      `INSERT INTO items (tenant_id, id, actor_id, verb, audience, text) VALUES ('p', $1::bigint, 1, 'status', 'public', 'early')`,
      [id.toString()],
    );
    expect(await partitionOf('items', `id = ${id}`)).toBe('items_default');
    await ensurePartitions(db, { now: Date.UTC(2028, 0, 1), monthsAhead: 0 });
    expect(await partitionOf('items', `id = ${id}`)).toBe('items_p2028_01');
  });

  it('drops partitions past the retention window and keeps the rest', async () => {
    const dropped = await dropExpiredPartitions(db, { outbox: 30 }, Date.UTC(2027, 7, 20));
    expect(dropped).toEqual(expect.arrayContaining(['outbox_p2027_05', 'outbox_p2027_06']));
    expect(dropped.every((name) => name.startsWith('outbox_'))).toBe(true);
    expect(dropped).not.toContain('outbox_p2027_07');
    expect(await partitionOf('outbox', `created_at = '2027-07-09T00:00:00Z'`)).toBe('outbox_p2027_07');
    // Tables without a policy keep everything.
    expect(await partitionOf('items', "text = 'x'")).toBe('items_p2027_06');
  });

  it('names months in UTC', () => {
    expect(monthOf(Date.UTC(2027, 11, 31, 23, 59)).name).toBe('p2027_12');
    expect(monthOf(Date.UTC(2027, 11, 1), 1).name).toBe('p2028_01');
  });
});
