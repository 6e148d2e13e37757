// parse-body middleware: POST / PUT / PATCH / DELETE bodies become event.parsedBody; others are left
// alone. (The parsing itself is tested in test/unit/http/parse-body.test.ts.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError, UnsupportedMediaTypeError } from '../../../../lib/domain/errors.ts';
import { BODY_METHODS, parseBody } from '../../../../lib/http/middlewares/parse-body.ts';
import type { HttpEvent } from '../../../../lib/http/types.ts';
import { httpEvent } from '../../../support/http-event.ts';
import { METHODS, run } from './run.ts';

const seen = (into: { event?: HttpEvent }) => async (event: HttpEvent) => {
  into.event = event;
  return { statusCode: 200, headers: {}, body: '' };
};

describe('parse-body', () => {
  it('parses JSON, urlencoded and multipart bodies', async () => {
    const got: { event?: HttpEvent } = {};
    await run([parseBody()], httpEvent({ method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"a":1}' }), seen(got));
    expect(got.event?.parsedBody).toEqual({ a: 1 });
    await run([parseBody()], httpEvent({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=two' }), seen(got));
    expect(got.event?.parsedBody).toEqual({ a: '1', b: 'two' });
    const form = new FormData();
    form.set('name', 'x');
    const request = new Request('http://x', { method: 'POST', body: form });
    const body = Buffer.from(await request.arrayBuffer());
    await run([parseBody()], httpEvent({ headers: { 'content-type': request.headers.get('content-type')! }, body }), seen(got));
    expect(got.event?.parsedBody).toEqual({ name: 'x' });
  });

  it('gives an empty body as {} and refuses an unknown type with 415', async () => {
    const got: { event?: HttpEvent } = {};
    await run([parseBody()], httpEvent({ method: 'DELETE' }), seen(got));
    expect(got.event?.parsedBody).toEqual({});
    await expect(run([parseBody()], httpEvent({ headers: { 'content-type': 'text/plain' }, body: 'hi' }))).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
  });

  it('(property) only body methods get parsedBody; anything sent ends in an object or a 4xx AppError', async () => {
    const contentType = fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain', '');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...METHODS), contentType, fc.string({ maxLength: 200 }), async (method, type, body) => {
        const got: { event?: HttpEvent } = {};
        const outcome = await run([parseBody()], httpEvent({ method, headers: type ? { 'content-type': type } : {}, body }), seen(got)).catch(
          (e: unknown) => e,
        );
        if (!BODY_METHODS.has(method)) {
          expect(got.event?.parsedBody).toBeUndefined();
          return;
        }
        if (outcome instanceof AppError) expect(['malformed_body', 'unsupported_media_type', 'invalid_request']).toContain(outcome.code);
        else expect(typeof got.event?.parsedBody).toBe('object');
      }),
      { numRuns: 500 },
    );
  });
});
