// security-headers: HSTS, nosniff, no-store, Referrer-Policy and X-Frame-Options on every answer,
// errors included; a handler's own Cache-Control wins.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../../lib/domain/errors.ts';
import { errorResponse } from '../../../../lib/http/middlewares/error-response.ts';
import { secure, securityHeaders } from '../../../../lib/http/middlewares/security-headers.ts';
import { SECURITY_HEADERS } from '../../../../lib/http/response.ts';
import { httpEvent } from '../../../support/http-event.ts';
import { run } from './run.ts';

const EXPECTED = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

describe('security-headers', () => {
  it('sets the five headers on an answer', async () => {
    const result = await run([securityHeaders()], httpEvent({}));
    expect(result.headers).toEqual({ ...EXPECTED, 'content-type': 'application/json' });
  });

  it('sets them on an error answer when placed before error-response', async () => {
    const result = await run([securityHeaders(), errorResponse()], httpEvent({}), async () => {
      throw new ConflictError([]);
    });
    expect(result.statusCode).toBe(409);
    expect(result.headers).toMatchObject(EXPECTED);
  });

  it('keeps a Cache-Control the handler chose (public documents)', async () => {
    const result = await run([securityHeaders()], httpEvent({}), async () => ({
      statusCode: 200,
      headers: { 'cache-control': 'public, max-age=300' },
      body: '',
    }));
    expect(result.headers['cache-control']).toBe('public, max-age=300');
    expect(result.headers['x-frame-options']).toBe('DENY');
  });

  it('(property) every header the handler set stays; every security header it did not set is added', () => {
    const name = fc.constantFrom(...Object.keys(SECURITY_HEADERS), 'content-type', 'location', 'x-custom');
    fc.assert(
      fc.property(fc.dictionary(name, fc.string()), fc.integer({ min: 100, max: 599 }), (headers, statusCode) => {
        const result = secure({ statusCode, headers, body: 'b' });
        expect(result.statusCode).toBe(statusCode);
        expect(result.body).toBe('b');
        for (const [key, value] of Object.entries(SECURITY_HEADERS)) expect(result.headers[key]).toBe(key in headers ? headers[key] : value);
        for (const [key, value] of Object.entries(headers)) expect(result.headers[key]).toBe(value);
      }),
      { numRuns: 1000 },
    );
  });
});
