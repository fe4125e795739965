import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateCluster } from '../../origin/store/shards/cluster.js';
import type { Database } from '../../origin/store/shards/database.js';
import { items } from '../../origin/store/shards/schema-shard.js';
import { databaseAdapters, uniqueTenant } from './adapters.js';

describe.each(databaseAdapters())('database contract: $name', (adapter) => {
  let db: Database;
  beforeAll(async () => {
    db = await adapter.open();
    await migrateCluster(db, [db]);
  });
  afterAll(() => db.close());

  it('migrations can run again without changing anything', async () => {
    await expect(migrateCluster(db, [db])).resolves.toBeUndefined();
  });

  it('keeps 64-bit ids exact through drizzle and raw queries', async () => {
    const tenantId = uniqueTenant();
    const big = (1n << 62n) + 12345n;
    await db.db
      .insert(items)
      .values({ tenantId, id: big, actorId: big, verb: 'status', audience: 'public', text: 't' });
    const [row] = await db.db
      .select()
      .from(items)
      .where(and(eq(items.tenantId, tenantId), eq(items.id, big)));
    expect(row?.id).toBe(big);
    const raw = await db.rows<{ id: bigint }>('select id from items where tenant_id = $1', [tenantId]);
    expect(BigInt(raw[0]!.id)).toBe(big);
  });

  it('rolls back a failed transaction completely', async () => {
    const tenantId = uniqueTenant();
    await expect(
      db.db.transaction(async (tx) => {
        await tx.insert(items).values({ tenantId, id: 1n, actorId: 1n, verb: 'status', audience: 'public', text: 'a' });
        await tx
          .insert(items)
          .values({ tenantId, id: 1n, actorId: 1n, verb: 'status', audience: 'public', text: 'dup' });
      }),
    ).rejects.toThrow();
    expect(await db.db.select().from(items).where(eq(items.tenantId, tenantId))).toEqual([]);
  });

  it('answers ping', async () => {
    await expect(db.ping()).resolves.toBeUndefined();
  });
});
