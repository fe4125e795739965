// p50/p99 of a scatter-gather member search (display-name prefix) over 8 shard databases holding
// ~50,000 members: one query per database through scatterGather, merged, sorted, cut to 20.
//   BENCH_RUNS (500)        measured searches, one after another (after 25 warm-up searches)
//   BENCH_MEMBERS (50000)   members loaded
import { scatterGather } from '../../origin/store/shards/scatter.js';
import {
  BENCH_SHARDS,
  benchDatabaseUrls,
  envNumber,
  insertMembers,
  percentile,
  recreateDatabases,
  startBenchRuntime,
} from './support.js';

const runs = envNumber('BENCH_RUNS', 500);
const memberCount = envNumber('BENCH_MEMBERS', 50_000);
const WARMUP = 25;
const LIMIT = 20;

const SEARCH_SQL = `select id, display_name from members
where tenant_id = $1 and lower(display_name) like $2
order by lower(display_name) limit ${LIMIT}`;

// Display names from syllables, so prefixes of one to three letters match from a handful to
// thousands of members, spread over every shard.
const FIRST = ['ka', 'lo', 'mi', 'an', 'be', 'ro', 'sa', 'te', 'vi', 'da', 'el', 'jo', 'ni', 'pa', 'zu', 'ha'];
const SECOND = ['ra', 'ne', 'li', 'to', 'mo', 'sa', 'vin', 'dor', 'ella', 'rik', 'na', 'us'];
const LAST = ['Smith', 'Okafor', 'Nguyen', 'Garcia', 'Kowalski', 'Haddad', 'Ito', 'Berg', 'Silva', 'Moreau'];
function displayName(i: number): string {
  const a = FIRST[i % FIRST.length]!;
  const b = SECOND[Math.floor(i / FIRST.length) % SECOND.length]!;
  const c = LAST[Math.floor(i / (FIRST.length * SECOND.length)) % LAST.length]!;
  const first = a + b;
  return `${first[0]!.toUpperCase()}${first.slice(1)} ${c} ${i}`;
}

const urls = benchDatabaseUrls();
console.log(`scatter: recreating ${BENCH_SHARDS} shard databases and a directory`);
await recreateDatabases(urls);
const { runtime, tenant } = await startBenchRuntime(urls);
const loadStarted = performance.now();
const members = await insertMembers(runtime, tenant.id, memberCount, displayName);
console.log(`scatter: ${members.length} members loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

const databases = runtime.ctx.cluster.router.physical;
const timeoutMs = runtime.ctx.config.SHARD_TIMEOUT_MS;
type Row = { id: bigint; display_name: string };
const key = (r: Row) => r.display_name.toLowerCase();
const compare = (a: Row, b: Row) => {
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

// Prefixes of 1..3 letters taken from real names, so most searches find something.
function randomPrefix(): string {
  const name = members[Math.floor(Math.random() * members.length)]!.displayName.toLowerCase();
  return name.slice(0, 1 + Math.floor(Math.random() * 3));
}

let partial = 0;
let found = 0;
async function search(): Promise<number> {
  const pattern = `${randomPrefix()}%`;
  const started = performance.now();
  const result = await scatterGather(databases, (db) => db.rows<Row>(SEARCH_SQL, [tenant.id, pattern]), {
    timeoutMs,
    compare,
    limit: LIMIT,
  });
  const ms = performance.now() - started;
  if (result.partial) partial++;
  found += result.rows.length;
  return ms;
}

for (let i = 0; i < WARMUP; i++) await search();
partial = 0;
found = 0;
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  times.push(await search());
  if ((i + 1) % 100 === 0) {
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      `  ${i + 1} searches: p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms`,
    );
  }
}
await runtime.close();
times.sort((a, b) => a - b);
console.log(`scatter: ${runs} searches, ${(found / runs).toFixed(1)} rows each on average, ${partial} partial`);
console.log(
  JSON.stringify({
    p50Ms: Number(percentile(times, 50).toFixed(2)),
    p99Ms: Number(percentile(times, 99).toFixed(2)),
    shards: BENCH_SHARDS,
    runs,
    members: members.length,
    ...(partial ? { partial } : {}),
  }),
);
