// Fuzzes every route of the edge (`wrangler dev` in front of a live origin on the real databases)
// with hostile paths, query parameters and form posts, as anonymous visitors and members on a
// smartphone, a feature phone and a phone without cookies: no answer is a 5xx, every page is a
// friendly page in the visitor's tier (well-formed XML on the basic tier), redirects stay on the
// site, and a 4xx changes nothing in the databases. FUZZ_SEED=<n> replays a run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeProcess, startEdge } from '../support/edge-process.js';
import { DatabaseFingerprint, type Fingerprint } from '../support/fuzz/fingerprint.js';
import { announceSeed, FuzzFailure, fuzz, fuzzRuns } from '../support/fuzz/seed.js';
import { FUZZ_ORIGIN_ENV, seedWorld, type World } from '../support/fuzz/world.js';
import { xmlProblem } from '../support/fuzz/xml.js';
import { type Harness, startHarness, TEST_SECRET } from '../support/origin-harness.js';
import { answerProblem, sendFuzz } from './fuzz/edge-checks.js';
import { type EdgeFuzzRequest, type EdgeRoute, edgeRequestFor, edgeRoutes, ROUTES } from './fuzz/edge-routes.js';
import { checkMemberText } from './fuzz/member-text.js';
import { OriginTap } from './fuzz/origin-tap.js';
import { anonymous, DEVICES, type EdgeSite, type FuzzVisitor, loggedIn, rawRequest } from './fuzz/visitors.js';

const RUNS = fuzzRuns(20);
const routes = edgeRoutes();

let h: Harness;
let tap: OriginTap;
let origin: { url: string; close(): Promise<void> };
let edge: EdgeProcess;
let world: World;
let site: EdgeSite;
let fingerprint: DatabaseFingerprint;
let settled: Fingerprint;
/** Index into tap.writes when `settled` was taken. */
let settledAt = 0;
const visitors: Record<string, FuzzVisitor> = {};
/** Posts to the routes that end sessions (log-outs), so nobody else's session is at stake there. */
const LEAVER = 'zed on a smartphone';

beforeAll(async () => {
  announceSeed('edge');
  h = await startHarness({ env: FUZZ_ORIGIN_ENV });
  world = await seedWorld(h);
  tap = new OriginTap(h);
  origin = await tap.serve();
  edge = await startEdge({
    ORIGIN_URL: origin.url,
    ORIGIN_SECRET: TEST_SECRET,
    SESSION_SECRET: 'fuzz-edge-session-secret-0123456789abcdef',
  });
  site = { port: edge.port, host: world.a.host };
  const all = await Promise.all([
    anonymous(site, 'anonymous smartphone', DEVICES.smartphone),
    anonymous(site, 'anonymous feature phone', DEVICES.featurePhone),
    loggedIn(site, 'ann on a smartphone', DEVICES.smartphone, 'ann'),
    loggedIn(site, 'bob on a feature phone', DEVICES.featurePhone, 'bob'),
    loggedIn(site, 'cat on a phone without cookies', DEVICES.cookielessPhone, 'cat'),
    loggedIn(site, LEAVER, DEVICES.smartphone, 'zed'),
  ]);
  for (const v of all) visitors[v.label] = v;
  // Cookies nobody issued: a session cookie of another secret's making, a malformed anonymous id.
  const forged = 'chorus_session=1.2.3.deadbeef; chorus_anon=../../x; chorus_session=%00';
  const anon = visitors['anonymous smartphone']!;
  visitors['forged cookies'] = { ...anon, label: 'forged cookies', cookie: forged };
  fingerprint = new DatabaseFingerprint(
    () => h.runtime.ctx.cluster.all(),
    [world.a.id, world.b.id, ...world.unknownTenants],
  );
  await resettle();
});

afterAll(async () => {
  // What the runs reached, so a generator that only ever meets the CSRF check shows up.
  const lines = [...answers].map(
    ([route, counts]) =>
      `  ${route}: ${[...counts]
        .sort()
        .map(([s, n]) => `${s}x${n}`)
        .join(' ')}`,
  );
  console.log(`[fuzz] edge answers per route:\n${lines.join('\n')}`);
  await edge?.stop();
  await origin?.close();
  await h?.close();
});

async function resettle() {
  await tap.idle();
  await h.settle();
  settledAt = tap.writes.length;
  settled = await fingerprint.take();
}

const answers = new Map<string, Map<number, number>>();

