// The load test's results: per-route figures, the run's headline figures, and a small HTML page
// with charts (inline SVG, no script) of latency, throughput and lag over the run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { percentile } from '../bench/support.js';
import type { DatabaseStats } from './database-stats.js';
import type { SystemSample, VisibleSample } from './probes.js';
import type { RouteStats } from './traffic.js';

export interface RouteFigures {
  route: string;
  kind: string;
  offeredPerSec: number;
  perSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  skipped: number;
  statuses: Record<string, number>;
  cacheHitShare: number;
  /** Means from Server-Timing: the edge's whole time, its wait on the origin, the origin's database time. */
  edgeMs: number;
  originMs: number;
  dbMs: number;
}

export interface LoadResult {
  settings: Record<string, number | string>;
  routes: RouteFigures[];
  headline: {
    pageViewsPerSec: number;
    eventsPerSec: number;
    homeP99Ms: number;
    pageP99Ms: number;
    postToVisibleP99Ms: number;
    errors: number;
  };
  postToVisible: { samples: number; misses: number; p50Ms: number; p99Ms: number };
  system: {
    cpuCores: Record<string, number>;
    eventLoopLagP99MsMax: number;
    fanoutLagP99MsMax: number;
    queueWaitingMax: number;
  };
  /** PostgreSQL's execution time in the measured window (pg_stat_statements), per request served. */
  database: DatabaseStats & { execMsPerRequest: number | null };
  errorSamples: string[];
}

const round = (n: number, places = 1) => Math.round(n * 10 ** places) / 10 ** places;

function sortedIn(stats: RouteStats[], from: number, to: number): number[] {
  const out: number[] = [];
  for (const s of stats)
    for (let i = 0; i < s.latencies.length; i++) if (s.at[i]! >= from && s.at[i]! < to) out.push(s.latencies[i]!);
  return out.sort((a, b) => a - b);
}

export function summarize(
  settings: Record<string, number | string>,
  runs: { stats: RouteStats; offered: number }[],
  window: { from: number; to: number },
  visible: VisibleSample[],
  system: SystemSample[],
  database: DatabaseStats,
): LoadResult {
  const seconds = (window.to - window.from) / 1000;
  const routes: RouteFigures[] = runs.map(({ stats, offered }) => {
    const lat = sortedIn([stats], window.from, window.to);
    const per = (ms: number) => (stats.timed ? round(ms / stats.timed) : 0);
    return {
      route: stats.spec.name,
      kind: stats.spec.kind,
      offeredPerSec: round(offered),
      perSec: round(lat.length / seconds),
      p50Ms: round(percentile(lat, 50)),
      p95Ms: round(percentile(lat, 95)),
      p99Ms: round(percentile(lat, 99)),
      errors: stats.errors,
      skipped: stats.skipped,
      statuses: Object.fromEntries(stats.statuses),
      cacheHitShare: stats.timed ? round(stats.cacheHits / stats.timed, 3) : 0,
      edgeMs: per(stats.edgeMs),
      originMs: per(stats.originMs),
      dbMs: per(stats.dbMs),
    };
  });
  const pages = runs.filter((r) => r.stats.spec.kind === 'page').map((r) => r.stats);
  const home = pages.filter((s) => s.spec.name === 'home');
  const events = routes.filter((r) => r.kind === 'event');
  const measured = visible.filter((v) => v.at >= window.from && v.at < window.to);
  const seen = measured.flatMap((v) => (v.ms === null ? [] : [v.ms])).sort((a, b) => a - b);
  // A post never seen counts as infinitely late: more than 1 % of them and p99 is Infinity.
  const withMisses = [...seen, ...measured.filter((v) => v.ms === null).map(() => Number.POSITIVE_INFINITY)];
  const inWindow = system.filter((s) => s.at >= window.from && s.at <= window.to + 2000);
  const cpuCores: Record<string, number> = {};
  for (const s of inWindow)
    for (const [k, v] of Object.entries(s.cpu)) cpuCores[k] = (cpuCores[k] ?? 0) + v / inWindow.length;
  const errors = routes.reduce((n, r) => n + r.errors, 0);
  const served = routes.reduce((n, r) => n + r.perSec, 0) * seconds;
  return {
    settings,
    routes,
    headline: {
      pageViewsPerSec: round(routes.filter((r) => r.kind === 'page').reduce((n, r) => n + r.perSec, 0)),
      eventsPerSec: round(events.reduce((n, r) => n + r.perSec, 0)),
      homeP99Ms: round(percentile(sortedIn(home, window.from, window.to), 99)),
      pageP99Ms: round(percentile(sortedIn(pages, window.from, window.to), 99)),
      postToVisibleP99Ms: round(percentile(withMisses, 99)),
      errors,
    },
    postToVisible: {
      samples: measured.length,
      misses: measured.length - seen.length,
      p50Ms: round(percentile(seen, 50)),
      p99Ms: round(percentile(withMisses, 99)),
    },
    system: {
      cpuCores: Object.fromEntries(Object.entries(cpuCores).map(([k, v]) => [k, round(v, 2)])),
      eventLoopLagP99MsMax: round(Math.max(0, ...inWindow.map((s) => s.eventLoopLagP99Ms))),
      fanoutLagP99MsMax: round(Math.max(0, ...inWindow.map((s) => s.fanoutLagP99Ms ?? 0))),
      queueWaitingMax: Math.max(0, ...inWindow.map((s) => s.queueWaiting)),
    },
    database: {
      ...database,
      execMsPerRequest: database.available && served ? round(database.totalExecMs / served, 2) : null,
    },
    errorSamples: runs.flatMap((r) => r.stats.errorSamples.map((e) => `${r.stats.spec.name} ${e}`)).slice(0, 20),
  };
}

