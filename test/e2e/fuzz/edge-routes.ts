// The edge's routes, read from edge/worker.ts (the worker runs in workerd, so its Hono app cannot
// be imported here), and a hostile request for each: path segments, query parameters, and for
// forms their fields, encoding and CSRF token. A route without an entry below fails the suite.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  AWKWARD_TEXT,
  encodeSegment,
  hostileCursor,
  hostileSegment,
  hostileString,
  RAW_SEGMENTS,
  wellFormed,
} from '../../support/fuzz/hostile.js';
import { WORLD_PASSWORD, WORLD_PLACE, WORLD_TAG, type World } from '../../support/fuzz/world.js';

export interface EdgeRoute {
  method: 'GET' | 'POST';
  path: string;
}

export function edgeRoutes(): EdgeRoute[] {
  const source = readFileSync(new URL('../../../edge/worker.ts', import.meta.url), 'utf8');
  return [...source.matchAll(/\bapp\.(get|post)\(\s*'([^']+)'/g)].map((m) => ({
    method: m[1]!.toUpperCase() as 'GET' | 'POST',
    path: m[2]!,
  }));
}

/**
 * Form fields and query parameters by route; `null` marks a GET route that is not a page (no
 * tier, no markup); `leaver` a route that ends the visitor's sessions (only a member nobody else
 * needs posts there).
 */
export const ROUTES: Record<string, { fields: string[]; query: string[]; leaver?: true } | null> = {
  'GET /_edge/health': null,
  'GET /_edge/device': null,
  'GET /': { fields: [], query: ['older'] },
  'GET /u/:username': { fields: [], query: ['older'] },
  'GET /tags/:tag': { fields: [], query: ['older'] },
  'GET /places/:place': { fields: [], query: ['older'] },
  'GET /signup': { fields: [], query: [] },
  'GET /login': { fields: [], query: [] },
  'GET /home': { fields: [], query: ['older', 'types'] },
  'GET /friends': { fields: [], query: ['from'] },
  'GET /notifications': { fields: [], query: ['older'] },
  'POST /signup': { fields: ['username', 'displayName', 'password', 'email'], query: [] },
  'POST /login': { fields: ['username', 'password'], query: [] },
  'POST /logout': { fields: ['everywhere'], query: [], leaver: true },
  'POST /logout-everywhere': { fields: [], query: [], leaver: true },
  'POST /posts': { fields: ['text', 'audience', 'back'], query: [] },
  'POST /friends/request': { fields: ['to', 'back'], query: [] },
  'POST /friends/:id/accept': { fields: ['back'], query: [] },
  'POST /friends/:id/decline': { fields: ['back'], query: [] },
  'POST /friends/:id/remove': { fields: ['back'], query: [] },
  'POST /notifications/:id/read': { fields: ['back'], query: [] },
};

/** Query parameters every page reads (session token, cookie check) or should ignore. */
const EVERY_PAGE = ['s', '_ck', 'back', 'utm_source'];

export type Csrf = 'valid' | 'missing' | 'forged' | 'expired' | 'in a header' | 'twice';
export type Encoding = 'form' | 'multipart' | 'json' | 'text' | 'none';

export interface EdgeFuzzRequest {
  method: 'GET' | 'POST';
  /** Path and query as sent (the visitor's URL session token is added when sent). */
  path: string;
  visitor: string;
  fields: [string, string][];
  encoding: Encoding;
  csrf: Csrf;
  /** Origin header: a cross-site post must be refused. */
  origin: 'same' | 'other' | null;
}

function plausibleField(name: string, world: World): fc.Arbitrary<string> {
  const ids = world.allIds();
  switch (name) {
    case 'username':
      return fc.oneof(fc.constantFrom('ann', 'bob', 'ANN ', 'ann@fuzz.test'), fc.stringMatching(/^[a-z0-9_]{3,30}$/));
    case 'password':
      return fc.constantFrom(WORLD_PASSWORD, 'wrong horse', 'short');
    case 'email':
      return fc.constantFrom('', 'new@fuzz.test', 'ann@fuzz.test', 'nope');
    case 'audience':
      return fc.constantFrom('public', 'friends', 'only_me', 'list', 'everyone');
    case 'back':
      return fc.constantFrom(
        '/home',
        '/u/ann',
        '//evil.example/',
        'https://evil.example/',
        '/\\evil',
        '/%0d%0aSet-Cookie:x=1',
      );
    case 'to':
      return fc.constantFrom(...ids, ...world.unknownIds);
    default:
      return fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom(...AWKWARD_TEXT));
  }
}

