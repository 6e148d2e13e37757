// Generators of hostile requests: random and malformed bodies in every content type and encoding,
// unicode and oversized strings, keys that aim at prototypes, random methods, paths and headers,
// and Authorization headers with good, tampered and made-up credentials. Each request says whether
// its body is certainly unacceptable (`malformed`), so a property can insist on a 4xx for it.
import fc from 'fast-check';
import { MAX_BODY_BYTES } from '../../../lib/http/parse-body.ts';
import type { CredentialPool } from './credentials.ts';
import { ALLOWED_ORIGINS } from './handlers.ts';

export interface GeneratedRequest {
  method: string;
  path: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
  isBase64Encoded: boolean;
  /** The body can never be accepted (bad syntax, type, size, encoding or a forbidden key). */
  malformed: boolean;
  /** The body names a field no route knows, so a route that parses it must refuse it. */
  unknownField: boolean;
  sourceIp: string;
}

export const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];
const PROTOTYPE_NAMES = ['toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', '__lookupGetter__', 'toJSON'];

/** Every body field some route knows; anything else is unknown everywhere. */
export const KNOWN_FIELDS = [
  'username',
  'email',
  'password',
  'first_name',
  'last_name',
  'organisation_type',
  'organisation_name',
  'country',
  'job_title',
  'refresh_token',
  'refresh',
  'requested_service',
  'token',
  'token_type_hint',
  'name',
  'ttl',
  'organizationType',
  'organizationName',
  'additional_fields',
  'usernameForEmailRetrieval',
  // The OAuth pages' forms (lib/routes/native/oauth-authorization.ts).
  'request',
  'csrf_token',
  'decision',
  'id_token_hint',
  'client_id',
  'post_logout_redirect_uri',
  'state',
  'logout_hint',
  'ui_locales',
];

/** Strings that have broken parsers, templates, queries and logs somewhere. */
const NASTY = [
  '',
  ' ',
  '\t',
  '\u0000',
  'a\u0000b',
  '\uFEFF',
  '\u202Eabc',
  '\uD800',
  '\uDFFF',
  'Ａｄｍｉｎ',
  'İ',
  'ß',
  'ﬁ',
  'e\u0301',
  '𝕏𝕐',
  '🧑‍🚀',
  'null',
  'undefined',
  'true',
  'false',
  '0',
  '-1',
  '1e309',
  'NaN',
  '00060',
  ' 60 ',
  '0x3c',
  '60.5',
  '9007199254740993',
  '<script>alert(1)</script>',
  "'; DROP TABLE users; --",
  '{{7*7}}',
  '../../etc/passwd',
  '%00',
  '%E0%A4%A',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell-style payload, a plain string on purpose
  '${jndi:ldap://x/a}',
  'a\r\nSet-Cookie: x=1',
  ':pk',
  '#name',
  'attribute_exists(pk)',
  'USER#x',
  'pk = :pk OR 1=1',
  '{"$ne":null}',
  '__proto__',
  'Hash Verification',
  'hash-verification',
  'HASH VERIFICATION ',
  'authsvc_',
  'Bearer x',
  'a@b.c',
  '@',
  'a@@b.co',
  `${'x'.repeat(64)}@example.com`,
];

/** Lengths just around the limits the schemas set (and far beyond, up to the body limit). */
const LENGTHS = [0, 1, 2, 3, 99, 100, 101, 128, 129, 150, 151, 200, 201, 254, 255, 256, 512, 513, 1024, 2048, 8192, 8193, 40_000];
const FILLERS = ['a', 'é', '𝕏', '日', ' ', '0', '\u0301', 'A1'];

/** One megabyte of text: far above the 64 KiB body limit, built once. */
const HUGE = `{"username":"${'ü'.repeat(512 * 1024)}"}`;
const JUST_TOO_BIG = `{"name":"${'x'.repeat(MAX_BODY_BYTES)}"}`;

