// What the load test watches besides the requests themselves:
//   - post-to-visible: a logged-in member posts through the edge now and then, and a logged-in
//     friend reloads their home page until the post is on it (the time from the post's answer
//     until then);
//   - every two seconds: each origin's event-loop lag, fan-out lag and queue depth (its
//     /metrics), and the CPU time of PostgreSQL, Redis, the origins, the edge (workerd) and the
//     load generator itself, from /proc.
import { readdirSync, readFileSync } from 'node:fs';
import { RICH_UA } from '../bench/support-edge.js';
import { edgeRequest } from '../support/edge-process.js';
import { LOAD_HOST } from './community.js';
import type { LoadSession } from './sessions.js';
import type { Stack } from './stack.js';

export interface VisibleSample {
  at: number;
  ms: number | null;
}

/** Every `everyMs`, a post by a member with a friend online, timed until that friend sees it. */
export function startPostToVisible(edgePort: number, sessions: LoadSession[], everyMs: number, timeoutMs = 10_000) {
  const samples: VisibleSample[] = [];
  const authors = sessions.filter((s) => s.friendsOnline.length > 0);
  if (authors.length === 0) throw new Error('post-to-visible needs two logged-in friends');
  let stopped = false;
  let n = 0;
  const headers = (s: LoadSession) => ({
    host: LOAD_HOST,
    'user-agent': RICH_UA,
    accept: 'text/html',
    cookie: s.cookie,
  });
  const probe = async () => {
    const author = authors[n % authors.length]!;
    const reader = author.friendsOnline[n % author.friendsOnline.length]!;
    const marker = `visible-probe-${process.pid}-${n++}`;
    const body = new URLSearchParams({ _csrf: author.csrf, text: `${marker} checking in`, audience: 'friends' });
    const posted = await edgeRequest(
      edgePort,
      'POST',
      '/posts',
      { ...headers(author), 'content-type': 'application/x-www-form-urlencoded' },
      body.toString(),
    );
    const at = Date.now();
    if (posted.status !== 303) return samples.push({ at, ms: null });
    for (;;) {
      const page = await edgeRequest(edgePort, 'GET', '/home', headers(reader));
      if (page.status === 200 && page.body.includes(marker)) return samples.push({ at, ms: Date.now() - at });
      if (Date.now() - at > timeoutMs || stopped) return samples.push({ at, ms: null });
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const loop = (async () => {
    while (!stopped) {
      const started = Date.now();
      await probe().catch(() => samples.push({ at: Date.now(), ms: null }));
      await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - started))));
    }
  })();
  return {
    samples,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

export interface SystemSample {
  at: number;
  /** Cores busy over the last interval, by process group. */
  cpu: Record<string, number>;
  eventLoopLagP99Ms: number;
  fanoutLagP99Ms: number | null;
  queueWaiting: number;
  queueActive: number;
}

const TICKS = 100; // USER_HZ on Linux

/** Every process's command name and CPU ticks so far. */
function processTimes(): Map<number, { name: string; ticks: number; cmd: string }> {
  const out = new Map<number, { name: string; ticks: number; cmd: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
      const cmd = name === 'node' ? readFileSync(`/proc/${entry}/cmdline`, 'utf8') : '';
      out.set(Number(entry), { name, ticks, cmd });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function groupOf(pid: number, p: { name: string; cmd: string }, originPids: Set<number>): string | null {
  if (p.name.startsWith('postgres')) return 'postgres';
  if (p.name.startsWith('redis-server')) return 'redis';
  if (p.name.startsWith('workerd')) return 'edge';
  if (p.name.startsWith('haproxy')) return 'haproxy';
  if (originPids.has(pid) || p.cmd.includes('origin/main.ts')) return 'origin';
  if (pid === process.pid) return 'loadgen';
  return null;
}

/** A Prometheus histogram's cumulative bucket counts (le -> count), summed into `into`. */
function addBuckets(text: string, name: string, into: Map<number, number>) {
  for (const m of text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))) {
    const le = m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]);
    into.set(le, (into.get(le) ?? 0) + Number(m[2]));
  }
}

/** The q-quantile (upper bucket bound) of what was observed between two bucket snapshots. */
function intervalQuantile(now: Map<number, number>, before: Map<number, number>, q: number): number | null {
  const bounds = [...now.keys()].sort((a, b) => a - b);
  const counts = bounds.map((le) => (now.get(le) ?? 0) - (before.get(le) ?? 0));
  const total = counts.at(-1) ?? 0;
  if (total <= 0) return null;
  const i = counts.findIndex((n) => n >= total * q);
  return i < 0 ? null : bounds[i]!;
}

const gauge = (text: string, re: RegExp) => Number(re.exec(text)?.[1] ?? 0);

export function startSystemSampler(stack: Stack, everyMs = 2000) {
  const samples: SystemSample[] = [];
  const originPids = new Set(stack.origins.map((o) => o.pid));
  let last = processTimes();
  let lastAt = Date.now();
  let lastFanout = new Map<number, number>();
  const timer = setInterval(async () => {
    const now = processTimes();
    const at = Date.now();
    const cpu: Record<string, number> = {};
    for (const [pid, p] of now) {
      const group = groupOf(pid, p, originPids);
      if (!group) continue;
      const before = last.get(pid)?.ticks ?? p.ticks; // a process born meanwhile counts from here
      cpu[group] = (cpu[group] ?? 0) + (p.ticks - before) / TICKS / ((at - lastAt) / 1000);
    }
    last = now;
    lastAt = at;
    let lag = 0;
    let waiting = 0;
    let active = 0;
    const fanoutBuckets = new Map<number, number>();
    for (const o of stack.origins) {
      const text = await fetch(`http://127.0.0.1:${o.port}/metrics`)
        .then((r) => r.text())
        .catch(() => '');
      lag = Math.max(lag, gauge(text, /^nodejs_eventloop_lag_p99_seconds (\S+)$/m) * 1000);
      // Every origin reads the same queue: take one origin's view of it.
      waiting = gauge(text, /^chorus_queue_jobs\{state="waiting"\} (\S+)$/m);
      active = gauge(text, /^chorus_queue_jobs\{state="active"\} (\S+)$/m);
      addBuckets(text, 'chorus_fanout_lag_seconds', fanoutBuckets);
    }
    const fanout = intervalQuantile(fanoutBuckets, lastFanout, 0.99);
    lastFanout = fanoutBuckets;
    samples.push({
      at,
      cpu,
      eventLoopLagP99Ms: lag,
      fanoutLagP99Ms: fanout === null ? null : fanout * 1000,
      queueWaiting: waiting,
      queueActive: active,
    });
  }, everyMs);
  return {
    samples,
    stop: () => clearInterval(timer),
  };
}
