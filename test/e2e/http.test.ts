// HTTP plumbing shared by every route: 404 / 405 / OPTIONS, trailing slashes, the security headers
// on successes and errors alike, and hostile bodies that must end in a 4xx, never a 5xx or a trace.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiResponse,
  api,
  errorFields,
  expectNoLeak,
  expectProblem,
  expectSecurityHeaders,
  loggedInUser,
  newUser,
  type Session,
  suffix,
} from './helpers.ts';

/** The Allow header as a set of upper-case method names. */
const allowed = (res: ApiResponse): string[] =>
  (res.headers.get('allow') ?? '')
    .split(',')
    .map((method) => method.trim().toUpperCase())
    .filter(Boolean)
    .sort();

describe('HTTP plumbing', () => {
  describe('routing', () => {
    it('404 problem+json for an unknown route', async () => {
      for (const [method, path] of [
        ['GET', `/no-such-route-${suffix()}`],
        ['POST', '/users/123/delete'],
        ['GET', '/'],
      ] as const) {
        const res = await api(path, { method });
        expectProblem(res, 404);
        expectSecurityHeaders(res);
      }
    });

    it('405 with an Allow header for a method the route does not serve', async () => {
      for (const [method, path, expected] of [
        ['DELETE', '/login', ['OPTIONS', 'POST']],
        ['GET', '/login', ['OPTIONS', 'POST']],
        ['GET', '/register', ['OPTIONS', 'POST']],
        ['PUT', '/register', ['OPTIONS', 'POST']],
        ['POST', '/me', ['DELETE', 'GET', 'OPTIONS']],
        ['DELETE', '/.well-known/jwks.json', ['GET', 'OPTIONS']],
      ] as const) {
        const res = await api(path, { method });
        expectProblem(res, 405);
        expectSecurityHeaders(res);
        expect(allowed(res), `${method} ${path}`).toEqual(expected);
      }
    });

    it('OPTIONS answers with Allow, the methods and a description', async () => {
      for (const [path, expected] of [
        ['/login', ['OPTIONS', 'POST']],
        ['/register', ['OPTIONS', 'POST']],
        ['/me', ['DELETE', 'GET', 'OPTIONS']],
      ] as const) {
        const res = await api(path, { method: 'OPTIONS' });
        expect(res.status, `${path}: ${res.text}`).toBe(200);
        expect(allowed(res), path).toEqual(expected);
        expect([...res.body.methods].sort()).toEqual(expected);
        expect(res.body.description.length).toBeGreaterThan(10);
        expectSecurityHeaders(res);
      }
    });

    it('serves /register/ and /login/ with a trailing slash', async () => {
      const user = newUser('slash');
      const registered = await api('/register/', { json: user });
      expect(registered.status, registered.text).toBe(201);
      const loggedIn = await api('/login/', { json: { username: user.username, password: user.password } });
      expect(loggedIn.status, loggedIn.text).toBe(200);
      expect(loggedIn.body.user.id).toBe(registered.body.user.id);
    });
  });

  describe('security headers', () => {
    let session: Session;

    beforeAll(async () => {
      session = await loggedInUser('headers');
    });

    it('on successful answers', async () => {
      const register = await api('/register', { json: newUser() });
      expect(register.status).toBe(201);
      expectSecurityHeaders(register);
      expect(session.body.access_token).toEqual(expect.any(String));
      const login = await api('/login', { json: { email: session.user.email, password: session.user.password } });
      expect(login.status).toBe(200);
      expectSecurityHeaders(login);
      const me = await api('/me', { headers: { authorization: `Bearer ${session.accessToken}` } });
      expect(me.status).toBe(200);
      expectSecurityHeaders(me);
      const discovery = await api('/.well-known/openid-configuration');
      expect(discovery.status).toBe(200);
      expectSecurityHeaders(discovery, /\bmax-age=\d+/);
    });

    it('on error answers', async () => {
      const errors: ApiResponse[] = [
        await api('/register', { json: {} }), // 400
        await api('/login', { json: { username: session.user.username, password: 'wrong-password' } }), // 401
        await api('/me'), // 401
        await api(`/nowhere-${suffix()}`), // 404
        await api('/register', { method: 'GET' }), // 405
        await api('/register', { json: { ...session.user } }), // 409
        await api('/register', { json: { filler: 'x'.repeat(70_000) } }), // 413
        await api('/register', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' }), // 415
      ];
      expect(errors.map((res) => res.status)).toEqual([400, 401, 401, 404, 405, 409, 413, 415]);
      for (const res of errors) {
        expectProblem(res, res.status);
        expectSecurityHeaders(res);
      }
    });
  });

  describe('hostile bodies: a 4xx problem, never a 5xx or a stack trace', () => {
    const post = (path: string, body: string | Uint8Array, contentType = 'application/json') =>
      api(path, { method: 'POST', headers: { 'content-type': contentType }, body });

    it('a JSON array', async () => {
      for (const path of ['/register', '/login']) expectProblem(await post(path, '[{"username":"a"}]'), 400);
    });

    it('JSON null, and other non-object JSON values', async () => {
      for (const body of ['null', '42', '"text"', 'true']) {
        for (const path of ['/register', '/login']) expectProblem(await post(path, body), 400);
      }
    });

    it('deeply nested JSON', async () => {
      const depth = 10_000;
      const arrays = '['.repeat(depth) + ']'.repeat(depth);
      const objects = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      const inField = `{"username":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)},"password":"x"}`;
      for (const body of [arrays, objects, inField]) {
        for (const path of ['/register', '/login']) expectProblem(await post(path, body), 400);
      }
    });

    it('a "__proto__" key: 400 naming it, and no prototype pollution', async () => {
      const user = newUser('proto');
      const json = `{"username":"${user.username}","email":"${user.email}","password":"${user.password}","__proto__":{"permissions":["admin"],"status":"active"}}`;
      const res = await post('/register', json);
      const problem = expectProblem(res, 400);
      expect(errorFields(problem)).toContain('__proto__');

      const form = new URLSearchParams({ ...user });
      form.append('__proto__', 'x');
      const viaForm = await api('/register', { method: 'POST', body: form });
      expect(errorFields(expectProblem(viaForm, 400))).toContain('__proto__');

      const login = await post('/login', `{"username":"x","password":"y","__proto__":{"a":1}}`);
      expect(errorFields(expectProblem(login, 400))).toContain('__proto__');

      for (const key of ['constructor', 'prototype']) {
        const other = await post('/register', JSON.stringify({ ...newUser(), [key]: { a: 1 } }));
        expect(errorFields(expectProblem(other, 400))).toContain(key);
      }

      // Neither attempt created the account.
      const check = await api('/login', { json: { username: user.username, password: user.password } });
      expect(check.status).toBe(401);
    });

    it('invalid UTF-8 bytes', async () => {
      const bad = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]);
      const user = newUser();
      const register = await post(
        '/register',
        Buffer.concat([Buffer.from(`{"username":"${user.username}`), bad, Buffer.from(`","email":"${user.email}","password":"${user.password}"}`)]),
      );
      expectProblem(register, 400);
      // serverless-offline hands the Lambda a UTF-8-decoded string (bad bytes become U+FFFD), so
      // whether /login answers 400 (body refused) or 401 (no such user) depends on the gateway: any
      // 4xx problem is right, a 5xx is not.
      const login = await post('/login', Buffer.concat([Buffer.from('{"username":"'), bad, Buffer.from('","password":"x"}')]));
      expect([400, 401], login.text).toContain(login.status);
      expectProblem(login, login.status);
      const form = Buffer.concat([Buffer.from('username=a'), bad, Buffer.from('&password=b')]);
      for (const path of ['/register', '/login']) {
        const res = await post(path, form, 'application/x-www-form-urlencoded');
        expect([400, 401], res.text).toContain(res.status);
        expectProblem(res, res.status);
      }
    });

    it('base64 garbage and random bytes', async () => {
      const garbage = randomBytes(3000);
      const cases: [string, string | Uint8Array, string][] = [
        ['/register', garbage.toString('base64'), 'application/json'],
        ['/login', garbage.toString('base64'), 'application/json'],
        ['/register', garbage, 'application/json'],
        ['/login', garbage, 'application/x-www-form-urlencoded'],
        ['/register', garbage, 'multipart/form-data; boundary=xyz'],
        ['/register', garbage.toString('base64'), 'multipart/form-data; boundary=----never-in-the-body'],
      ];
      for (const [path, body, contentType] of cases) {
        const res = await post(path, body, contentType);
        expect(res.status, `${path} ${contentType}: ${res.text}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${path} ${contentType}: ${res.text}`).toBeLessThan(500);
        expectProblem(res, res.status);
        expectSecurityHeaders(res);
      }
      // multipart without a boundary: serverless-offline's HTTP server (hapi) refuses it itself with
      // its own JSON 400 before the Lambda runs (API Gateway would pass it on), so only "no 5xx" here.
      const noBoundary = await post('/register', garbage.toString('base64'), 'multipart/form-data');
      expect(noBoundary.status).toBeGreaterThanOrEqual(400);
      expect(noBoundary.status).toBeLessThan(500);
      expectNoLeak(noBoundary);
    });

    it('garbage authorization headers', async () => {
      for (const authorization of ['Basic !!!', `Basic ${randomBytes(60).toString('base64')}`, 'Basic Og==', 'Digest x', 'Bearer']) {
        const res = await api('/login', { method: 'POST', headers: { authorization } });
        expect(res.status, `${authorization}: ${res.text}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expectProblem(res, res.status);
        expectNoLeak(res);
      }
    });
  });
});