export function text(pool: CredentialPool): fc.Arbitrary<string> {
  const plausible = [
    pool.username,
    pool.email,
    pool.password,
    pool.username.toUpperCase(),
    ` ${pool.email} `,
    ...pool.goodTokens,
    ...pool.refreshTokens,
    ...pool.linkTokens,
    ...pool.apiTokenIds,
    'correct horse battery staple',
    'another fine passphrase',
    '60',
    '3600',
    '86400',
  ];
  return fc.oneof(
    { arbitrary: fc.string({ maxLength: 30 }), weight: 4 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 2 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 1 },
    { arbitrary: fc.constantFrom(...NASTY), weight: 2 },
    { arbitrary: fc.tuple(fc.constantFrom(...FILLERS), fc.constantFrom(...LENGTHS)).map(([c, n]) => c.repeat(n)), weight: 1 },
    { arbitrary: fc.constantFrom(...plausible), weight: 4 },
  );
}

/**
 * Keys for free-form objects (miniSASS's additional_fields) that have broken stores and parsers:
 * empty (DynamoDB refuses an empty attribute name: it was a 500), huge, prototype names, NUL and
 * other control characters, lone surrogates, and names of attributes the user item itself has.
 */
const HOSTILE_KEYS = [
  '',
  ' ',
  'k'.repeat(100),
  'k'.repeat(101),
  'k'.repeat(1000),
  'k'.repeat(20_000),
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  '__x',
  'toString',
  'a\u0000b',
  '\u0000',
  '\u007f',
  '\u0085',
  '\uD800',
  'x\uDFFF',
  '𝕏',
  'pk',
  'sk',
  'type',
  'id',
  'username',
  'email',
  'passwordHash',
  'additionalFields',
  'validAfterMs',
  'expiresAt',
  '#name',
  ':pk',
  'a.b',
  'a[0]',
  '$ne',
];

/** A key a free-form object may not have; an independent statement of the rule in lib/routes/free-form.ts. */
export function badFreeFormKey(key: string): boolean {
  return (
    key.length === 0 ||
    key.length > 100 ||
    key.startsWith('__') ||
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
    /[\u0000-\u001f\u007f-\u009f]/.test(key) ||
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(key)
  );
}

/** Whether `value` is certainly refused as additional_fields: a free-form object with a bad key, too many keys, or a non-text value. */
export function badFreeFormObject(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length > 50 || entries.some(([key, inner]) => badFreeFormKey(key) || typeof inner !== 'string' || inner.length > 1000);
}

/** Objects nested up to three deep, with hostile keys, sometimes with more keys than any limit allows. */
export function hostileObject(leaf: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  const key = fc.oneof(
    { arbitrary: fc.constantFrom(...HOSTILE_KEYS, ...FORBIDDEN_KEYS, ...PROTOTYPE_NAMES), weight: 4 },
    { arbitrary: fc.string({ maxLength: 8 }), weight: 3 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 4 }), weight: 1 },
  );
  const { node } = fc.letrec<{ node: Record<string, unknown> }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.dictionary(key, leaf, { maxKeys: 4 }),
      fc.dictionary(key, fc.oneof(leaf, tie('node')), { maxKeys: 3 }),
      // Many keys: past the count limit (50) now and then.
      fc.integer({ min: 45, max: 60 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']))),
    ),
  }));
  return node;
}

function value(pool: CredentialPool): fc.Arbitrary<unknown> {
  const t = text(pool);
  return fc.oneof(
    { arbitrary: t, weight: 10 },
    { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(60, 3600, -1, 0, 1e21, 2 ** 53)), weight: 2 },
    { arbitrary: fc.oneof(fc.boolean(), fc.constant(null)), weight: 1 },
    { arbitrary: fc.array(t, { maxLength: 3 }), weight: 1 },
    { arbitrary: hostileObject(t), weight: 2 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  );
}

function fieldName(fields: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...(fields.length ? fields : KNOWN_FIELDS)), weight: 8 },
    { arbitrary: fc.constantFrom(...KNOWN_FIELDS), weight: 2 },
    { arbitrary: fc.constantFrom(...FORBIDDEN_KEYS, ...PROTOTYPE_NAMES), weight: 1 },
    { arbitrary: fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 10 })), weight: 1 },
  );
}

type Pairs = [string, unknown][];

/** A valid body as it is (mostly), or with a field dropped, added or given another value. */
function mutated(example: fc.Arbitrary<Record<string, unknown>>, fields: readonly string[], pool: CredentialPool): fc.Arbitrary<Pairs> {
  return fc
    .tuple(example, fc.nat(), fc.tuple(fieldName(fields), value(pool)), fc.constantFrom('as-is', 'as-is', 'as-is', 'drop', 'add', 'replace'))
    .map(([body, at, [key, v], how]) => {
      const entries = Object.entries(body);
      const i = at % Math.max(1, entries.length);
      if (how === 'drop') entries.splice(i, 1);
      if (how === 'add') entries.push([key, v]);
      if (how === 'replace' && entries.length) entries[i] = [entries[i]![0], v];
      return entries;
    });
}

