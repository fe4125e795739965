// Hostile input, shared by the origin and the edge fuzz suites: strings with every character
// class that has broken a parser, a database or a markup somewhere, numbers past every limit,
// values of the wrong type, and raw path segments that are not valid percent-encoding.
import fc from 'fast-check';

/** One of each character class that trips something: controls, NUL, surrogates, noncharacters, markup. */
export const HOSTILE_CHARS = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\u0008',
  '\u000b',
  '\u000c',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009f',
  '\u00a0',
  '\u00ad',
  '\u200b',
  '\u200e',
  '\u2028',
  '\u2029',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udfff',
  '\ufffe',
  '\uffff',
  '\ufffd',
  '\ud83d\ude00',
  '\u{10ffff}',
  'e\u0301',
  '\r\n',
  '\t',
  '<',
  '>',
  '&',
  '"',
  "'",
  '\\',
  '%',
  '#',
  '?',
  '/',
] as const;

/** Whole strings that have been bugs elsewhere. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '   \t\n',
  '\u0000',
  'a\u0000b',
  'nul\u0000',
  '\ud800',
  'x\udc00y',
  '\ufffe\uffff',
  '<script>alert(1)</script>',
  '<![CDATA[x]]>',
  ']]>',
  '&amp;&lt;&#0;&#xD800;&nbsp;&foo;',
  '<?xml version="1.0"?>',
  '"\'><img src=x onerror=alert(1)>',
  "' OR 1=1 --",
  "'; drop table members; --",
  '$' + '{7*7}{{7*7}}',
  '../../../etc/passwd',
  '..\\..\\windows',
  '%00',
  '%C3%28',
  '%FF%FE',
  '%',
  '\u202eevil',
  '\u{1f4a9}\u{1f3f3}\u{fe0f}\u{200d}\u{1f308}',
  'ﷺ',
  'İstanbul',
  'ß',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e400',
  '18446744073709551616',
  '9223372036854775807',
  '9223372036854775808',
  '0x7fffffffffffffff',
  'http://evil.example/',
  '//evil.example/',
  'javascript:alert(1)',
] as const;

/** Text a member may type that markup and databases must still carry safely. */
export const AWKWARD_TEXT = [
  '<b>bold</b> & "quoted" \'single\'',
  ']]> <![CDATA[ x ]]>',
  '&amp; &lt; &#0; &nbsp; &foo;',
  '\u202eevil\u202c and \u200bzero width\u00a0nbsp',
  'line one\nline two\ttabbed',
  '\u{1f600}\u{1f3f3}\u{fe0f}\u{200d}\u{1f308} e\u0301 ß İ',
  '#tag #FuzzFest @ann http://example.com/?a=1&b=2',
  '%00 %C3%28 ../../etc/passwd',
] as const;

/** UTF-16 code units, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

/** A string of random code units mixed with the hostile characters. */
export const hostileMix = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE_CHARS), codeUnit, fc.string({ maxLength: 5 })), { maxLength: 12 })
  .map((parts) => parts.join(''));

/** Long strings: past every length limit (100 KB), and long in code points but short in bytes. */
export const longString = fc.oneof(
  fc.constantFrom(100_000, 5_000, 501, 301, 61, 31).map((n) => 'x'.repeat(n)),
  fc.constantFrom('\u{1f600}', '<&>', '\u0000').map((c) => c.repeat(2_000)),
);

/** Any hostile string. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 3, arbitrary: hostileMix },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: longString },
);

/** Numbers past every limit, as JSON numbers (NaN and Infinity become null in JSON). */
export const hostileNumber = fc.oneof(
  fc.constantFrom(-1, 0, 1, -0, 0.5, 1e9, 1e308, -1e308, 2 ** 53 + 1, 2 ** 63, 2 ** 64, Number.NaN, Infinity),
  fc.integer(),
  fc.double(),
);

/** Any JSON value of the wrong shape, nested junk included. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  hostileNumber,
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'a', '$where', ''), hostileString, { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(deepArray(2_000)),
);

function deepArray(depth: number): unknown {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Raw (already percent-encoded) path segments: broken UTF-8, NUL, dot segments, junk numbers. */
export const RAW_SEGMENTS = [
  '',
  '%00',
  '%C3%28',
  '%FF',
  '%E0%A4%A',
  '%',
  '%%',
  '%zz',
  '..',
  '.',
  '%2e%2e',
  '..%2F..%2Fadmin',
  '%2F',
  '-1',
  '0',
  '00',
  '+1',
  '1e400',
  '1.5',
  '18446744073709551616',
  '9223372036854775807',
  '9223372036854775808',
  '99999999999999999999999999',
  'null',
  'me',
  '%20',
  '%0A',
  '%ED%A0%80',
  '%EF%BF%BE',
] as const;

/** A path segment: a raw one, or any hostile string percent-encoded (lone surrogates as U+FFFD). */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...RAW_SEGMENTS),
  hostileString.filter((s) => s.length < 3_000).map(encodeSegment),
);

export function encodeSegment(text: string): string {
  return encodeURIComponent(wellFormed(text));
}

/** Lone surrogates as U+FFFD, as any UTF-8 encoder sends them (encodeURIComponent throws on them). */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Broken `older` cursors: not base64, base64 of junk, of another tenant, of a malformed id. */
export function hostileCursor(tenants: readonly string[]): fc.Arbitrary<string> {
  const b64 = (v: string) => Buffer.from(v).toString('base64url');
  return fc.oneof(
    hostileString,
    fc.constantFrom('!!!', '====', 'e30', 'bnVsbA', b64('[]'), b64('{"t":1,"o":2}'), b64('{"t":"x"}')),
    fc
      .record({
        t: fc.oneof(fc.constantFrom(...tenants), hostileString),
        o: fc.oneof(fc.constantFrom('1', '-1', '0', '9223372036854775808', '1e3', '123'), hostileString),
      })
      .map((c) => b64(JSON.stringify(c))),
    hostileString.map((s) => b64(s)),
  );
}

/** Hostile `limit` and other numeric query values. */
export const hostileLimit = fc.oneof(
  fc.constantFrom('-1', '0', '1', '100', '101', '1e9', 'NaN', 'Infinity', '[]', '1.5', '0x10', ' 5', '', '%00'),
  fc.integer().map(String),
);
