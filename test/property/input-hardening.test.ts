// The input-hardening audit's findings, each pinned by the request that broke it (every one of
// these answered 500, crashed the Lambda, or was silently accepted before its fix).
import { describe, expect, it, vi } from 'vitest';
import type { HttpEvent, HttpResult } from '../../lib/http/types.ts';
import { dependencies } from '../../lib/wiring/dependencies.ts';
import { httpEvent } from '../support/http-event.ts';
import { credentialPool } from './support/credentials.ts';
import { context } from './support/events.ts';
import { loadHandlers } from './support/handlers.ts';

const handlers = await loadHandlers();
const pool = await credentialPool();

/** U+FDFA is one character that NFKC turns into 18 (33 bytes): 150 of them make no table key. */
const EXPANDS = '\uFDFA'.repeat(150);

const json = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  httpEvent({ method, path, headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const basic = (login: string, password: string) => `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
const body = (result: HttpResult) => JSON.parse(result.body ?? 'null');
const call = (name: keyof typeof handlers, event: HttpEvent) => handlers[name](event, context);

describe('DRF bodies (TCAP, miniSASS)', () => {
  it('ignore a field called like an Object.prototype member, as DRF ignores unknown keys, instead of crashing', async () => {
    for (const field of ['toString', 'valueOf', 'hasOwnProperty']) {
      const result = await call('compat-minisass', json('POST', '/authentication/api/token/', { username: 'jane', password: 'x', [field]: 'y' }));
      expect(result.statusCode).toBe(401);
      expect(body(result)).toEqual({ detail: 'No active account found with the given credentials' });
    }
  });

  it('name a field called like an Object.prototype member in a field error, as a plain key', async () => {
    const result = await call('compat-minisass', json('POST', '/authentication/api/token/', { username: null, password: '', toString: 'y' }));
    expect(result.statusCode).toBe(400);
    expect(body(result)).toEqual({ username: ['This field may not be null.'], password: ['This field may not be blank.'] });
  });
});

describe('keys that reach prototypes', () => {
  it('are refused at any depth, by path, in every dialect', async () => {
    const register = await call(
      'compat-minisass',
      json('POST', '/authentication/api/register/', '{"username":"x","additional_fields":{"constructor":"y","__proto__":"z"}}'),
    );
    expect(register.statusCode).toBe(400);
    expect(Object.keys(body(register)).sort()).toEqual(['additional_fields.__proto__', 'additional_fields.constructor']);
    const native = await call('login', json('POST', '/login', '{"username":"jane","password":"x","prototype":1}'));
    expect(native.statusCode).toBe(400);
    expect(body(native).errors).toEqual([{ field: 'prototype', message: 'This field name is not allowed.' }]);
  });
});

describe('keys of free-form objects (miniSASS additional_fields)', () => {
  // {"": "x"} reached DynamoDB, which refuses an empty attribute name: a 500.
  const registration = (additional_fields: unknown) =>
    call(
      'compat-minisass',
      json('POST', '/authentication/api/register/', {
        username: `ff_${Math.random().toString(36).slice(2, 10)}`,
        email: `ff_${Math.random().toString(36).slice(2, 10)}@example.com`,
        password: 'correct horse battery staple',
        organizationType: 'NGO',
        organizationName: 'test',
        country: 'South Africa',
        additional_fields,
      }),
    );

  it.each([
    ['an empty key', { '': 'x' }, /empty key/],
    ['a key of 101 characters', { ['k'.repeat(101)]: 'x' }, /longer than 100/],
    ['a key with NUL', { 'a\u0000b': 'x' }, /control characters/],
    ['a lone surrogate', { '\uD800': 'x' }, /broken Unicode/],
    ['a reserved prefix', { __x: 'x' }, /"__", which is reserved/],
    ['51 keys', Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])), /more than 50 keys/],
  ])('refuses %s with a 400 in DRF’s envelope naming additional_fields', async (_, extras, message) => {
    const result = await registration(extras);
    expect(result.statusCode, result.body).toBe(400);
    expect(body(result)).toEqual({ additional_fields: [expect.stringMatching(message)] });
  });

  it('stores keys that only look like stored attribute names, inside the map where they cannot collide', async () => {
    const extras = { pk: 'a', sk: 'b', passwordHash: 'c', additionalFields: 'd', constructor_: 'e', 𝕏: 'f', ['k'.repeat(100)]: 'g' };
    const result = await registration(extras);
    expect(result.statusCode, result.body).toBe(201);
    expect(body(result).additional_fields).toEqual(extras);
  });
});

describe('login names', () => {
  it('are bounded on every compatibility route (an unbounded one reached a table key: 500)', async () => {
    const long = 'a'.repeat(5000);
    const cases: [keyof typeof handlers, string, Record<string, string>][] = [
      ['compat-eclecticiq', '/auth', { username: long, password: 'x' }],
      ['compat-tcap', '/token-auth/tcap/', { username: long, password: 'x' }],
      ['compat-tcap', '/token-auth/api/login', { username: long, password: 'x', requested_service: 'Hash Verification' }],
      ['compat-minisass', '/authentication/api/token/', { username: long, password: 'x' }],
      ['compat-minisass', '/authentication/api/login/', { email: EXPANDS, password: 'x' }],
    ];
    for (const [name, path, sent] of cases) {
      const result = await call(name, json('POST', path, sent));
      expect(result.statusCode, path).toBe(400);
    }
  });

  it('are bounded by their normalised size too (NFKC multiplies some characters)', async () => {
    const register = await call(
      'register',
      json('POST', '/register', { username: EXPANDS, email: 'fdfa@example.com', password: 'correct horse battery staple' }),
    );
    expect(register.statusCode).toBe(400);
    // A username is checked after NFKC (lib/domain/identity.ts), so its length limit is the bound.
    expect(body(register).errors).toEqual([{ field: 'username', message: 'Use at most 150 characters.' }]);
    const serviceToken = await call(
      'service-token',
      json('POST', '/service-token', { username: EXPANDS, password: 'x', requested_service: 'Hash Verification' }),
    );
    expect(serviceToken.statusCode).toBe(400);
    // No account can have such an address: refused by the address rules (an ASCII local part, at
    // most 254 characters after NFKC), whether or not anyone has an account, never a failed table read.
    const forgot = await call('password-forgot', json('POST', '/password/forgot', { email: `${'\uFDFA'.repeat(200)}@example.com` }));
    expect(forgot.statusCode).toBe(400);
    expect(body(forgot).errors.map((e: { field: string }) => e.field)).toEqual(['email']);
  });

  // Without the bound, the failed-login counter's key (LOGINFAIL#username:<normalised>) overflows: a 500.
  it('POST /login with a name that NFKC-expands past a table key answers 400, not 500', async () => {
    const result = await call('login', json('POST', '/login', { username: EXPANDS, password: 'x' }));
    expect(result.statusCode).toBe(400);
  });

  it('in HTTP Basic credentials are bounded as in a body', async () => {
    for (const login of ['a'.repeat(3000), EXPANDS]) {
      const native = await call('login', httpEvent({ path: '/login', headers: { authorization: basic(login, 'pw') } }));
      expect(native.statusCode).toBe(400);
      expect(body(native).errors).toEqual([{ field: 'authorization', message: 'The Basic credentials are too long.' }]);
      const opentact = await call('compat-opentact', httpEvent({ method: 'GET', path: '/rest/auth', headers: { authorization: basic(login, 'pw') } }));
      expect(opentact.statusCode).toBe(400);
      expect(body(opentact).success).toBe(false);
    }
  });
});

describe('routes that take no body', () => {
  const bearer = () => ({ authorization: `Bearer ${pool.goodTokens[1]}` });

  it('refuse fields by name instead of ignoring them', async () => {
    const logoutAll = await call('logout-all', json('POST', '/logout/all', { everywhere: true }, bearer()));
    expect([logoutAll.statusCode, body(logoutAll).errors]).toEqual([400, [{ field: 'everywhere', message: 'Unknown field.' }]]);
    const deleteAll = await call('api-tokens', json('DELETE', '/tokens', { confirm: 'yes' }, bearer()));
    expect(deleteAll.statusCode).toBe(400);
    const deleteOne = await call('api-token', {
      ...json('DELETE', `/tokens/${pool.apiTokenIds[0]}`, { force: true }, bearer()),
      pathParameters: { id: pool.apiTokenIds[0]! },
    });
    expect(deleteOne.statusCode).toBe(400);
    for (const path of ['/rest/token/all', `/rest/token/${pool.apiTokenIds[0]}`]) {
      const opentact = await call('compat-opentact', json('DELETE', path, { force: true }, bearer()));
      expect(opentact.statusCode, path).toBe(400);
    }
    // Nothing was deleted by the refused requests.
    const list = await call('api-tokens', httpEvent({ method: 'GET', path: '/tokens', headers: bearer() }));
    expect(body(list).tokens.map((t: { id: string }) => t.id)).toContain(pool.apiTokenIds[0]);
  });
});

describe('link tokens in the query string', () => {
  it('are bounded: an over-long one is an invalid link without a table read', async () => {
    const deps = dependencies();
    const reads = [vi.spyOn(deps.oneTimeTokens, 'findResetToken'), vi.spyOn(deps.oneTimeTokens, 'findVerifyToken')];
    for (const [name, path] of [
      ['password-reset', '/password/reset'],
      ['email-verify', '/email/verify'],
    ] as const) {
      const event = { ...httpEvent({ method: 'GET', path }), queryStringParameters: { token: 'x'.repeat(513) } };
      const result = await call(name, event);
      expect(result.statusCode).toBe(400);
      expect(result.headers['content-type']).toMatch(/^text\/html/);
    }
    for (const read of reads) expect(read).not.toHaveBeenCalled();
  });
});

describe('the docs assets', () => {
  it('answer 404 for names of Object.prototype members (was a 500)', async () => {
    for (const file of ['constructor', 'toString', '__proto__']) {
      const result = await call('docs', { ...httpEvent({ method: 'GET', path: `/docs/${file}` }), pathParameters: { file } });
      expect(result.statusCode, file).toBe(404);
    }
  });
});