/** Body fields: mostly the route's own, with plausible values, so many cases get past validation. */
function pairs(fields: readonly string[], pool: CredentialPool, example?: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Pairs> {
  const plausibleBody = fc
    .subarray([...fields], { minLength: 0 })
    .chain((keys) => fc.tuple(...keys.map((key) => fc.tuple(fc.constant(key), text(pool) as fc.Arbitrary<unknown>))));
  return fc.oneof(
    { arbitrary: fc.array(fc.tuple(fieldName(fields), value(pool)), { maxLength: 6 }), weight: 3 },
    { arbitrary: plausibleBody as fc.Arbitrary<Pairs>, weight: fields.length ? 2 : 0 },
    { arbitrary: example ? mutated(example, fields, pool) : fc.constant([] as Pairs), weight: example ? 6 : 0 },
  );
}

/** In JSON a forbidden key counts at any depth; in a form only as a field name (values are text). */
const hasForbidden = (p: Pairs, deep: boolean) => p.some(([key, v]) => FORBIDDEN_KEYS.includes(key) || (deep && containsForbidden(v)));
function containsForbidden(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  return Object.entries(v).some(([key, inner]) => FORBIDDEN_KEYS.includes(key) || containsForbidden(inner));
}
/** JSON.parse keeps the last of repeated keys: only that value is ever looked at. */
const lastOfEach = (p: Pairs): Pairs => [...new Map(p).entries()];
const hasUnknown = (p: Pairs) => p.some(([key]) => !KNOWN_FIELDS.includes(key));

/** Percent-encoding that never throws (encodeURIComponent does on lone surrogates). */
function percentEncode(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((b) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0').toUpperCase()}`))
    .join('');
}
const asText = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
const jsonText = (p: Pairs) => `{${p.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;
const formText = (p: Pairs) => p.map(([k, v]) => `${percentEncode(k)}=${percentEncode(asText(v))}`).join('&');

function multipart(p: Pairs, boundary: string, withFile: boolean): Buffer {
  const parts = p.map(([k, v], i) => {
    const file = withFile && i === 0 ? '; filename="a.txt"\r\nContent-Type: text/plain' : '';
    return `--${boundary}\r\nContent-Disposition: form-data; name="${k}"${file}\r\n\r\n${asText(v)}\r\n`;
  });
  return Buffer.from(`${parts.join('')}--${boundary}--\r\n`, 'utf8');
}

interface Body {
  contentType?: string;
  body?: string | Buffer;
  malformed: boolean;
  unknownField: boolean;
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/merge-patch+json'];
const FORM_TYPES = ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=UTF-8'];
const OTHER_TYPES = ['text/plain', 'text/html', 'application/xml', 'application/octet-stream', 'image/png', 'json', 'application/jsonx'];

/** Bodies, each with its content type: well-formed in three encodings, and broken in many ways. */
export function body(fields: readonly string[], pool: CredentialPool, example?: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Body> {
  const p = pairs(fields, pool, example);
  // In JSON, additional_fields with a bad key (or a non-text value) is certainly refused too.
  const badExtras = (x: Pairs) => lastOfEach(x).some(([key, v]) => key === 'additional_fields' && badFreeFormObject(v));
  const flags = (x: Pairs, extra = false, deep = true) => ({
    malformed: extra || hasForbidden(deep ? lastOfEach(x) : x, deep) || (deep && badExtras(x)),
    unknownField: hasUnknown(x),
  });
  // Multipart field names travel in a header: only plain ASCII names are sure to arrive as sent.
  const multipartPairs = (x: Pairs): Pairs => x.filter(([k]) => /^[\x21-\x7e]+$/.test(k) && !/["\\]/.test(k));
  const duplicateKey = (x: Pairs) => new Set(x.map(([k]) => k)).size !== x.length;
  return fc.oneof(
    { arbitrary: fc.tuple(p, fc.constantFrom(...JSON_TYPES)).map(([x, type]) => ({ contentType: type, body: jsonText(x), ...flags(x) })), weight: 6 },
    {
      arbitrary: fc
        .tuple(p, fc.constantFrom(...FORM_TYPES))
        .map(([x, type]) => ({ contentType: type, body: formText(x), ...flags(x, duplicateKey(x), false) })),
      weight: 3,
    },
    {
      arbitrary: fc.tuple(p.map(multipartPairs), fc.boolean(), fc.stringMatching(/^[A-Za-z0-9'()+_,-]{1,30}$/)).map(([x, withFile, boundary]) => ({
        contentType: `multipart/form-data; boundary=${boundary}`,
        body: multipart(x, boundary, withFile && x.length > 0),
        ...flags(x, duplicateKey(x) || (withFile && x.length > 0), false),
      })),
      weight: 2,
    },
    // JSON that is not an object, JSON cut short, and invalid UTF-8 inside JSON and forms.
    {
      arbitrary: fc
        .jsonValue()
        .filter((v) => v === null || typeof v !== 'object' || Array.isArray(v))
        .map((v) => ({ contentType: 'application/json', body: JSON.stringify(v), malformed: true, unknownField: false })),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(p, fc.nat())
        .map(([x, cut]) => jsonText(x).slice(0, Math.max(1, cut % Math.max(1, jsonText(x).length))))
        .filter((t) => !isJson(t))
        .map((t) => ({ contentType: 'application/json', body: t, malformed: true, unknownField: false })),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(p, fc.nat(), fc.constantFrom(0xff, 0xc0, 0xfe, 0x80, 0xed), fc.constantFrom(...JSON_TYPES, ...FORM_TYPES))
        .map(([x, at, byte, type]) => {
          const raw = Buffer.from(type.toLowerCase().includes('json') ? jsonText(x) : formText(x));
          const i = at % (raw.length + 1);
          return { contentType: type, body: Buffer.concat([raw.subarray(0, i), Buffer.from([byte]), raw.subarray(i)]), malformed: true, unknownField: false };
        }),
      weight: 1,
    },
    // A body in a type nobody parses, or with no type at all.
    {
      arbitrary: fc
        .tuple(fc.string({ minLength: 1 }), fc.option(fc.constantFrom(...OTHER_TYPES), { nil: undefined }))
        .map(([t, type]) => ({ contentType: type, body: t, malformed: true, unknownField: false })),
      weight: 1,
    },
    // Random bytes under a random (possibly parseable) type: no promise about the outcome but "no 5xx".
    {
      arbitrary: fc
        .tuple(
          fc.uint8Array({ maxLength: 200 }),
          fc.oneof(fc.constantFrom(...JSON_TYPES, ...FORM_TYPES, 'multipart/form-data', 'multipart/form-data; boundary='), fc.string()),
        )
        .map(([bytes, type]) => ({ contentType: type, body: Buffer.from(bytes), malformed: false, unknownField: false })),
      weight: 1,
    },
    // Too large.
    {
      arbitrary: fc.constantFrom(HUGE, JUST_TOO_BIG).map((b) => ({ contentType: 'application/json', body: b, malformed: true, unknownField: false })),
      weight: 1,
    },
    { arbitrary: fc.constant({ malformed: false, unknownField: false }), weight: 3 },
  );
}

function isJson(t: string): boolean {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

/** Tokens: good ones, bad ones, and good ones with one character changed or parts swapped. */
export function token(pool: CredentialPool): fc.Arbitrary<string> {
  const tampered = fc.tuple(fc.constantFrom(...pool.jwts), fc.nat(), fc.constantFrom('A', 'B', '_', '-', '0', '.', '=')).map(([t, at, c]) => {
    const i = at % t.length;
    return t.slice(0, i) + (t[i] === c ? 'Q' : c) + t.slice(i + 1);
  });
  const swapped = fc.tuple(fc.constantFrom(...pool.jwts), fc.constantFrom(...pool.jwts), fc.nat(2)).map(([a, b, part]) => {
    const x = a.split('.');
    x[part] = b.split('.')[part] ?? '';
    return x.join('.');
  });
  return fc.oneof(
    { arbitrary: fc.constantFrom(...pool.goodTokens), weight: 3 },
    { arbitrary: fc.constantFrom(...pool.badTokens), weight: 3 },
    { arbitrary: tampered, weight: 3 },
    { arbitrary: swapped, weight: 1 },
    {
      arbitrary: fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.base64String({ maxLength: 60 }),
        fc.constantFrom('a.b.c', '..', 'eyJ.eyJ.', `authsvc_${'A'.repeat(93)}`, 'x'.repeat(9000)),
      ),
      weight: 2,
    },
  );
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function authorization(pool: CredentialPool): fc.Arbitrary<string> {
  const t = text(pool);
  return fc.oneof(
    { arbitrary: token(pool).map((x) => `Bearer ${x}`), weight: 6 },
    { arbitrary: fc.tuple(fc.constantFrom('bearer', 'BEARER', 'Bearer  ', 'Bearer\t'), token(pool)).map(([s, x]) => `${s} ${x}`), weight: 1 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(pool.username, pool.email, ...NASTY.slice(0, 12)), fc.constantFrom(pool.password, 'wrong'))
        .map(([l, pw]) => `Basic ${b64(`${l}:${pw}`)}`),
      weight: 2,
    },
    { arbitrary: fc.tuple(t, t).map(([l, pw]) => `Basic ${b64(`${l}:${pw}`)}`), weight: 2 },
    {
      arbitrary: fc.oneof(fc.string(), fc.base64String(), fc.constantFrom('', '=', 'Og==', b64(':'), b64(`${'a'.repeat(300)}:b`))).map((x) => `Basic ${x}`),
      weight: 1,
    },
    {
      arbitrary: fc.oneof(fc.string(), fc.constantFrom('Bearer', 'Basic', 'Bearer a b', 'Digest x=1', 'Negotiate', `Bearer ${'a'.repeat(20_000)}`)),
      weight: 1,
    },
  );
}

const KNOWN_HEADERS = ['authorization', 'x-auth-token', 'accept', 'origin', 'content-type', 'access-control-request-method', 'access-control-request-headers'];

export function headers(pool: CredentialPool): fc.Arbitrary<Record<string, string>> {
  const origin = fc.oneof(
    fc.constantFrom(...ALLOWED_ORIGINS, ...ALLOWED_ORIGINS),
    fc.constantFrom('https://evil.example', 'null', 'https://app.example.com.evil.test', 'HTTPS://APP.EXAMPLE.COM', 'https://app.example.com/', ''),
    fc.webUrl(),
  );
  return fc
    .record(
      {
        authorization: authorization(pool),
        'x-auth-token': fc.oneof(token(pool), fc.string()),
        accept: fc.oneof(fc.constantFrom('application/json', 'text/html', 'text/html,application/xhtml+xml;q=0.9', '*/*', ''), fc.string()),
        origin,
        'access-control-request-method': fc.oneof(fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT'), fc.string()),
        'access-control-request-headers': fc.constantFrom('authorization, content-type', 'x-auth-token', 'x-anything'),
        extra: fc.dictionary(
          fc.string({ minLength: 1, maxLength: 20 }).filter((name) => !KNOWN_HEADERS.includes(name.toLowerCase())),
          fc.string({ maxLength: 50 }),
          { maxKeys: 3 },
        ),
      },
      { requiredKeys: [] },
    )
    .map(({ extra, ...known }) => ({ ...extra, ...known }) as Record<string, string>);
}

export function method(own: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...own), weight: 8 },
    { arbitrary: fc.constant('OPTIONS'), weight: 1 },
    { arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'TRACE', 'CONNECT', 'PROPFIND'), weight: 1 },
    {
      arbitrary: fc.oneof(
        fc.constantFrom(...own).map((m) => m.toLowerCase()),
        fc.string({ maxLength: 10 }),
      ),
      weight: 1,
    },
  );
}

/** A path segment for a {param}: the route's plausible values, and anything at all. */
export function segment(pool: CredentialPool): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...pool.apiTokenIds, ...pool.goodTokens.filter((t) => t.startsWith('authsvc_')), 'hash-verification', 'Hash%20Verification', 'all', 'list'),
    fc.uuid().map(String),
    fc.constantFrom('..', '.', '%00', '%2F', '%E0%A4%A', '%', 'a%2Fb', '💥', 'x'.repeat(3000), 'swagger-ui.css', 'init.js', 'index.html'),
    fc.string({ minLength: 1, maxLength: 30 }).map(percentEncode),
  );
}

/** A path from a template such as /tokens/{id}, and the parameters API Gateway would pass. */
export function pathFor(template: string, pool: CredentialPool): fc.Arbitrary<{ path: string; pathParameters?: Record<string, string> }> {
  const names = [...template.matchAll(/\{(\w+)\+?\}/g)].map((m) => m[1]!);
  return fc.tuple(fc.array(segment(pool), { minLength: names.length, maxLength: names.length }), fc.constantFrom('', '', '', '/')).map(([values, slash]) => {
    let i = 0;
    const path = template.replace(/\{(\w+)\+?\}/g, () => values[i++]!) + slash;
    if (!names.length) return { path };
    return { path, pathParameters: Object.fromEntries(names.map((name, j) => [name, safeDecode(values[j]!)])) };
  });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Paths under a router's prefixes that may or may not name a route, for the routers' own fuzzing. */
export function routerPath(prefixes: readonly string[], templates: readonly string[], pool: CredentialPool): fc.Arbitrary<string> {
  return fc.oneof(
    fc
      .constantFrom(...templates)
      .chain((t) => pathFor(t, pool))
      .map((p) => p.path),
    fc
      .tuple(fc.constantFrom(...prefixes), fc.array(segment(pool), { maxLength: 4 }), fc.constantFrom('', '/', '//'))
      .map(([p, s, end]) => `${p}/${s.join('/')}${end}`),
    fc.tuple(fc.constantFrom(...prefixes), fc.string()).map(([p, s]) => `${p}${s}`),
  );
}

export function query(pool: CredentialPool): fc.Arbitrary<Record<string, string> | undefined> {
  return fc.option(
    fc.dictionary(fc.oneof(fc.constant('token'), fc.constantFrom('utm_source', 'next', 'redirect', '__proto__'), fc.string({ maxLength: 10 })), text(pool), {
      maxKeys: 3,
    }),
    { nil: undefined },
  );
}

/** The megabyte bodies are encoded once, not once per case. */
const encoded = new Map<string, string>();
function base64Of(body: string | Buffer): string {
  if (typeof body !== 'string' || body.length < 100_000) return Buffer.from(body).toString('base64');
  if (!encoded.has(body)) encoded.set(body, Buffer.from(body).toString('base64'));
  return encoded.get(body)!;
}

/** A whole request for a route with the given methods, path and body fields. */
export function request(options: {
  methods: readonly string[];
  path: fc.Arbitrary<{ path: string; pathParameters?: Record<string, string> }>;
  fields: readonly string[];
  pool: CredentialPool;
  /** Valid bodies of the route (examples.ts), sent as they are or slightly broken. */
  example?: fc.Arbitrary<Record<string, unknown>> | undefined;
}): fc.Arbitrary<GeneratedRequest> {
  const { pool } = options;
  return fc
    .record({
      method: method(options.methods),
      where: options.path,
      query: query(pool),
      headers: headers(pool),
      body: body(options.fields, pool, options.example),
      base64: fc.constantFrom('as-sent', 'base64', 'base64', 'flag-only'),
      sourceIp: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant('127.0.0.1')),
    })
    .map(({ method: m, where, query: q, headers: h, body: b, base64, sourceIp }) => {
      const isBuffer = Buffer.isBuffer(b.body);
      // Bytes can only travel base64-encoded; text either way, or flagged as base64 when it is not.
      const encode = b.body !== undefined && (isBuffer || base64 === 'base64');
      const bodyText = b.body === undefined ? undefined : encode ? base64Of(b.body) : (b.body as string);
      const flagOnly = b.body !== undefined && !encode && base64 === 'flag-only';
      return {
        method: m,
        path: where.path,
        ...(where.pathParameters ? { pathParameters: where.pathParameters } : {}),
        ...(q ? { query: q } : {}),
        headers: { ...h, ...(b.contentType !== undefined ? { 'content-type': b.contentType } : {}) },
        ...(bodyText !== undefined ? { body: bodyText } : {}),
        isBase64Encoded: encode || flagOnly,
        // Text decoded as if it were base64 is some other byte string: no promise about it.
        malformed: b.malformed && !flagOnly,
        unknownField: b.unknownField && !flagOnly,
        sourceIp,
      };
    });
}
