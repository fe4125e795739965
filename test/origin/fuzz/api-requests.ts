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
  hostileNumber,
  hostileSegment,
  hostileString,
  RAW_SEGMENTS,
  wrongType,
} from '../../support/fuzz/hostile.js';
import { WORLD_PASSWORD, WORLD_PLACE, WORLD_TAG, type World } from '../../support/fuzz/world.js';
import type { Harness } from '../../support/origin-harness.js';
import { TEST_SECRET } from '../../support/origin-harness.js';
import type { ApiRoute, JsonSchema } from './api-routes.js';

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
}

export interface Identity {
  label: string;
  tenant: string;
  member: string;
}

/** Who signs: members, nobody, another tenant's member, a deleted or unknown member, junk. */
export function identities(world: World, scratch: boolean): Identity[] {
  const { a, b } = world;
  return [
    // A route that deletes its caller (DELETE /members/me) runs as a member nobody else needs.
    { label: 'member', tenant: a.id, member: scratch ? a.members.zed! : a.members.ann! },
    { label: 'friend', tenant: a.id, member: a.members.bob! },
    { label: 'anonymous', tenant: a.id, member: '' },
    { label: 'other tenant member', tenant: a.id, member: b.members.bea! },
    { label: 'member of tenant b', tenant: b.id, member: b.members.bea! },
    { label: 'deleted member', tenant: a.id, member: world.deleted },
    { label: 'unknown member', tenant: a.id, member: world.unknownIds[0]! },
    { label: 'unknown tenant', tenant: 'tnobody', member: a.members.ann! },
    { label: 'no tenant', tenant: '', member: '' },
    { label: 'malformed member', tenant: a.id, member: '-1' },
    { label: 'huge member', tenant: a.id, member: '1e400' },
  ];
}

function idValue(world: World): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...world.allIds()) },
    { weight: 1, arbitrary: fc.constantFrom(...world.unknownIds) },
    { weight: 2, arbitrary: hostileString },
  );
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
  switch (name) {
    case 'older':
      return fc.oneof(hostileCursor(tenants), fc.constantFrom(...world.allIds().map(cursorOf)));
    case 'limit':
      return hostileLimit;
    case 'types':
      return fc.oneof(
        fc.constantFrom('status', 'photo,video', 'like,comment', 'nope', 'status,', ',,,', 'status,'.repeat(80)),
        hostileString,
      );
    case 'prefix':
      return fc.oneof(fc.constantFrom('an', 'b', '%', '_', '\\'), hostileString);
    case 'host':
      return fc.oneof(fc.constantFrom(world.a.host, world.b.host.toUpperCase(), `${world.a.host}.`), hostileString);
    case 'format':
      return fc.oneof(fc.constant('as2'), hostileString);
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

/** A plausible value for a body field, so hostile fields sit beside valid ones. */
function plausible(name: string, schema: JsonSchema, world: World, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => plausible(name, s, world, depth)));
  if (schema.description?.includes('64-bit id')) return idValue(world);
  switch (schema.type) {
    case 'object':
      return objectOf(schema, world, depth + 1);
    case 'array':
      return fc.array(schema.items ? field(name, schema.items, world, depth + 1) : wrongType, { maxLength: 3 });
    case 'integer':
    case 'number':
      return fc.oneof(fc.integer({ min: 0, max: 1000 }), hostileNumber);
    case 'string':
      return plausibleString(name, schema, world);
    default:
      return wrongType;
  }
}

function plausibleString(name: string, schema: JsonSchema, world: World): fc.Arbitrary<string> {
  if (schema.format === 'uri') return fc.constantFrom('https://example.com/a.jpg', 'http://x', 'ftp://x/y', 'data:,x');
  switch (name) {
    case 'username':
      return fc.oneof(
        fc.constantFrom(...Object.keys(world.a.members), 'ann@fuzz.test', 'BOB@FUZZ.TEST'),
        fc.stringMatching(/^[a-z0-9_]{3,30}$/),
      );
    case 'password':
      return fc.constantFrom(WORLD_PASSWORD, 'wrong horse', '12345678');
    case 'email':
      return fc.constantFrom('new@fuzz.test', 'ann@fuzz.test', 'a@b', '@', 'x@y.z');
    default:
      return fc.string({ maxLength: 40 });
  }
}

/** A field: plausible, hostile or of the wrong type. */
function field(name: string, schema: JsonSchema, world: World, depth: number): fc.Arbitrary<unknown> {
  if (depth > 3) return wrongType;
  return fc.oneof(
    { weight: 3, arbitrary: plausible(name, schema, world, depth) },
    { weight: 2, arbitrary: hostileString },
    { weight: 1, arbitrary: wrongType },
  );
}

function objectOf(schema: JsonSchema, world: World, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(schema.properties ?? {});
  const known = props.map(([name, s]) => fc.option(field(name, s, world, depth), { nil: undefined, freq: 4 }));
  const extra = fc.dictionary(
    fc.constantFrom('__proto__', 'constructor', 'id', 'memberId', 'tenantId', 'x'),
    wrongType,
    {
      maxKeys: 2,
    },
  );
  return fc.tuple(fc.tuple(...known), extra).map(([values, more]) => {
    const out: Record<string, unknown> = {};
    props.forEach(([name], i) => {
      if (values[i] !== undefined) out[name] = values[i];
    });
    // defineProperty, so a "__proto__" key is sent as a key rather than setting the prototype.
    for (const [k, v] of Object.entries(more)) Object.defineProperty(out, k, { value: v, enumerable: true });
    return out;
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
  if (!route.body) return fc.option(raw, { nil: null, freq: 3 });
  return fc.oneof(
    { weight: 6, arbitrary: objectOf(route.body, world, 0).map((value) => ({ kind: 'json' as const, value })) },
    { weight: 2, arbitrary: raw },
    { weight: 1, arbitrary: fc.constant(null) },
  );
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

export function requestFor(route: ApiRoute, world: World): fc.Arbitrary<FuzzRequest> {
  const params = paramGenerators(world);
  const segments = route.params.map((name) => params[name]!);
  const scratch = route.method === 'DELETE' && route.path === '/v1/members/me';
  return fc
    .record({
      segments: fc.tuple(...segments),
      query: queryString(route, world),
      body: route.method === 'GET' ? fc.constant(null) : bodyOf(route, world),
      contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: null, freq: 6 }),
      accept: fc.option(
        fc.constantFrom('application/activity+json', '*/*', 'text/html', 'application/activity+json;q=0, */*;q=2'),
        { nil: null },
      ),
      as: fc.constantFrom(...identities(world, scratch)),
    })
    .map(({ segments: values, query, body, contentType, accept, as }) => {
      let i = 0;
      const path = route.path.replace(/:\w+/g, () => values[i++]!);
      return { method: route.method, path: path + query, body, contentType, accept, as };
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
  const bytes = req.method === 'GET' ? null : bodyBytes(req.body);
  const signed = await signedHeaders(TEST_SECRET, {
    method: req.method,
    pathWithQuery: url.pathname + url.search,
    // What the origin reads back: UTF-8 decoded, broken bytes as U+FFFD.
    body: bytes ? new TextDecoder().decode(bytes) : '',
    tenant: req.as.tenant,
    member: req.as.member,
    requestId: randomUUID(),
  });
  const headers: Record<string, string> = { ...signed };
  if (bytes) headers['content-type'] = req.contentType ?? 'application/json';
  if (req.accept) headers.accept = req.accept;
  return h.app.request(url.href, { method: req.method, headers, body: bytes ?? undefined });
}
