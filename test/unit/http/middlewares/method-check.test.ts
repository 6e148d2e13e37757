// method-check: a method the route does not answer is refused with 405 and Allow; OPTIONS passes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MethodNotAllowedError } from '../../../../lib/domain/errors.ts';
import { methodCheck } from '../../../../lib/http/middlewares/method-check.ts';
import { httpEvent } from '../../../support/http-event.ts';
import { METHODS, run } from './run.ts';

describe('method-check', () => {
  it('lets an answered method and OPTIONS through, in any letter case', async () => {
    const check = methodCheck(() => ['POST']);
    expect((await run([check], httpEvent({ method: 'post' }))).statusCode).toBe(200);
    expect((await run([check], httpEvent({ method: 'OPTIONS' }))).statusCode).toBe(200);
  });

  it('refuses another with MethodNotAllowedError naming the allowed methods, OPTIONS last', async () => {
    const error = await run([methodCheck(() => ['GET', 'DELETE'])], httpEvent({ method: 'PUT' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MethodNotAllowedError);
    expect((error as MethodNotAllowedError).allowed).toEqual(['GET', 'DELETE', 'OPTIONS']);
  });

  it('asks for the methods per request (the router resolves them by path), and lets its errors through', async () => {
    const check = methodCheck((event) => {
      if (event.rawPath === '/none') throw new Error('404');
      return event.rawPath === '/a' ? ['GET'] : ['POST'];
    });
    expect((await run([check], httpEvent({ method: 'GET', path: '/a' }))).statusCode).toBe(200);
    await expect(run([check], httpEvent({ method: 'GET', path: '/b' }))).rejects.toBeInstanceOf(MethodNotAllowedError);
    await expect(run([check], httpEvent({ method: 'GET', path: '/none' }))).rejects.toThrow('404');
  });

  it('(property) passes exactly the answered methods and OPTIONS, and names them all when refusing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray([...METHODS].filter((m) => m !== 'OPTIONS')),
        fc.constantFrom(...METHODS, 'TRACE', 'get', 'Post'),
        async (answered, method) => {
          const outcome = await run([methodCheck(() => answered)], httpEvent({ method })).catch((e: unknown) => e);
          const upper = method.toUpperCase();
          if (upper === 'OPTIONS' || answered.includes(upper as never)) expect(outcome).toMatchObject({ statusCode: 200 });
          else expect(outcome).toMatchObject({ code: 'method_not_allowed', allowed: [...answered, 'OPTIONS'] });
        },
      ),
      { numRuns: 500 },
    );
  });
});
