// Hostile requests for one /v1 route: path parameters, query parameters, a body built from the
// route's JSON Schema (each field valid, hostile, of the wrong type or missing, plus fields
// nobody asked for) or no JSON at all, a content type, and who signs it.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { signedHeaders } from '../../../shared/signing.js';
import {
  encodeSegment,
  HOSTILE_STRINGS,
  hostileCursor,
  hostileLimit,
  hostileSegment,
  hostileString,
  RAW_SEGMENTS,
  wrongType,
} from '../../support/fuzz/hostile.js';
import { WORLD_PLACE, WORLD_TAG, type World } from '../../support/fuzz/world.js';
import type { Harness } from '../../support/origin-harness.js';
import { TEST_SECRET } from '../../support/origin-harness.js';
import { idValue, jsonBody } from './api-bodies.js';
import { type Identity, identities, whoSigns } from './api-identities.js';
import type { ApiRoute } from './api-routes.js';

export type FuzzBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  /** Bytes as hex, so the request prints and replays exactly (broken UTF-8 included). */
  | { kind: 'bytes'; hex: string };

export interface FuzzRequest {
  method: string;
  /** Path and query as sent (percent-encoding and all). */
  path: string;
  body: FuzzBody | null;
  contentType: string | null;
  accept: string | null;
  as: Identity;
  /** x-chorus-client-ip, as the edge saw the visitor. */
  clientIp: string | null;
}

/** Path parameters by name; a name missing here fails the suite. */
export function paramGenerators(world: World): Record<string, fc.Arbitrary<string>> {
  const usernames = [...Object.keys(world.a.members), ...Object.keys(world.b.members)];
  return {
    id: fc.oneof({ weight: 3, arbitrary: idValue(world).map(encodeSegment) }, { weight: 2, arbitrary: hostileSegment }),
    username: fc.oneof(fc.constantFrom(...usernames, 'ANN', 'ann%00', 'dan'), hostileSegment),
    tag: fc.oneof(fc.constantFrom(WORLD_TAG, `%23${WORLD_TAG}`, 'FUZZFEST'), hostileSegment),
    place: fc.oneof(fc.constantFrom('fuzz-park', encodeSegment(WORLD_PLACE)), hostileSegment),
  };
}

function queryValue(name: string, world: World): fc.Arbitrary<string> {
  const tenants = [world.a.id, world.b.id, ...world.unknownTenants];
  const cursorOf = (id: string) => Buffer.from(JSON.stringify({ t: world.a.id, o: id })).toString('base64url');
  const either = (plausible: fc.Arbitrary<string>, hostile: fc.Arbitrary<string>) =>
    fc.oneof({ weight: 2, arbitrary: plausible }, { weight: 1, arbitrary: hostile });
  switch (name) {
    case 'older':
      return either(fc.constantFrom(...world.allIds().map(cursorOf)), hostileCursor(tenants));
    case 'limit':
      return either(fc.constantFrom('1', '5', '20', '100'), hostileLimit);
    case 'types':
      return either(
        fc.constantFrom('status', 'photo,video', 'like,comment', ' status , checkin '),
        fc.oneof(fc.constantFrom('nope', 'status,', ',,,', 'status,'.repeat(80)), hostileString),
      );
    case 'prefix':
      return either(fc.constantFrom('an', 'b', 'Bea'), fc.oneof(fc.constantFrom('%', '_', '\\'), hostileString));
    case 'host':
      return either(fc.constantFrom(world.a.host, world.b.host.toUpperCase(), `${world.a.host}.`), hostileString);
    case 'format':
      return either(fc.constant('as2'), hostileString);
    default:
      return hostileString;
  }
}

const encodedValue = (value: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 5, arbitrary: value.map(encodeSegment) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
  );

function queryString(route: ApiRoute, world: World): fc.Arbitrary<string> {
  const known = route.query.map((name) =>
    fc.option(
      encodedValue(queryValue(name, world)).map((v) => `${name}=${v}`),
      { nil: null, freq: 2 },
    ),
  );
  const extra = fc.array(
    fc.oneof(
      fc.tuple(fc.constantFrom(...route.query, 'limit', 'older'), encodedValue(hostileString)),
      fc.tuple(encodedValue(hostileString), encodedValue(hostileString)),
    ),
    { maxLength: 2 },
  );
  return fc.tuple(fc.tuple(...known), extra).map(([k, e]) => {
    const parts = [...k.filter((p): p is string => p !== null), ...e.map(([n, v]) => `${n}=${v}`)];
    return parts.length ? `?${parts.join('&')}` : '';
  });
}

const BROKEN_BYTES = ['ff', 'c328', 'fffe', 'efbbbf7b7d', '7b2274657874223a22ff227d', 'eda080', 'c0af', '00'];

