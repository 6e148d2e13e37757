// guard: the selected guard runs before the handler and refuses by throwing; a preflight never spends it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TooManyRequestsError } from '../../../../lib/domain/errors.ts';
import { guard } from '../../../../lib/http/middlewares/guard.ts';
import { parseBody } from '../../../../lib/http/middlewares/parse-body.ts';
import type { HttpEvent } from '../../../../lib/http/types.ts';
import { httpEvent } from '../../../support/http-event.ts';
import { METHODS, run } from './run.ts';

describe('guard', () => {
  it('runs the selected guard with the event, then the handler', async () => {
    const seen: string[] = [];
    const result = await run([guard(() => async (event) => void seen.push(event.rawPath))], httpEvent({ path: '/login' }), async () => {
      seen.push('handler');
      return { statusCode: 200, headers: {}, body: '' };
    });
    expect(result.statusCode).toBe(200);
    expect(seen).toEqual(['/login', 'handler']);
  });

  it('refuses before the body is parsed: a 429 is not turned into a 415 or a 413', async () => {
    const refuse = guard(() => async () => {
      throw new TooManyRequestsError('slow down', 7);
    });
    const event = httpEvent({ headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(100_000) });
    await expect(run([refuse, parseBody()], event)).rejects.toBeInstanceOf(TooManyRequestsError);
  });

  it('(property) spends the guard exactly for the selected methods, never for OPTIONS', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...METHODS), fc.subarray([...METHODS]), async (method, guarded) => {
        let spent = 0;
        const select = (event: HttpEvent) => (guarded.includes(event.requestContext.http.method as never) ? async () => void spent++ : undefined);
        await run([guard(select)], httpEvent({ method }));
        expect(spent).toBe(method !== 'OPTIONS' && guarded.includes(method) ? 1 : 0);
      }),
      { numRuns: 300 },
    );
  });
});
