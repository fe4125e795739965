// A shard database that stops and comes back: while it is gone every query fails within the
// query timeout (none hangs), and once it is back the pool serves again within moments — also
// after queries gave up waiting and transactions failed meanwhile (postgres.js lost for good the
// connection of a query cancelled before it was sent, and waited up to 20 s between reconnects).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openPostgres } from '../../origin/store/shards/database.js';
import { type PrivatePostgres, startPrivatePostgres } from '../support/private-postgres.js';
import { oracleServicesAvailable } from './oracle/services.js';

const available = oracleServicesAvailable();

describe.skipIf(!available.ok)('a database that stops and comes back', () => {
  let pg: PrivatePostgres;
  let db: Database;
  beforeAll(async () => {
    pg = await startPrivatePostgres();
    const url = await pg.createDatabase('outage');
    db = openPostgres({ name: 'outage', url, maxConnections: 3, queryTimeoutMs: 1000, statementTimeoutMs: 5000 });
  });
  afterAll(async () => {
    await db?.close();
    pg?.close();
  });

  const query = async () => {
    const started = Date.now();
    try {
      await db.rows('SELECT 1 AS one');
      return { ok: true, ms: Date.now() - started };
    } catch {
      return { ok: false, ms: Date.now() - started };
    }
  };

  it('fails fast while down and serves again at once when back', async () => {
    expect((await Promise.all([query(), query(), query()])).every((r) => r.ok)).toBe(true);
    pg.stop();
    for (const until = Date.now() + 6000; Date.now() < until; ) {
      const results = await Promise.all([
        query(),
        query(),
        db
          .transaction((rows) => rows('SELECT 1'))
          .then(
            () => ({ ok: true, ms: 0 }),
            () => ({ ok: false, ms: 0 }),
          ),
      ]);
      for (const r of results) {
        expect(r.ok).toBe(false);
        expect(r.ms).toBeLessThan(3000);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    pg.start();
    // Within a few seconds every query answers again, four at a time on a pool of three.
    await expect
      .poll(async () => (await Promise.all([query(), query(), query(), query()])).every((r) => r.ok), {
        timeout: 5000,
        interval: 100,
      })
      .toBe(true);
    for (let i = 0; i < 5; i++)
      expect((await Promise.all([query(), query(), query(), query()])).every((r) => r.ok)).toBe(true);
  }, 30_000);
});
