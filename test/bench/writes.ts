// Status updates per second through the write path (createPost: item + outbox record + post
// counter in one statement, on the author's shard) over 8 shard databases, beside plain
// single-row INSERTs with postgres.js on the same databases, same concurrency and duration.
// Targets: writesPerSec ≥ 3000 and ratio ≥ 0.5.
//   BENCH_SECONDS (10)      measured seconds of each phase (after a 1 s warm-up)
//   BENCH_CONCURRENCY (64)  writes in flight
//   BENCH_MEMBERS (2000)    authors
//   BENCH_POOL (10)         postgres.js connections per database for the plain INSERTs (the
//                           origin opens 10 per shard; createRuntime does not expose the size)
//   BENCH_RELAY (0)         1 = start the outbox relay, so every post is enqueued too (into the
//                           in-process queue, which keeps the jobs: no processors run)
//   BENCH_PREPARED (0)      what-if: 1 = run the shards' raw queries (Database.rows) as named
//                           prepared statements (postgres.js `prepare: true`) instead of the
//                           origin's unnamed Parse/Describe + Bind round trips; not the origin as is
import postgres from 'postgres';
import { createPost } from '../../origin/items/events.js';
import {
  BENCH_SHARDS,
  benchDatabaseUrls,
  envNumber,
  insertMembers,
  recreateDatabases,
  runFor,
  startBenchRuntime,
} from './support.js';

const seconds = envNumber('BENCH_SECONDS', 10);
const concurrency = envNumber('BENCH_CONCURRENCY', 64);
const memberCount = envNumber('BENCH_MEMBERS', 2000);
const pool = envNumber('BENCH_POOL', 10);
const relay = process.env.BENCH_RELAY === '1';
const prepared = process.env.BENCH_PREPARED === '1';
const WARMUP_SECONDS = 1;

const urls = benchDatabaseUrls();
console.log(`writes: recreating ${BENCH_SHARDS} shard databases and a directory`);
await recreateDatabases(urls);

// --- the write path ------------------------------------------------------------------------
const { runtime, tenant } = await startBenchRuntime(urls);
// Not started, the relay dispatches nothing: the outbox keeps the records, and this measures the
// write path alone.
if (relay) runtime.relay.start();
const whatIfClients: postgres.Sql[] = [];
if (prepared) {
  console.log('writes: WHAT-IF run: raw shard queries as prepared statements (origin code patched at run time)');
  runtime.ctx.cluster.router.physical.forEach((db, i) => {
    const client = postgres(urls.shards[i]!, {
      max: 10,
      onnotice: () => {},
      connection: { TimeZone: 'UTC' },
      types: { bigint: postgres.BigInt },
    });
    whatIfClients.push(client);
    const literal = (v: unknown) =>
      v === null || v === undefined ? 'NULL' : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    db.rows = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
      (await client.unsafe(
        text,
        params.map((p) =>
          Array.isArray(p) ? `{${p.map(literal).join(',')}}` : p,
        ) as postgres.ParameterOrJSON<never>[],
        { prepare: true },
      )) as unknown as T[];
  });
}
const members = await insertMembers(runtime, tenant.id, memberCount);
console.log(`writes: ${members.length} members inserted; ${concurrency} in flight for ${seconds} s`);
let n = 0;
const post = () => {
  const actor = members[Math.floor(Math.random() * members.length)]!.id;
  return createPost(runtime.ctx, tenant, actor, { text: `status update ${n++}`, audience: 'friends' });
};
await runFor(WARMUP_SECONDS, concurrency, post, 'createPost warm-up');
const writes = await runFor(seconds, concurrency, post, 'createPost');
const counts = await Promise.all(
  runtime.ctx.cluster.router.physical.map((db) =>
    db.rows<{ items: number; outbox: number }>(
      'select (select count(*)::int from items) as items, (select count(*)::int from outbox) as outbox',
    ),
  ),
);
const stored = counts.reduce((sum, [c]) => ({ items: sum.items + c!.items, outbox: sum.outbox + c!.outbox }), {
  items: 0,
  outbox: 0,
});
console.log(`writes: stored ${stored.items} items and ${stored.outbox} outbox records over ${counts.length} shards`);
await runtime.close();
await Promise.all(whatIfClients.map((sql) => sql.end({ timeout: 5 })));
const writesPerSec = writes.ops / writes.seconds;
console.log(`writes: ${writes.ops} posts in ${writes.seconds.toFixed(2)} s = ${writesPerSec.toFixed(0)}/s`);

// --- plain INSERTs -------------------------------------------------------------------------
const clients = urls.shards.map((url) => postgres(url, { max: pool, onnotice: () => {} }));
await Promise.all(clients.map((sql) => sql`create table if not exists bench_plain (id bigint primary key, v text)`));
let nextId = 0;
const insert = () => {
  const id = nextId++;
  const sql = clients[Math.floor(Math.random() * clients.length)]!;
  return sql`insert into bench_plain (id, v) values (${id}, ${`status update ${id}`})`;
};
await runFor(WARMUP_SECONDS, concurrency, insert, 'plain INSERT warm-up');
const plain = await runFor(seconds, concurrency, insert, 'plain INSERT');
await Promise.all(clients.map((sql) => sql.end({ timeout: 5 })));
const plainInsertsPerSec = plain.ops / plain.seconds;
console.log(`writes: ${plain.ops} plain INSERTs in ${plain.seconds.toFixed(2)} s = ${plainInsertsPerSec.toFixed(0)}/s`);

console.log(
  JSON.stringify({
    writesPerSec: Math.round(writesPerSec),
    plainInsertsPerSec: Math.round(plainInsertsPerSec),
    ratio: Number((writesPerSec / plainInsertsPerSec).toFixed(3)),
    shards: BENCH_SHARDS,
    concurrency,
    seconds,
    ...(prepared ? { whatIf: 'prepared statements' } : {}),
    ...(writes.errors || plain.errors ? { errors: writes.errors + plain.errors } : {}),
  }),
);