type Series = { name: string; color: string; points: [number, number][] };

/** A line chart as inline SVG: x in seconds from the start, y from 0 to the largest value. */
function chart(title: string, unit: string, series: Series[]): string {
  const W = 640;
  const H = 200;
  const pad = 40;
  const all = series.flatMap((s) => s.points);
  const maxX = Math.max(1, ...all.map((p) => p[0]));
  const maxY = Math.max(1, ...all.map((p) => (Number.isFinite(p[1]) ? p[1] : 0)));
  const x = (v: number) => pad + (v / maxX) * (W - 2 * pad);
  const y = (v: number) => H - pad + -(Math.min(v, maxY) / maxY) * (H - 2 * pad);
  const lines = series
    .map(
      (s) =>
        `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${s.points.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ')}"/>`,
    )
    .join('');
  const legend = series.map((s, i) => `<text x="${pad + i * 150}" y="14" fill="${s.color}">${s.name}</text>`).join('');
  return `<h2>${title}</h2><svg width="${W}" height="${H}" font-size="11" font-family="sans-serif">
<line x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}" stroke="#999"/><line x1="${pad}" y1="${pad}" x2="${pad}" y2="${H - pad}" stroke="#999"/>
<text x="2" y="${pad}">${round(maxY)} ${unit}</text><text x="${W - pad - 30}" y="${H - pad + 15}">${round(maxX)} s</text>${legend}${lines}</svg>`;
}

/** Per 5-second bucket: percentiles of latency and requests/s. */
function buckets(stats: RouteStats[], from: number, to: number, q: number | 'rate'): [number, number][] {
  const out: [number, number][] = [];
  for (let t = from; t < to; t += 5000) {
    const lat = sortedIn(stats, t, t + 5000);
    out.push([(t - from) / 1000, q === 'rate' ? lat.length / 5 : lat.length ? percentile(lat, q) : 0]);
  }
  return out;
}

export function writeReport(
  dir: string,
  result: LoadResult,
  runs: RouteStats[],
  start: number,
  end: number,
  visible: VisibleSample[],
  system: SystemSample[],
) {
  writeFileSync(join(dir, 'load.json'), `${JSON.stringify({ ...result, visible, system }, null, 1)}\n`);
  const pages = runs.filter((s) => s.spec.kind === 'page');
  const events = runs.filter((s) => s.spec.kind === 'event');
  const home = runs.filter((s) => s.spec.name === 'home');
  const rel = (at: number) => (at - start) / 1000;
  const rows = result.routes
    .map(
      (r) =>
        `<tr><td>${r.route}</td><td>${r.offeredPerSec}</td><td>${r.perSec}</td><td>${r.p50Ms}</td><td>${r.p95Ms}</td><td>${r.p99Ms}</td><td>${r.errors}</td><td>${r.cacheHitShare}</td><td>${r.edgeMs}</td><td>${r.originMs}</td><td>${r.dbMs}</td></tr>`,
    )
    .join('\n');
  const html = `<!doctype html><meta charset="utf-8"><title>Chorus load test</title>
<style>body{font-family:sans-serif;max-width:700px;margin:1em auto}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}</style>
<h1>Chorus load test</h1>
<p>${Object.entries(result.settings)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}</p>
<pre>${JSON.stringify(result.headline)}</pre>
<table><tr><th>route</th><th>offered/s</th><th>served/s</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>errors</th><th>cache hits</th><th>edge ms</th><th>origin ms</th><th>db ms</th></tr>
${rows}</table>
<p>CPU (cores): ${JSON.stringify(result.system.cpuCores)}</p>
<p>PostgreSQL execution time per request served: ${result.database.execMsPerRequest ?? 'n/a (pg_stat_statements not preloaded)'} ms</p>
<table><tr><th>statement</th><th>calls</th><th>total ms</th><th>mean ms</th></tr>
${result.database.top.map((t) => `<tr><td style="text-align:left">${t.query.replace(/</g, '&lt;')}</td><td>${t.calls}</td><td>${t.totalMs}</td><td>${t.meanMs}</td></tr>`).join('\n')}</table>
${chart('Page latency', 'ms', [
  { name: 'pages p50', color: '#2a7', points: buckets(pages, start, end, 50) },
  { name: 'pages p99', color: '#c33', points: buckets(pages, start, end, 99) },
  { name: 'home p99', color: '#33c', points: buckets(home, start, end, 99) },
])}
${chart('Throughput', 'req/s', [
  { name: 'page views/s', color: '#33c', points: buckets(pages, start, end, 'rate') },
  { name: 'events/s', color: '#c63', points: buckets(events, start, end, 'rate') },
])}
${chart('Post to visible', 'ms', [
  { name: 'each probe', color: '#939', points: visible.filter((v) => v.ms !== null).map((v) => [rel(v.at), v.ms!]) },
])}
${chart('Lag and queue', 'ms / jobs', [
  { name: 'fan-out lag p99', color: '#c33', points: system.map((s) => [rel(s.at), s.fanoutLagP99Ms ?? 0]) },
  { name: 'event-loop lag p99', color: '#2a7', points: system.map((s) => [rel(s.at), s.eventLoopLagP99Ms]) },
  { name: 'jobs waiting', color: '#33c', points: system.map((s) => [rel(s.at), s.queueWaiting]) },
])}
`;
  writeFileSync(join(dir, 'load.html'), html);
}
