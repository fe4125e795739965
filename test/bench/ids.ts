// Ids minted per second by one process (target ≥ 1,000,000), spread over every logical shard.
import { migrateCluster } from '../../origin/store/shards/cluster.js';
import { openPglite } from '../../origin/store/shards/database.js';
import { IdGenerator } from '../../origin/store/shards/ids.js';
import { LOGICAL_SHARDS } from '../../shared/ids.js';

const directory = await openPglite({ name: 'bench-ids' });
await migrateCluster(directory, [directory]);
const gen = await IdGenerator.start(directory);
const N = 5_000_000;
for (let i = 0; i < 200_000; i++) gen.next(i % LOGICAL_SHARDS); // warm up
const started = process.hrtime.bigint();
let sink = 0n;
for (let i = 0; i < N; i++) sink ^= gen.next(i % LOGICAL_SHARDS);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
await gen.stop();
await directory.close();
console.log(JSON.stringify({ idsPerSec: Math.round(N / seconds), ids: N, seconds, checksum: String(sink & 0xffn) }));
