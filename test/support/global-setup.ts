// Runs once before the origin suites: creates the test databases on the real server (when one
// is configured) and applies migrations, so parallel test files never race to create tables.
import postgres from 'postgres';
import { migrateCluster } from '../../origin/store/shards/cluster.js';
import { openPostgres } from '../../origin/store/shards/database.js';
import { ISOLATED_SETS, type TestDatabases, testDatabaseUrls } from './services.js';

export default async function setup() {
  const main = testDatabaseUrls();
  if (!main) return;
  await prepare(main, false);
  // Suites that move shards or take one down start from scratch every run.
  for (const set of ISOLATED_SETS) await prepare(testDatabaseUrls(set)!, true);
}

async function prepare(urls: TestDatabases, fresh: boolean) {
  const admin = new URL(urls.directory);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    for (const url of [urls.directory, ...urls.shards]) {
      const name = new URL(url).pathname.slice(1);
      if (fresh) await sql.unsafe(`drop database if exists "${name}" with (force)`);
      const [exists] = await sql`select 1 from pg_database where datname = ${name}`;
      if (!exists) await sql.unsafe(`create database "${name}"`);
    }
  } catch (err) {
    throw new Error(`cannot prepare test databases at ${admin.host}: ${(err as Error).message}`);
  } finally {
    await sql.end();
  }
  const directory = openPostgres({ name: 'directory', url: urls.directory });
  const shards = urls.shards.map((url, i) => openPostgres({ name: `shard-${i}`, url }));
  try {
    await migrateCluster(directory, shards);
  } finally {
    await Promise.all([directory, ...shards].map((d) => d.close()));
  }
}
