// `npm run load [-- --seconds 300 --rate 200 --events 20 --origins 1 --members 2000]`: the
// whole-system load test (run-load.ts). Flags override the LOAD_* environment variables, which
// override the defaults. Prints a table per route and, last, one JSON line of the headline figures.
import { parseArgs } from 'node:util';
import { loadOptionsFromEnv, runLoad } from './run-load.js';

const FLAGS: Record<string, string> = {
  seconds: 'LOAD_SECONDS',
  warmup: 'LOAD_WARMUP_SECONDS',
  rate: 'LOAD_PAGE_RATE',
  events: 'LOAD_EVENT_RATE',
  origins: 'LOAD_ORIGINS',
  sessions: 'LOAD_SESSIONS',
  members: 'LOAD_MEMBERS',
  friends: 'LOAD_MEAN_FRIENDS',
};
const { values } = parseArgs({
  options: Object.fromEntries(Object.keys(FLAGS).map((k) => [k, { type: 'string' as const }])),
  allowPositionals: false,
});
for (const [flag, env] of Object.entries(FLAGS)) if (values[flag] !== undefined) process.env[env] = values[flag];

const result = await runLoad(loadOptionsFromEnv());
console.table(
  result.routes.map((r) => ({
    route: r.route,
    'offered/s': r.offeredPerSec,
    'served/s': r.perSec,
    p50: r.p50Ms,
    p95: r.p95Ms,
    p99: r.p99Ms,
    errors: r.errors,
    'cache hits': r.cacheHitShare,
    'edge ms': r.edgeMs,
    'origin ms': r.originMs,
    'db ms': r.dbMs,
  })),
);
console.log('post to visible:', JSON.stringify(result.postToVisible));
console.log('system:', JSON.stringify(result.system));
console.log(
  'database:',
  result.database.available
    ? `${result.database.execMsPerRequest} ms of PostgreSQL execution per request; top statements:`
    : 'pg_stat_statements not preloaded (no database figures)',
);
for (const t of result.database.top) console.log(`  ${t.totalMs} ms in ${t.calls} calls (${t.meanMs} ms): ${t.query}`);
for (const e of result.errorSamples) console.log('error:', e);
console.log('report: test/output/load/load.html and load.json');
console.log(JSON.stringify({ ...result.headline, origins: result.settings.origins }));
process.exit(result.headline.errors === 0 ? 0 : 1);
