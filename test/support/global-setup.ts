// Runs once before the origin suites: creates the test databases on the real server (when one
// is configured) and applies migrations, so parallel test files never race to create tables.
import postgres from 'postgres';
import { migrateCluster } from '../../origin/store/shards/cluster.js';
import { openPostgres } from '../../origin/store/shards/database.js';
import { testDatabaseUrls } from './services.js';

export default async function setup() {
  const urls = testDatabaseUrls();
  if (!urls) return;
  const admin = new URL(urls.directory);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    for (const url of [urls.directory, ...urls.shards]) {
      const name = new URL(url).pathname.slice(1);
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