/** Members whose sessions the origin ended since `from` (a log-out, say) log in again. */
async function logInAgainIfEnded(from: number) {
  const ended = tap.acceptedSince(from).some((w) => /^\/v1\/(sessions|members\/me)(\/|$)/.test(w.path));
  if (!ended) return;
  for (const v of Object.values(visitors)) {
    if (v.member) visitors[v.label] = await loggedIn(site, v.label, v.device, v.member);
  }
}

async function check(route: EdgeRoute, req: EdgeFuzzRequest): Promise<void> {
  const name = `${route.method} ${route.path}`;
  const visitor = visitors[req.visitor]!;
  const fail = (problem: string): never => {
    throw new FuzzFailure('edge', `${name} as ${req.visitor}`, req, problem);
  };
  const res = await sendFuzz(site, visitor, req);
  const counts = answers.get(name) ?? new Map<number, number>();
  answers.set(name, counts.set(res.status, (counts.get(res.status) ?? 0) + 1));
  await tap.idle();
  const problem = answerProblem(res, visitor, site, ROUTES[name] !== null);
  if (problem) fail(problem);
  if (res.status >= 400) {
    const own = tap.acceptedSince(settledAt).filter((w) => w.requestId === res.requestId);
    if (own.length) fail(`answered ${res.status}, but the origin accepted ${own.map((w) => `${w.method} ${w.path}`)}`);
    const changed = DatabaseFingerprint.diff(settled, await fingerprint.take());
    if (changed.length === 0) return;
    // Only an earlier request's late write (a page marks notifications seen once it is out) may explain it.
    if (tap.acceptedSince(settledAt).length === 0) {
      fail(`answered ${res.status} but changed the databases:\n    ${changed.join('\n    ')}`);
    }
  }
  // Nothing changes but through a write the origin accepted.
  if (tap.acceptedSince(settledAt).length > 0) await resettle();
}

// First, while no page is cached yet: the posts it makes go to the origin, past the edge's purges.
describe('member text on basic-tier pages', () => {
  it('every character a member may type leaves the home, profile and front pages well-formed XML', async () => {
    await checkMemberText(h, world, site, visitors['bob on a feature phone']!, visitors['anonymous feature phone']!);
  });
});

// Cases the fuzzing found, kept as plain tests.
describe('basic-tier pages that echo what a visitor sent', () => {
  const phone = () => visitors['anonymous feature phone']!;
  const expectXml = (res: { status: number; body: string }, status: number) => {
    expect(res.status).toBe(status);
    expect(res.body).toContain('class="tier-basic"');
    expect(xmlProblem(res.body)).toBeNull();
  };

  it('a sign-up form shown again with control characters in its fields is well-formed XML', async () => {
    const fields = { username: 'a\u0000\u0001b', displayName: 'c\u0007d\ufffe', password: 'x', _csrf: phone().csrf };
    const res = await rawRequest(
      site,
      phone().device,
      'POST',
      '/signup',
      {
        cookie: phone().cookie,
        'content-type': 'application/x-www-form-urlencoded',
      },
      new URLSearchParams(fields).toString(),
    );
    expectXml(res, 400);
    expect(res.body).toContain('value="ab"');
  });

  it('an unknown kind of update with a control character in it is a well-formed 400 page', async () => {
    const bob = visitors['bob on a feature phone']!;
    const res = await rawRequest(site, bob.device, 'GET', '/home?types=%07x%1B', { cookie: bob.cookie });
    expectXml(res, 400);
    expect(res.body).toContain('called “x”');
  });
});

describe('fuzzing the edge', () => {
  it('knows every route of edge/worker.ts', () => {
    const listed = routes.map((r) => `${r.method} ${r.path}`);
    expect(
      listed.filter((r) => !(r in ROUTES)),
      'routes without a generator (test/e2e/fuzz/edge-routes.ts)',
    ).toEqual([]);
    expect(
      Object.keys(ROUTES).filter((r) => !listed.includes(r)),
      'generators of routes that are gone',
    ).toEqual([]);
  });

  for (const route of routes) {
    const name = `${route.method} ${route.path}`;
    it(name, async () => {
      const leaver = ROUTES[name]?.leaver === true;
      const who = Object.keys(visitors).filter((v) => (leaver ? v === LEAVER || !visitors[v]!.member : v !== LEAVER));
      const from = tap.writes.length;
      try {
        await fuzz(`edge ${name}`, edgeRequestFor(route, world, who), RUNS, (req) => check(route, req));
      } finally {
        await logInAgainIfEnded(from);
      }
    });
  }
});
