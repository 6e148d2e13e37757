// CORS for the origins in CORS_ORIGINS: the pure rules (lib/http/cors.ts), and the shared plumbing
// applying them to every answer of a served route and of httpRouter, errors and preflights included, with
// the configuration read at the first request rather than at import.
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../../../lib/domain/errors.ts';
import { allowedOrigin, isPreflight, preflight, withCors } from '../../../lib/http/cors.ts';
import { json } from '../../../lib/http/response.ts';
import { httpRouter } from '../../../lib/http/router.ts';
import { drfError } from '../../../lib/routes/compat/envelopes.ts';
import { httpEvent } from '../../support/http-event.ts';
import { oneRoute } from '../../support/one-route.ts';
import { useTestConfig } from './config-env.ts';

const context = {} as Context;
const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';
const from = (origin: string | undefined, options: Parameters<typeof httpEvent>[0] = {}) =>
  httpEvent({ ...options, headers: { ...(origin ? { origin } : {}), ...options.headers } });

describe('the CORS rules', () => {
  it('allow exactly the listed origins, or any with *', () => {
    expect(allowedOrigin(from(APP), [APP])).toBe(APP);
    expect(allowedOrigin(from(EVIL), [APP])).toBeUndefined();
    expect(allowedOrigin(from(`${APP}/`), [APP])).toBeUndefined();
    expect(allowedOrigin(from('null'), [APP])).toBeUndefined();
    expect(allowedOrigin(from(EVIL), ['*'])).toBe(EVIL);
    expect(allowedOrigin(from(undefined), ['*'])).toBeUndefined();
    expect(allowedOrigin(from(APP), [])).toBeUndefined();
  });

  it('tell a preflight from a plain OPTIONS by Access-Control-Request-Method', () => {
    expect(isPreflight(from(APP, { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST' } }))).toBe(true);
    expect(isPreflight(from(APP, { method: 'OPTIONS' }))).toBe(false);
    expect(isPreflight(from(APP, { method: 'POST', headers: { 'access-control-request-method': 'POST' } }))).toBe(false);
  });

  it('add nothing at all when no origin is configured', () => {
    const result = json(200, {});
    expect(withCors(from(APP), result, [])).toBe(result);
    expect(preflight(from(APP, { method: 'OPTIONS', headers: { 'access-control-request-method': 'GET' } }), ['GET'], [])).toBeUndefined();
  });

  it('say Vary: Origin on every answer once configured, keeping an existing Vary', () => {
    expect(withCors(from(EVIL), json(200, {}), [APP]).headers.vary).toBe('Origin');
    expect(withCors(from(undefined), json(200, {}, { vary: 'Accept' }), [APP]).headers.vary).toBe('Accept, Origin');
    expect(withCors(from(APP), json(200, {}, { vary: 'origin' }), [APP]).headers.vary).toBe('origin');
  });
});

describe('CORS in the shared plumbing', () => {
  // Built before the configuration exists: it must be read at the first request, not at import.
  const route = oneRoute({ methods: ['GET', 'POST'], summary: 'Says hello.' }, async (event) => {
    if (event.requestContext.http.method === 'POST') throw new InvalidTokenError();
    return json(200, { hello: true });
  });
  const router = httpRouter([{ method: 'DELETE', path: '/rest/token/{token}', summary: 'Deletes one.', handle: async () => json(200, {}) }], {
    errors: drfError,
  });
  useTestConfig({ CORS_ORIGINS: `${APP}, http://localhost:5173` });

  it('lets an allowed origin read answers and errors, with the headers it needs exposed', async () => {
    for (const method of ['GET', 'POST', 'PUT']) {
      const result = await route(from(APP, { method }), context);
      expect(result.headers).toMatchObject({ 'access-control-allow-origin': APP, vary: 'Origin', 'strict-transport-security': expect.any(String) });
      expect(result.headers['access-control-expose-headers']).toMatch(/retry-after.*www-authenticate.*location/);
      // Tokens travel in headers, not cookies: never credentials.
      expect(result.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  it('gives other origins nothing but Vary', async () => {
    for (const origin of [EVIL, 'null', undefined]) {
      const result = await route(from(origin, { method: 'GET' }), context);
      expect(result.statusCode).toBe(200);
      expect(result.headers['access-control-allow-origin']).toBeUndefined();
      expect(result.headers.vary).toBe('Origin');
    }
  });

  it("answers an allowed origin's preflight with 204, the route's methods, headers and max age", async () => {
    const result = await route(
      from(APP, { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' } }),
      context,
    );
    expect(result.statusCode).toBe(204);
    expect(result.body).toBe('');
    expect(result.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization, content-type, x-auth-token, device-proof',
      'access-control-max-age': '600',
      vary: 'Origin',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    const routed = await router(
      from('http://localhost:5173', { method: 'OPTIONS', path: '/rest/token/abc/', headers: { 'access-control-request-method': 'DELETE' } }),
      context,
    );
    expect(routed.statusCode).toBe(204);
    expect(routed.headers['access-control-allow-methods']).toBe('DELETE');
  });

  it("answers another origin's preflight, and a plain OPTIONS, with the route's description and no CORS", async () => {
    const refused = await route(from(EVIL, { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST' } }), context);
    const plain = await route(from(APP, { method: 'OPTIONS' }), context);
    expect(refused.statusCode).toBe(200);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(refused.headers['access-control-allow-methods']).toBeUndefined();
    expect(JSON.parse(plain.body!)).toMatchObject({ methods: ['GET', 'POST', 'OPTIONS'], description: 'GET: Says hello. POST: Says hello.' });
    expect(plain.headers.allow).toBe('GET, POST, OPTIONS');
  });
});
