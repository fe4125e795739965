import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateCluster } from '../../origin/store/shards/cluster.js';
import { type Database, openPglite } from '../../origin/store/shards/database.js';
import { IdGenerator } from '../../origin/store/shards/ids.js';
import { shardOfId, timeOfId } from '../../shared/ids.js';

// Its own embedded directory: the test leases and abandons slots on purpose.
let directory: Database;
beforeAll(async () => {
  directory = await openPglite({ name: 'ids-test' });
  await migrateCluster(directory, [directory]);
});
afterAll(() => directory.close());

describe('id generator', () => {
  it('concurrent generators never collide, and every id decodes to its shard and a plausible time', async () => {
    const gens = await Promise.all([
      IdGenerator.start(directory),
      IdGenerator.start(directory),
      IdGenerator.start(directory),
    ]);
    expect(new Set(gens.map((g) => g.slot)).size).toBe(3);
    const before = Date.now();
    const seen = new Set<bigint>();
    for (let round = 0; round < 20_000; round++) {
      const shard = round % 5; // few shards, so sequences overflow and borrow milliseconds
      for (const gen of gens) {
        const id = gen.next(shard);
        expect(seen.has(id)).toBe(false);
        seen.add(id);
        if (round % 997 === 0) {
          expect(shardOfId(id)).toBe(shard);
          expect(timeOfId(id)).toBeGreaterThanOrEqual(before - 1);
          expect(timeOfId(id)).toBeLessThan(Date.now() + 2000);
        }
      }
    }
    expect(seen.size).toBe(60_000);
    await Promise.all(gens.map((g) => g.stop()));
  });

  it('ids are k-sorted: later ids on a shard are larger', async () => {
    const gen = await IdGenerator.start(directory);
    let last = 0n;
    for (let i = 0; i < 5000; i++) {
      const id = gen.next(3);
      expect(id > last).toBe(true);
      last = id;
    }
    await gen.stop();
  });

  it('after a crash the slot is only reused once its lease has passed, and never re-mints an id', async () => {
    // Start past the (possibly borrowed-ahead) leases that the tests above released.
    let clock = Date.now() + 5_000;
    const now = () => clock;
    // Hold every slot but one so the crashed generator's slot is the only one left.
    const holders = [];
    for (let i = 0; i < 63; i++) holders.push(await IdGenerator.start(directory, { now, leaseMs: 3_600_000 }));
    const crashed = await IdGenerator.start(directory, { now, leaseMs: 10_000, maxBorrowMs: 60_000 });
    const minted = new Set<bigint>();
    for (let i = 0; i < 2000; i++) minted.add(crashed.next(9)); // borrows ~30 ms ahead of the clock
    // The process dies without stop(): its lease stays until it expires.
    await expect(IdGenerator.start(directory, { now })).rejects.toThrow(/slots are leased/);
    clock += 10_001;
    const successor = await IdGenerator.start(directory, { now });
    expect(successor.slot).toBe(crashed.slot);
    for (let i = 0; i < 2000; i++) expect(minted.has(successor.next(9))).toBe(false);
    await successor.stop();
    for (const h of holders) await h.stop();
  });
});
