// cors middleware: CORS headers for an allowed Origin on answers and errors alike, never credentials.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../../../../lib/domain/errors.ts';
import { cors } from '../../../../lib/http/middlewares/cors.ts';
import { errorResponse } from '../../../../lib/http/middlewares/error-response.ts';
import type { HttpResult } from '../../../../lib/http/types.ts';
import { httpEvent } from '../../../support/http-event.ts';
import { run } from './run.ts';

const APP = 'https://app.example.com';
const fail = async () => {
  throw new InvalidTokenError();
};

describe('cors', () => {
  it('lets an allowed origin read an answer and the headers it needs', async () => {
    const result = await run([cors(() => [APP])], httpEvent({ headers: { origin: APP } }));
    expect(result.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-expose-headers': 'retry-after, www-authenticate, location, allow, device-proof',
      vary: 'Origin',
    });
    expect(result.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('adds the headers to an error answer when placed before error-response', async () => {
    const result = await run([cors(() => [APP]), errorResponse()], httpEvent({ headers: { origin: APP } }), fail);
    expect(result.statusCode).toBe(401);
    expect(result.headers).toMatchObject({ 'access-control-allow-origin': APP, 'www-authenticate': expect.any(String), vary: 'Origin' });
  });

  it('leaves an unhandled error alone (no response to add headers to)', async () => {
    await expect(run([cors(() => [APP])], httpEvent({ headers: { origin: APP } }), fail)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('reads the origins at each answer, not when it is built', async () => {
    let origins: string[] = [];
    const middleware = cors(() => origins);
    expect((await run([middleware], httpEvent({ headers: { origin: APP } }))).headers.vary).toBeUndefined();
    origins = [APP];
    expect((await run([middleware], httpEvent({ headers: { origin: APP } }))).headers['access-control-allow-origin']).toBe(APP);
  });

  it('(property) Allow-Origin echoes exactly an allowed origin, Vary names Origin once configured, never credentials', async () => {
    const origin = fc.oneof(fc.constantFrom(APP, `${APP}/`, 'null', 'https://APP.example.com'), fc.webUrl());
    await fc.assert(
      fc.asyncProperty(
        fc.option(origin),
        fc.subarray([APP, 'http://localhost:5173', '*']),
        fc.boolean(),
        fc.option(fc.constantFrom('Accept', 'origin')),
        async (sent, origins, failing, vary) => {
          const handler = failing ? fail : async (): Promise<HttpResult> => ({ statusCode: 200, headers: vary ? { vary } : {}, body: '' });
          const result = await run([cors(() => origins), errorResponse()], httpEvent({ headers: sent ? { origin: sent } : {} }), handler);
          const allowed = sent !== null && (origins.includes('*') || origins.includes(sent));
          expect(result.headers['access-control-allow-origin']).toBe(allowed ? sent : undefined);
          expect(result.headers['access-control-allow-credentials']).toBeUndefined();
          if (origins.length) expect(result.headers.vary).toMatch(/\bOrigin\b/i);
          else expect(result.headers.vary).toBe(failing ? undefined : (vary ?? undefined));
        },
      ),
      { numRuns: 500 },
    );
  });
});
