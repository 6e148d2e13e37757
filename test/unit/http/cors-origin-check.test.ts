// CORS decided per request (ServeOptions.corsOriginCheck): the OAuth token, userinfo and revocation
// endpoints, and discovery, let registered browser clients' origins read their answers besides
// CORS_ORIGINS. Only a serialised web origin is looked up, and a failing lookup allows nothing.
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { useTestConfig } from './config-env.ts';
import { CLIENT, from, route } from './origin-checked-route.ts';

const context = {} as Context;
const STRANGER = 'https://evil.example';

// No CORS_ORIGINS at all (the configuration is read once per file): only the check can allow an
// origin. test/unit/http/cors-origin-check-beside.test.ts has the check beside CORS_ORIGINS.
useTestConfig({ CORS_ORIGINS: '' });

describe('CORS from an origin check', () => {
  it('lets an origin the check allows read answers and errors', async () => {
    const { handler } = route();
    for (const method of ['GET', 'POST']) {
      const result = await handler(from(CLIENT, method), context);
      expect(result.headers['access-control-allow-origin'], method).toBe(CLIENT);
      expect(result.headers.vary).toBe('Origin');
      expect(result.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  it("answers an allowed origin's preflight with 204, and another's with the route description", async () => {
    const { handler } = route();
    const allowed = await handler(from(CLIENT, 'OPTIONS', { 'access-control-request-method': 'POST' }), context);
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers).toMatchObject({ 'access-control-allow-origin': CLIENT, 'access-control-allow-methods': 'GET, POST' });
    const refused = await handler(from(STRANGER, 'OPTIONS', { 'access-control-request-method': 'POST' }), context);
    expect(refused.statusCode).toBe(200);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('gives an origin the check refuses no CORS header, but Vary: Origin even without CORS_ORIGINS', async () => {
    const { handler } = route();
    const result = await handler(from(STRANGER), context);
    expect(result.statusCode).toBe(200);
    expect(result.headers['access-control-allow-origin']).toBeUndefined();
    expect(result.headers.vary).toBe('Origin');
  });

  it('looks up only serialised web origins (RFC 6454 §6.2), never null, paths, default ports or upper case', async () => {
    const { handler, asked } = route(async () => true);
    for (const origin of ['null', `${CLIENT}/`, `${CLIENT}:443`, 'https://CLIENT.example.com', 'file://', `https://${'a'.repeat(300)}.example`]) {
      const result = await handler(from(origin), context);
      expect(result.headers['access-control-allow-origin'], origin).toBeUndefined();
    }
    expect(asked).toEqual([]);
    await handler(from(undefined), context);
    expect(asked).toEqual([]);
  });

  it('fails closed: a check that throws allows nothing and leaves the answer as it was', async () => {
    const { handler } = route(async () => {
      throw new Error('DynamoDB is down');
    });
    const result = await handler(from(CLIENT), context);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body!)).toEqual({ hello: true });
    expect(result.headers['access-control-allow-origin']).toBeUndefined();
  });
});
