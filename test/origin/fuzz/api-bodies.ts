// JSON bodies from a route's JSON Schema: a plausible object with one thing wrong (a field
// hostile, of the wrong type, missing, or one nobody asked for) gets past the first checks and
// meets the deeper ones; a plausible one may be valid and write (which the suite allows); an
// object of nothing but junk meets validation head on.
import fc from 'fast-check';
import { AWKWARD_TEXT, hostileNumber, hostileString, wrongType } from '../../support/fuzz/hostile.js';
import { WORLD_PASSWORD, type World } from '../../support/fuzz/world.js';
import type { JsonSchema } from './api-routes.js';

/** An id: one of the world's (either tenant's), one that names nothing, or junk. */
export function idValue(world: World): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...world.allIds()) },
    { weight: 1, arbitrary: fc.constantFrom(...world.unknownIds) },
    { weight: 2, arbitrary: hostileString },
  );
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
      return fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom(...AWKWARD_TEXT));
  }
}

/** A value the schema would likely accept. */
function plausible(name: string, schema: JsonSchema, world: World, depth: number): fc.Arbitrary<unknown> {
  if (depth > 3) return wrongType;
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => plausible(name, s, world, depth)));
  if (schema.description?.includes('64-bit id')) return idValue(world);
  switch (schema.type) {
    case 'object':
      return validObject(schema, world, depth + 1);
    case 'array':
      return fc.array(schema.items ? plausible(name, schema.items, world, depth + 1) : wrongType, {
        minLength: 1,
        maxLength: 3,
      });
    case 'integer':
    case 'number':
      return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 1000, 1000) });
    case 'string':
      return plausibleString(name, schema, world);
    default:
      return wrongType;
  }
}

/** Required fields always, optional ones a third of the time, each plausible. */
function validObject(schema: JsonSchema, world: World, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const required = new Set(schema.required ?? []);
  const props = Object.entries(schema.properties ?? {});
  const values = props.map(([name, s]) => {
    const value = plausible(name, s, world, depth);
    // Optional fields now and then: each one more is one more way for a valid body to go wrong.
    return required.has(name)
      ? value
      : fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value });
  });
  return fc.tuple(...values).map((vs) => {
    const out: Record<string, unknown> = {};
    props.forEach(([name], i) => {
      if (vs[i] !== undefined) out[name] = vs[i];
    });
    return out;
  });
}

/** Keys that should mean nothing to the origin. */
const EXTRA_KEYS = ['__proto__', 'constructor', 'id', 'memberId', 'tenantId', 'deletedAt', 'x'];

/** Sets a key as an own property, so "__proto__" is sent as a key rather than setting the prototype. */
function setKey(out: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

const mistake = fc.record({
  pick: fc.nat(),
  how: fc.constantFrom('hostile', 'wrong type', 'huge number', 'missing', 'extra'),
  hostile: hostileString,
  wrong: wrongType,
  number: hostileNumber,
  extraKey: fc.constantFrom(...EXTRA_KEYS),
});

/** A plausible object with exactly one thing wrong. */
function oneWrong(schema: JsonSchema, world: World): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(validObject(schema, world, 0), mistake).map(([valid, m]) => {
    const out: Record<string, unknown> = { ...valid };
    const keys = Object.keys(schema.properties ?? {});
    const key = keys.length ? keys[m.pick % keys.length]! : m.extraKey;
    if (m.how === 'missing') delete out[key];
    else if (m.how === 'extra') setKey(out, m.extraKey, m.wrong);
    else setKey(out, key, m.how === 'hostile' ? m.hostile : m.how === 'wrong type' ? m.wrong : m.number);
    return out;
  });
}

/** Every field anything at all, and junk beside them. */
function junkObject(schema: JsonSchema, world: World): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(schema.properties ?? {});
  const values = props.map(([name, s]) =>
    fc.option(fc.oneof(plausible(name, s, world, 1), hostileString, wrongType), { nil: undefined, freq: 4 }),
  );
  const extra = fc.dictionary(fc.constantFrom(...EXTRA_KEYS), wrongType, { maxKeys: 2 });
  return fc.tuple(fc.tuple(...values), extra).map(([vs, more]) => {
    const out: Record<string, unknown> = {};
    props.forEach(([name], i) => {
      if (vs[i] !== undefined) out[name] = vs[i];
    });
    for (const [k, v] of Object.entries(more)) setKey(out, k, v);
    return out;
  });
}

export function jsonBody(schema: JsonSchema, world: World): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: oneWrong(schema, world) },
    { weight: 2, arbitrary: validObject(schema, world, 0) },
    { weight: 2, arbitrary: junkObject(schema, world) },
  );
}
