// The whole-system load test: builds the community, starts origins (+ HAProxy) and the edge,
// logs members in, then offers the traffic mix at a fixed rate for the run's duration while the
// probes watch, and writes test/output/load/load.json and load.html. Used by `npm run load` and
// `npm run bench -- load`.
import { mkdirSync } from 'node:fs';
import { buildCommunity, type CommunityOptions } from './community.js';
import { databaseStats } from './database-stats.js';
import { startPostToVisible, startSystemSampler } from './probes.js';
import { type LoadResult, summarize, writeReport } from './report.js';
import { logIn } from './sessions.js';
import { OUTPUT_DIR, startStack } from './stack.js';
import { EVENT_ROUTES, PAGE_ROUTES, RequestFactory, runRoute } from './traffic.js';

export interface LoadOptions extends CommunityOptions {
  seconds: number;
  warmupSeconds: number;
  pageViewsPerSec: number;
  eventsPerSec: number;
  origins: number;
  sessions: number;
  probeEveryMs: number;
}

export const LOAD_DEFAULTS: LoadOptions = {
  seconds: 300,
  warmupSeconds: 20,
  pageViewsPerSec: 200,
  eventsPerSec: 20,
  origins: 1,
  sessions: 400,
  probeEveryMs: 1000,
  members: 2000,
  meanFriends: 150,
  celebrities: 3,
  celebrityLimit: 500,
  historyPerMember: 3,
  seed: 42,
};

const log = (line: string) => console.log(`[load ${new Date().toISOString().slice(11, 19)}] ${line}`);

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const community = await buildCommunity(opts, log);
  log(`starting ${opts.origins} origin process(es) and the edge`);
  const stack = await startStack(community.settings, opts.origins);
  try {
    log(`logging ${opts.sessions} members in through the edge`);
    const sessions = await logIn(stack.edge.port, community, opts.sessions);
    const factory = new RequestFactory(community, sessions, community.settings.ORIGIN_SECRET!);
    const likeShare = 0.25 / (0.25 + 0.15);
    const signedRate = opts.eventsPerSec * 0.4;
    await factory.refillSigned(Math.ceil(signedRate * 3) + 10, likeShare);
    const refill = setInterval(() => void factory.refillSigned(Math.ceil(signedRate * 3) + 10, likeShare), 200);

    const total = opts.warmupSeconds + opts.seconds;
    const edgeUrl = `http://127.0.0.1:${stack.edge.port}`;
    const isRedirect = (s: number) => s === 303;
    const runs = [
      ...PAGE_ROUTES.map((spec) => {
        const offered = opts.pageViewsPerSec * spec.share;
        const run = runRoute(
          edgeUrl,
          spec,
          offered,
          total,
          () => factory.page(spec.name),
          (s) => s === 200,
          '/_edge/health',
        );
        return { ...run, offered };
      }),
      ...EVENT_ROUTES.map((spec) => {
        const direct = spec.name === 'like' || spec.name === 'comment';
        return runRoute(
          direct ? stack.originUrl : edgeUrl,
          spec,
          opts.eventsPerSec * spec.share,
          total,
          () => factory.event(spec.name),
          direct ? (s) => s === 201 : isRedirect,
          direct ? '/healthz' : '/_edge/health',
        );
      }),
    ];
    const start = Date.now();
    const dbStats = databaseStats();
    const warmupOver = setTimeout(() => void dbStats.reset(), opts.warmupSeconds * 1000);
    const system = startSystemSampler(stack);
    const visible = startPostToVisible(stack.edge.port, sessions, opts.probeEveryMs);
    const progress = setInterval(() => {
      const elapsed = (Date.now() - start) / 1000;
      const recent = (kind: string) =>
        runs
          .filter((r) => r.stats.spec.kind === kind)
          .reduce((n, r) => n + r.stats.at.filter((t) => t > Date.now() - 5000).length, 0) / 5;
      const errors = runs.reduce((n, r) => n + r.stats.errors, 0);
      const lastVisible = visible.samples.at(-1);
      const sys = system.samples.at(-1);
      log(
        `${elapsed.toFixed(0)}/${total} s${elapsed < opts.warmupSeconds ? ' (warm-up)' : ''}: ` +
          `${recent('page').toFixed(0)} pages/s, ${recent('event').toFixed(1)} events/s, ${errors} errors, ` +
          `post-to-visible ${lastVisible?.ms ?? '-'} ms, fan-out lag p99 ${sys?.fanoutLagP99Ms ?? '-'} ms, ` +
          `jobs waiting ${sys?.queueWaiting ?? '-'}`,
      );
    }, 5000);
    await Promise.all(runs.map((r) => r.done));
    const end = Date.now();
    clearTimeout(warmupOver);
    const database = await dbStats.read();
    await dbStats.close();
    clearInterval(progress);
    clearInterval(refill);
    await visible.stop();
    system.stop();

    const window = { from: start + opts.warmupSeconds * 1000, to: end };
    const settings = {
      seconds: opts.seconds,
      offeredPageViewsPerSec: opts.pageViewsPerSec,
      offeredEventsPerSec: opts.eventsPerSec,
      origins: opts.origins,
      members: opts.members,
      meanFriends: opts.meanFriends,
      sessions: opts.sessions,
    };
    const result = summarize(
      settings,
      runs.map((r) => ({ stats: r.stats, offered: r.offered })),
      window,
      visible.samples,
      system.samples,
      database,
    );
    writeReport(
      OUTPUT_DIR,
      result,
      runs.map((r) => r.stats),
      start,
      end,
      visible.samples,
      system.samples,
    );
    return result;
  } finally {
    await stack.stop();
  }
}

/** Options from the environment (LOAD_SECONDS, LOAD_PAGE_RATE, ...) over the defaults. */
export function loadOptionsFromEnv(base: LoadOptions = LOAD_DEFAULTS): LoadOptions {
  const num = (name: string, fallback: number) => {
    const raw = process.env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number ≥ 0, not ${raw}`);
    return n;
  };
  return {
    ...base,
    seconds: num('LOAD_SECONDS', base.seconds),
    warmupSeconds: num('LOAD_WARMUP_SECONDS', base.warmupSeconds),
    pageViewsPerSec: num('LOAD_PAGE_RATE', base.pageViewsPerSec),
    eventsPerSec: num('LOAD_EVENT_RATE', base.eventsPerSec),
    origins: Math.max(1, num('LOAD_ORIGINS', base.origins)),
    sessions: num('LOAD_SESSIONS', base.sessions),
    members: num('LOAD_MEMBERS', base.members),
    meanFriends: num('LOAD_MEAN_FRIENDS', base.meanFriends),
    celebrities: num('LOAD_CELEBRITIES', base.celebrities),
    historyPerMember: num('LOAD_HISTORY', base.historyPerMember),
    probeEveryMs: num('LOAD_PROBE_MS', base.probeEveryMs),
  };
}