function fieldValue(name: string, world: World): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: plausibleField(name, world) }, { weight: 2, arbitrary: hostileString });
}

function queryValue(name: string, world: World): fc.Arbitrary<string> {
  const tenants = [world.a.id, world.b.id, ...world.unknownTenants];
  switch (name) {
    case 'older':
      return hostileCursor(tenants);
    case 'types':
      return fc.oneof(fc.constantFrom('status', 'photo,video', 'STATUS,,checkin', 'nope'), hostileString);
    case 'from':
      return fc.oneof(fc.constantFrom('0', '1', '999999', '-1', '1e9'), hostileString);
    case 's':
      return fc.oneof(fc.constantFrom('1.abcdefabcdef.1.1.00000000000000000000000000000000', ''), hostileString);
    default:
      return hostileString;
  }
}

/**
 * Longest encoded segment or query value: past a few KB of URL the HTTP server in front of the
 * worker (workerd locally, Cloudflare in production: 414) refuses the request before it runs.
 */
const MAX_URL_PART = 2_000;

const encoded = (value: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 4, arbitrary: value.map(encodeSegment).filter((v) => v.length <= MAX_URL_PART) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
  );

function segment(name: string, world: World): fc.Arbitrary<string> {
  const plausible: Record<string, string[]> = {
    username: ['ann', 'bob', 'bea', 'dan', 'ANN'],
    tag: [WORLD_TAG, `%23${WORLD_TAG}`, 'FuzzFest'],
    place: ['fuzz-park', encodeSegment(WORLD_PLACE)],
    id: [...world.allIds(), ...world.unknownIds],
  };
  const known = plausible[name];
  if (!known) throw new Error(`no generator for the path parameter :${name}`);
  return fc.oneof(
    fc.constantFrom(...known),
    hostileSegment.filter((v) => v.length <= MAX_URL_PART),
  );
}

export function edgeRequestFor(route: EdgeRoute, world: World, visitors: string[]): fc.Arbitrary<EdgeFuzzRequest> {
  const spec = ROUTES[`${route.method} ${route.path}`] ?? { fields: [], query: [] };
  const names = route.path.match(/:\w+/g)?.map((p) => p.slice(1)) ?? [];
  const query = fc.array(
    fc.oneof(
      fc.constantFrom(...spec.query, ...EVERY_PAGE).chain((n) => encoded(queryValue(n, world)).map((v) => `${n}=${v}`)),
      fc.tuple(encoded(hostileString), encoded(hostileString)).map(([n, v]) => `${n}=${v}`),
    ),
    { maxLength: 3 },
  );
  const fields = fc.tuple(
    fc.tuple(...spec.fields.map((n) => fc.option(fieldValue(n, world).map((v) => [n, v] as [string, string])))),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom('_csrf', 'text', 'x'), hostileString), hostileString), { maxLength: 2 }),
  );
  return fc
    .record({
      segments: fc.tuple(...names.map((n) => segment(n, world))),
      query,
      fields,
      visitor: fc.constantFrom(...visitors),
      encoding: fc.constantFrom<Encoding>('form', 'form', 'form', 'form', 'multipart', 'json', 'text', 'none'),
      csrf: fc.constantFrom<Csrf>(
        'valid',
        'valid',
        'valid',
        'valid',
        'missing',
        'forged',
        'expired',
        'in a header',
        'twice',
      ),
      origin: fc.constantFrom<'same' | 'other' | null>(null, null, 'same', 'other'),
    })
    .map(({ segments, query: q, fields: [known, extra], visitor, encoding, csrf, origin }) => {
      let i = 0;
      const path = route.path.replace(/:\w+/g, () => segments[i++]!) + (q.length ? `?${q.join('&')}` : '');
      const all = [...known.filter((f): f is [string, string] => f !== null), ...extra].map(
        ([n, v]) => [wellFormed(n), wellFormed(v)] as [string, string],
      );
      return { method: route.method, path, visitor, fields: all, encoding, csrf, origin };
    });
}
