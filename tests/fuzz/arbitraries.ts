import fc from 'fast-check';

/**
 * Generators of hostile input for the fuzz suite: wrong types for every field, huge and deeply nested values,
 * database operators, prototype keys, control characters, markup and character references beyond Unicode.
 * None of them contains the text `internalTextIn` looks for, so such text in an answer is always a leak.
 */

/** A JSON fragment spliced into a body as is: nesting too deep to build as objects. */
export class RawJson {
  constructor(
    readonly json: string,
    private readonly label: string,
  ) {}

  [fc.toStringMethod](): string {
    return this.label;
  }
}

/** JSON text of a generated value, with its RawJson fragments spliced in. */
export function toJson(value: unknown): string {
  const fragments: string[] = [];
  const text =
    JSON.stringify(value, (_key, item: unknown) =>
      item instanceof RawJson ? `\u0000raw${fragments.push(item.json) - 1}\u0000` : item,
    ) ?? 'null';
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_whole, index: string) => fragments[Number(index)] ?? '');
}

/** `{"a":{"a":…}}`, `[[[…]]]` or nested operators, `depth` levels deep. */
export const deepJson: fc.Arbitrary<RawJson> = fc
  .record({
    depth: fc.integer({ min: 200, max: 20_000 }),
    kind: fc.constantFrom(['{"a":', '}'], ['[', ']'], ['{"$gt":', '}'], ['[{"__proto__":', '}]']),
  })
  .map(
    ({ depth, kind: [open, close] }) =>
      new RawJson(`${open.repeat(depth)}1${close.repeat(depth)}`, `deep(${depth}, ${open})`),
  );

/**
 * javascript: links an earlier sanitiser let through (a single-quoted title, brackets inside the link text, an
 * escaped bracket in a reference label), found by this suite; Web Chat rendered the last one as a link. Part of
 * MARKUP, and tested on their own as well.
 */
export const SANITIZER_BYPASSES = [
  "[link](javascript:window.__xss=1 'title')",
  '[a [b] c](javascript:window.__xss=1)',
  '[r\\]ef]: javascript:window.__xss=1',
];

/** Markup that would run script if a page rendered it as HTML (each element tagged `data-xss`). */
export const MARKUP = [
  '<script data-xss>window.__xss=1</script>',
  '<img data-xss src=x onerror="window.__xss=1">',
  '<svg data-xss onload="window.__xss=1"></svg>',
  '<a data-xss href="javascript:window.__xss=1">link</a>',
  '[link](javascript:window.__xss=1)',
  '[link](<javascript:window.__xss=1>)',
  '![img](javascript:window.__xss=1)',
  '[ref]: javascript:window.__xss=1',
  '> [quoted]: javascript:window.__xss=1',
  '<javascript:window.__xss=1>',
  '"><iframe data-xss src="javascript:window.__xss=1"></iframe>',
  '<scr<script>ipt data-xss>window.__xss=1</script>',
  '{{constructor.constructor("window.__xss=1")()}}',
  ...SANITIZER_BYPASSES,
];

/** Character references a decoder may choke on (beyond U+10FFFF, surrogates, NUL). */
export const BAD_REFERENCES = [
  '&#x110000;',
  '&#1114112;',
  '&#xFFFFFFFF;',
  '&#99999999999999999999;',
  '&#xD800;',
  '&#0;',
  '&#x;',
  '&colon;',
  '[ref](&#x110000;)',
  '[ref](java&#1114112;script:x)',
];

const SPECIAL = [
  '',
  ' ',
  '\u0000',
  '\u0007\u001b[31m',
  '\r\n\r\n',
  '\u202e\u2066',
  '\ufeff',
  '\ud800',
  '\udfff',
  '💥👩‍👩‍👧',
  'zażółć gęślą jaźń ø',
  '$where',
  '$gt',
  '{"$gt":""}',
  'this.constructor',
  '__proto__',
  'constructor',
  'prototype',
  'a.b',
  '$set',
  '../../../etc/passwd',
  '%00',
  '%E0%A4%A',
  '\\',
  "'",
  '"',
  '`',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  'human',
  'I want to talk to a human',
  'yes',
  '2',
];

/** Keys that trouble databases and prototypes. */
export const HOSTILE_KEYS = [
  '$gt',
  '$where',
  '$set',
  '__proto__',
  'constructor',
  'prototype',
  'a.b',
  '$',
  '.',
];