function bodyOf(route: ApiRoute, world: World): fc.Arbitrary<FuzzBody | null> {
  const junk = fc.oneof(
    fc.constantFrom(
      '{',
      '{"a":',
      '[',
      '',
      'null',
      '"x"',
      '1e400',
      '{"text":"a"}{',
      '\u0000',
      ...HOSTILE_STRINGS.slice(0, 8),
    ),
    hostileString,
  );
  const raw: fc.Arbitrary<FuzzBody> = fc.oneof(
    junk.map((text) => ({ kind: 'text' as const, text })),
    fc.constantFrom(...BROKEN_BYTES).map((hex) => ({ kind: 'bytes' as const, hex })),
    wrongType.map((value) => ({ kind: 'json' as const, value })),
  );
  if (!route.body) return rarely(raw, 3);
  return fc.oneof(
    { weight: 7, arbitrary: jsonBody(route.body, world).map((value) => ({ kind: 'json' as const, value })) },
    { weight: 2, arbitrary: raw },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

/** `arbitrary` once in `every` runs, null otherwise (fc.option's freq is the other way round). */
function rarely<T>(arbitrary: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: every - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/merge-patch+json',
  'application/json;;; charset=',
  'application/jsonx',
];

export function requestFor(route: ApiRoute, world: World, actors: World['actors']): fc.Arbitrary<FuzzRequest> {
  const params = paramGenerators(world);
  const segments = route.params.map((name) => params[name]!);
  return fc
    .record({
      segments: fc.tuple(...segments),
      query: queryString(route, world),
      body: route.method === 'GET' ? fc.constant(null) : bodyOf(route, world),
      contentType: rarely(fc.constantFrom(...CONTENT_TYPES), 6),
      accept: fc.option(
        fc.constantFrom('application/activity+json', '*/*', 'text/html', 'application/activity+json;q=0, */*;q=2'),
        { nil: null },
      ),
      as: whoSigns(identities(world, actors)),
      clientIp: rarely(fc.constantFrom('203.0.113.9', '::1', '999.1.1.1', '1.2.3.4, 5.6.7.8', 'x'.repeat(300)), 4),
    })
    .map(({ segments: values, query, body, contentType, accept, as, clientIp }) => {
      const path = fillPath(route.path, values);
      return { method: route.method, path: path + query, body, contentType, accept, as, clientIp };
    });
}

function bodyBytes(body: FuzzBody | null): Uint8Array<ArrayBuffer> | null {
  if (!body) return null;
  if (body.kind === 'bytes') return new Uint8Array(Buffer.from(body.hex, 'hex'));
  const text = body.kind === 'text' ? body.text : (JSON.stringify(body.value) ?? '');
  return new TextEncoder().encode(text);
}

/** Sends the request signed as the edge would sign it (so it gets past the signature check). */
export async function send(h: Harness, req: FuzzRequest): Promise<Response> {
  const url = new URL(req.path, 'http://origin.test');
  const bytes = req.method === 'GET' || req.method === 'HEAD' ? null : bodyBytes(req.body);
  const signed = await signedHeaders(TEST_SECRET, {
    method: req.method,
    pathWithQuery: url.pathname + url.search,
    // What the origin reads back: UTF-8 decoded, broken bytes as U+FFFD.
    body: bytes ? new TextDecoder().decode(bytes) : '',
    tenant: req.as.tenant,
    member: req.as.member,
    session: req.as.session,
    clientIp: req.clientIp ?? undefined,
    requestId: randomUUID(),
  });
  const headers: Record<string, string> = { ...signed };
  if (bytes) headers['content-type'] = req.contentType ?? 'application/json';
  if (req.accept) headers.accept = req.accept;
  return h.app.request(url.href, { method: req.method, headers, body: bytes ?? undefined });
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Any method on a known path, and known methods on paths nobody serves. */
export function strayRequest(routes: ApiRoute[], world: World, actors: World['actors']): fc.Arbitrary<FuzzRequest> {
  const params = paramGenerators(world);
  const known = fc
    .constantFrom(...routes)
    .chain((r) => fc.tuple(...r.params.map((p) => params[p]!)).map((values) => fillPath(r.path, values)));
  const unknown = fc.oneof(
    fc.constantFrom('/v1', '/v1/', '/v2/members', '/admin/report', '/v1/members/me/..', '/v1//members', '/V1/members'),
    fc.tuple(hostileSegment, hostileSegment).map(([a, b]) => `/v1/${a}/${b}`),
  );
  return fc
    .record({
      method: fc.constantFrom(...METHODS),
      path: fc.oneof(known, unknown),
      body: rarely(fc.constantFrom<FuzzBody>({ kind: 'json', value: {} }, { kind: 'text', text: '{' }), 2),
      as: whoSigns(identities(world, actors)),
    })
    .map(({ method, path, body, as }) => ({
      method,
      path,
      body: method === 'GET' || method === 'HEAD' ? null : body,
      contentType: null,
      accept: null,
      as,
      clientIp: null,
    }));
}

function fillPath(template: string, values: string[]): string {
  let i = 0;
  return template.replace(/:\w+/g, () => values[i++]!);
}
