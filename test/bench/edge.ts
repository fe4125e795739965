// `npm run bench -- edge`: the edge under `wrangler dev` against a local origin.
//  1. Requests/s of a cached anonymous page (the front page, Server-Timing cache;desc=HIT after warm-up)
//     against a hello-world Hono worker on the same runtime, in the same run (target ≥ 0.8).
//  2. p50/p99 latency of an uncached logged-in home page (private, rendered per request).
// Loopback only, bounded loops. Knobs: BENCH_SECONDS (10 per worker), BENCH_ROUNDS (5),
// BENCH_WARMUP_SECONDS (2 per worker, so the JIT has compiled both before measuring),
// BENCH_CONCURRENCY (32), BENCH_HOME_REQUESTS (300).
// Each worker's time is cut into BENCH_ROUNDS slices run alternately (edge, hello, hello, edge,
// ...), and each figure is requests over time summed across its slices: on a shared machine,
// other work then weighs on both alike instead of on whichever ran during a busy moment.
import { envNumber } from './support.js';
import {
  cacheStatusOf,
  get,
  type Hit,
  load,
  loggedIn,
  percentile,
  RICH_UA,
  startEdgeBench,
  startWrangler,
} from './support-edge.js';

const SECONDS = envNumber('BENCH_SECONDS', 10);
const ROUNDS = Math.max(1, envNumber('BENCH_ROUNDS', 5));
const WARMUP_SECONDS = envNumber('BENCH_WARMUP_SECONDS', 2);
const CONCURRENCY = envNumber('BENCH_CONCURRENCY', 32);
const HOME_REQUESTS = envNumber('BENCH_HOME_REQUESTS', 300);

const bench = await startEdgeBench();
const hello = await startWrangler(['--config', 'test/bench/hello-wrangler.toml']);
try {
  const headers = { host: bench.host, 'user-agent': RICH_UA, accept: 'text/html' };
  const { Agent } = await import('node:http');
  const agent = new Agent({ keepAlive: true });
  let status = '';
  for (let i = 0; i < 20 && status !== 'HIT'; i++) {
    const hit = await get(agent, bench.edge.port, '/', headers);
    status = cacheStatusOf(hit.headers);
  }
  agent.destroy();
  if (status !== 'HIT') throw new Error(`the front page never came from the cache (cache status: ${status})`);
  console.log('front page cached; warming up both workers');
  const mustHit = (hit: { headers: Hit['headers'] }) => {
    const cache = cacheStatusOf(hit.headers);
    if (cache !== 'HIT') throw new Error(`cache ${cache}`);
  };
  await load(bench.edge.port, '/', headers, WARMUP_SECONDS, CONCURRENCY, mustHit);
  await load(hello.port, '/', { host: 'localhost' }, WARMUP_SECONDS, CONCURRENCY);

  const slice = SECONDS / ROUNDS;
  const totals = { cached: { requests: 0, seconds: 0 }, hello: { requests: 0, seconds: 0 } };
  const runCached = async () => {
    const cached = await load(bench.edge.port, '/', headers, slice, CONCURRENCY, mustHit);
    console.log(`  cached front page: ${cached.rps.toFixed(0)} req/s (${cached.errors} errors)`);
    totals.cached.requests += cached.requests;
    totals.cached.seconds += cached.seconds;
  };
  const runHello = async () => {
    const base = await load(hello.port, '/', { host: 'localhost' }, slice, CONCURRENCY);
    console.log(`  hello world:       ${base.rps.toFixed(0)} req/s (${base.errors} errors)`);
    totals.hello.requests += base.requests;
    totals.hello.seconds += base.seconds;
  };
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      await runCached();
      await runHello();
    } else {
      await runHello();
      await runCached();
    }
  }
  const cachedRps = totals.cached.requests / totals.cached.seconds;
  const helloRps = totals.hello.requests / totals.hello.seconds;

  const visitor = await loggedIn(bench, RICH_UA);
  const times: number[] = [];
  for (let i = 0; i < 10; i++) await visitor.get('/home');
  for (let i = 0; i < HOME_REQUESTS; i++) {
    const t0 = performance.now();
    const res = await visitor.get('/home');
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`home: ${res.status}`);
    if (cacheStatusOf(res.headers) === 'HIT') throw new Error('a logged-in home page came from the shared cache');
  }
  times.sort((a, b) => a - b);
  const result = {
    cachedRps: Math.round(cachedRps),
    helloRps: Math.round(helloRps),
    ratio: Number((cachedRps / helloRps).toFixed(2)),
    uncachedP50Ms: Number(percentile(times, 50).toFixed(1)),
    uncachedP99Ms: Number(percentile(times, 99).toFixed(1)),
  };
  console.log(`uncached home: p50 ${result.uncachedP50Ms} ms, p99 ${result.uncachedP99Ms} ms over ${HOME_REQUESTS}`);
  console.log(JSON.stringify(result));
} finally {
  await hello.stop();
  await bench.stop();
}
process.exit(0);