/** Strings: hostile constants, random code points (lone surrogates and controls too); short enough for a URL. */
export const shortHostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...MARKUP, ...BAD_REFERENCES, ...SPECIAL) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.constantFrom(...MARKUP, ...BAD_REFERENCES, ...SPECIAL), { minLength: 2, maxLength: 5 })
      .map((parts) => parts.join(' ')),
  },
);

/** Hostile strings, huge ones too (for bodies). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: shortHostileString },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1_000, max: 300_000 }), fc.constantFrom('x', 'ą', '<b>', '&#x110000;'))
      .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length))),
  },
);

/** A key of an object in a body. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_KEYS),
  fc.string({ maxLength: 12 }),
);

const operator: fc.Arbitrary<unknown> = fc.constantFrom(
  { $gt: '' },
  { $ne: null },
  { $where: 'sleep(1000) || true' },
  { $regex: '.*' },
  { $exists: true },
  { $in: [] },
  { $expr: { $eq: [1, 1] } },
);

/** Objects whose own keys are `__proto__`, `constructor` or `prototype` (as JSON.parse makes them). */
const prototypeKeys: fc.Arbitrary<unknown> = fc.constantFrom(
  ...[
    '{"__proto__":{"isAdmin":true,"role":"admin"}}',
    '{"constructor":{"prototype":{"isAdmin":true}}}',
    '{"prototype":{"polluted":"yes"}}',
    '{"__proto__":null}',
  ].map((text) => JSON.parse(text) as unknown),
);

/** Any value where a field's value belongs: every JSON type, operators, prototype keys, deep nesting. */
export const wrongValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    operator,
    prototypeKeys,
    deepJson,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Mostly `good`, sometimes a wrong value, sometimes absent. */
export function mostly<T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 5, arbitrary: good },
    { weight: 2, arbitrary: wrongValue },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** An object with the given fields plus, sometimes, hostile extra keys. */
export function withExtraKeys(
  base: fc.Arbitrary<Record<string, unknown>>,
): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(base, fc.option(fc.dictionary(hostileKey, wrongValue, { maxKeys: 3 }), { freq: 3 }))
    .map(([fields, extra]) => Object.assign(Object.fromEntries(Object.entries(extra ?? {})), fields));
}

/** A path segment: a known good one, a hostile string (encoded), or raw percent-encoding garbage. */
export function segment(good: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: good },
    { weight: 2, arbitrary: shortHostileString.map(encode) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '%',
        '%zz',
        '%E0%A4%A',
        '%00',
        '%2e%2e%2f',
        '..',
        '%7B%22%24gt%22%3A%22%22%7D',
      ),
    },
  );
}

/** A query string (with `?`) built from known and hostile parameter names. */
export function queryString(names: string[], good: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const name = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...names) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...names, '__proto__', 'constructor'),
          fc.constantFrom('[$gt]', '[]', '[__proto__][x]', '[prototype][y]', '[0]', '[99999999]'),
        )
        .map(([base, suffix]) => base + suffix),
    },
    { weight: 1, arbitrary: hostileKey.map(encode) },
  );
  const value = fc.oneof(
    { weight: 3, arbitrary: good.map(encode) },
    { weight: 3, arbitrary: shortHostileString.map(encode) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '') },
  );
  return fc
    .array(fc.tuple(name, value), { maxLength: 5 })
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));
}

/** Percent-encodes any string (lone surrogates become U+FFFD first). */
export function encode(text: string): string {
  return encodeURIComponent(Buffer.from(text, 'utf8').toString('utf8'));
}

/** An Authorization header value from the given named tokens, or a bad one. */
export function authorization(good: Record<string, string>): fc.Arbitrary<Record<string, string>> {
  const bad = [
    '',
    'Bearer',
    'Bearer ',
    'Bearer not-a-token',
    'Basic YWRtaW46YWRtaW4=',
    `Bearer ${'x'.repeat(600)}`,
    'Bearer {"$gt":""}',
    'Bearer \t null',
  ];
  return fc
    .oneof(
      { weight: 6, arbitrary: fc.constantFrom(...Object.values(good)) },
      { weight: 3, arbitrary: fc.constantFrom(...bad) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    )
    .map((value): Record<string, string> => (value === undefined ? {} : { authorization: value }));
}
