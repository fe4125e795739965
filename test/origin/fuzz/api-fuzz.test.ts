// Fuzzes every /v1 route of the origin (in process, on the real databases when configured) with
// hostile requests: no answer may be a 5xx, every 4xx is a parseable problem+json, every 2xx is
// JSON, and a 4xx changes nothing in any database. FUZZ_SEED=<n> replays a run (test/support/fuzz/seed.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../origin/api/openapi.js';
import { createApp } from '../../../origin/app.js';
import { ConfigSchema } from '../../../origin/config.js';
import type { OriginContext } from '../../../origin/context.js';
import { Problem } from '../../../shared/api.js';
import { DatabaseFingerprint, type Fingerprint } from '../../support/fuzz/fingerprint.js';
import { announceSeed, FuzzFailure, fuzz, fuzzRuns } from '../../support/fuzz/seed.js';
import { FUZZ_ORIGIN_ENV, revive, seedWorld, signUp, type World } from '../../support/fuzz/world.js';
import { type Harness, startHarness, TEST_SECRET } from '../../support/origin-harness.js';
import { type FuzzRequest, paramGenerators, requestFor, send, strayRequest } from './api-requests.js';
import { type ApiRoute, apiRoutes } from './api-routes.js';

// The route table is read at collection time (one test per route): createApp only registers
// routes, so a context holding just the configuration is enough here.
const config = ConfigSchema.parse({ ORIGIN_SECRET: TEST_SECRET, LOG_LEVEL: 'silent' });
const listed = createApp({ config } as unknown as OriginContext).routes;
const { routes, missing } = apiRoutes(listed, openApiDocument());

const RUNS = fuzzRuns(30);

let h: Harness;
let world: World;
let fingerprint: DatabaseFingerprint;
let settled: Fingerprint;

beforeAll(async () => {
  announceSeed('origin /v1');
  h = await startHarness({ env: FUZZ_ORIGIN_ENV });
  world = await seedWorld(h);
  fingerprint = new DatabaseFingerprint(
    () => h.runtime.ctx.cluster.all(),
    [world.a.id, world.b.id, ...world.unknownTenants],
  );
  settled = await fingerprint.take();
});

afterAll(async () => {
  // What the runs reached, so a generator that only ever meets validation shows up.
  const lines = [...statuses].map(
    ([route, counts]) =>
      `  ${route}: ${[...counts]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}x${n}`)
        .join(' ')}`,
  );
  console.log(`[fuzz] origin answers per route:\n${lines.join('\n')}`);
  await h?.close();
});

const statuses = new Map<string, Map<number, number>>();
function count(route: string, status: number) {
  const counts = statuses.get(route) ?? new Map<number, number>();
  counts.set(status, (counts.get(status) ?? 0) + 1);
  statuses.set(route, counts);
}

/** Checks one answer; a write's 2xx may change things, so the state is settled and taken anew. */
async function check(route: ApiRoute, req: FuzzRequest): Promise<void> {
  const name = `${route.method} ${route.path}`;
  const res = await send(h, req);
  count(name, res.status);
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const fail = (problem: string): never => {
    throw new FuzzFailure('origin', name, req, problem);
  };
  if (res.status >= 500) fail(`answered ${res.status}: ${text.slice(0, 500)}`);
  // A deleted account's stale session, an unknown id, another community's member: never a member
  // here, so whatever it answers, acting as one changes nothing.
  const stranger = route.auth && req.as.stranger === true;
  if (res.status >= 400 && req.method !== 'HEAD') {
    if (type !== 'application/problem+json') fail(`${res.status} with content-type "${type}"`);
    const problem = Problem.safeParse(safeJson(text));
    if (!problem.success || problem.data.status !== res.status) fail(`${res.status} with a bad problem: ${text}`);
  } else if (req.method !== 'HEAD') {
    if (res.status !== 204 && !/^application\/(activity\+)?json/.test(type)) fail(`${res.status} with "${type}"`);
    if (res.status !== 204 && safeJson(text) === undefined) {
      fail(`${res.status} with a body that is not JSON: ${JSON.stringify(text.slice(0, 300))}`);
    }
  }
  // Reads change nothing whatever they answer (and need no settling: nothing was queued).
  if (res.status >= 400 || stranger || route.method === 'GET' || route.method === 'HEAD') {
    const changed = DatabaseFingerprint.diff(settled, await fingerprint.take());
    const who = stranger ? ` signed by ${req.as.label}` : res.status < 400 ? ' to a read' : '';
    if (changed.length) fail(`answered ${res.status}${who} but changed the databases:\n    ${changed.join('\n    ')}`);
    return;
  }
  await h.settle();
  settled = await fingerprint.take();
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Routes that end the caller's sessions or account or change its password act as new members. */
const endsOwnAccount = (r: ApiRoute) =>
  (r.method === 'DELETE' || r.method === 'PUT') && /^\/v1\/(members\/me|sessions)(\/|$)/.test(r.path);

let scratch = 0;
async function actorsFor(route: ApiRoute): Promise<World['actors']> {
  if (endsOwnAccount(route)) {
    const n = ++scratch;
    return {
      member: await signUp(h, world.a.id, `scratch_${n}_a`),
      friend: await signUp(h, world.a.id, `scratch_${n}_b`),
      other: await signUp(h, world.b.id, `scratch_${n}_c`),
    };
  }
  // Any other route that ended a session (or an account) on the way: the world's members go on.
  const { member, friend, other } = world.actors;
  world.actors = { member: await revive(h, member), friend: await revive(h, friend), other: await revive(h, other) };
  return world.actors;
}

describe('fuzzing the origin API', () => {
  it('knows every /v1 route the app serves, and a generator for each of its path parameters', () => {
    expect(missing).toEqual([]);
    expect(routes.length).toBeGreaterThan(25);
    const known = Object.keys(paramGenerators(world));
    const unknown = routes.flatMap((r) => r.params.filter((p) => !known.includes(p)).map((p) => `${r.path} :${p}`));
    expect(unknown, 'path parameters without a generator (test/origin/fuzz/api-requests.ts)').toEqual([]);
    // The app the harness serves has the same routes as the one read at collection time.
    expect(h.app.routes.map((r) => `${r.method} ${r.path}`)).toEqual(listed.map((r) => `${r.method} ${r.path}`));
  });

  it('the fingerprint sees a write of the fuzzed tenants (so an unchanged one means something)', async () => {
    const res = await h.call('POST', '/v1/posts', { member: world.a.members.ann, body: { text: 'control' } });
    expect(res.status).toBe(201);
    await h.settle();
    const after = await fingerprint.take();
    expect(DatabaseFingerprint.diff(settled, after).join()).toMatch(/items: \d+ -> \d+ rows/);
    settled = after;
  });

  it('any method on any path: no 5xx, problem+json, nothing changed but by a route that writes', async () => {
    const stray: ApiRoute = { method: 'ANY', path: '(stray)', params: [], query: [], body: null, auth: false };
    const actors = await actorsFor(stray);
    await fuzz('stray', strayRequest(routes, world, actors), RUNS * 2, (req) =>
      check({ ...stray, method: req.method }, req),
    );
  });

  for (const route of routes) {
    const name = `${route.method} ${route.path}`;
    it(name, async () => {
      const actors = await actorsFor(route);
      // From a settled state, whatever the route before left behind (a failure stops mid-run).
      await h.settle();
      settled = await fingerprint.take();
      await fuzz(name, requestFor(route, world, actors), RUNS, (req) => check(route, req));
    });
  }
});
