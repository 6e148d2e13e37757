// validate-body: the parsed body against the operation's schema, the typed value as validBody;
// an optional body (login's HTTP Basic) may be empty.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ValidationError } from '../../../../lib/domain/errors.ts';
import { parseBody } from '../../../../lib/http/middlewares/parse-body.ts';
import { validateBody, type WithValidBody } from '../../../../lib/http/middlewares/validate-body.ts';
import { basicCredentials } from '../../../../lib/http/request.ts';
import type { HttpEvent } from '../../../../lib/http/types.ts';
import { httpEvent } from '../../../support/http-event.ts';
import { run } from './run.ts';

const schema = z.strictObject({ name: z.string().check(z.minLength(1)), size: z.optional(z.number()) });
type Body = z.output<typeof schema>;

/** Runs parse-body then validate-body and returns what the handler saw as validBody (or the error). */
async function validBodyOf(
  rule: Parameters<typeof validateBody>[0],
  options: Parameters<typeof httpEvent>[0],
): Promise<{ body?: Body | undefined; error?: unknown }> {
  let body: Body | undefined;
  const handler = async (event: HttpEvent) => {
    // A handler behind validate-body reads a typed value.
    body = (event as WithValidBody<Body>).validBody;
    return { statusCode: 200, headers: {}, body: '' };
  };
  try {
    await run([parseBody(), validateBody(rule)], httpEvent(options), handler);
    return { body };
  } catch (error) {
    return { error };
  }
}

const json = (body: unknown, extra: Record<string, string> = {}) => ({ headers: { 'content-type': 'application/json', ...extra }, body: JSON.stringify(body) });

describe('validate-body', () => {
  it('hands the handler the validated value', async () => {
    expect(await validBodyOf({ schema }, json({ name: 'a', size: 2 }))).toEqual({ body: { name: 'a', size: 2 } });
  });

  it('refuses a bad body with a ValidationError naming each field, unknown ones included', async () => {
    const { error } = await validBodyOf({ schema }, json({ name: '', extra: 1 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors?.map((e) => e.field).sort()).toEqual(['extra', 'name']);
  });

  it('validates an empty body like any other unless the rule says it may be empty', async () => {
    expect((await validBodyOf({ schema }, { method: 'POST' })).error).toBeInstanceOf(ValidationError);
    expect(await validBodyOf({ schema, optional: true }, { method: 'POST' })).toEqual({ body: undefined });
  });

  it('expresses login: an empty body only with HTTP Basic credentials', async () => {
    const rule = { schema, optional: (event: HttpEvent) => basicCredentials(event) !== undefined };
    const basic = { authorization: `Basic ${Buffer.from('jane:pw').toString('base64')}` };
    expect(await validBodyOf(rule, { headers: basic })).toEqual({ body: undefined });
    expect((await validBodyOf(rule, {})).error).toBeInstanceOf(ValidationError);
    // A body that is there is validated, credentials or not.
    expect((await validBodyOf(rule, json({ nope: 1 }, basic))).error).toBeInstanceOf(ValidationError);
  });

  it('chooses the rule per request, and leaves GET alone', async () => {
    const rule = (event: HttpEvent) => (event.requestContext.http.method === 'PUT' ? { schema } : undefined);
    expect(await validBodyOf(rule, { method: 'POST', ...json({ anything: true }) })).toEqual({ body: undefined });
    expect((await validBodyOf(rule, { method: 'PUT', ...json({ anything: true }) })).error).toBeInstanceOf(ValidationError);
    expect(await validBodyOf({ schema }, { method: 'GET' })).toEqual({ body: undefined });
  });

  it('(property) validBody is exactly the schema output, or a ValidationError is thrown', async () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    const body = fc.dictionary(fc.constantFrom('name', 'size', 'other'), value);
    await fc.assert(
      fc.asyncProperty(body, async (sent) => {
        const outcome = await validBodyOf({ schema }, json(sent));
        const expected = schema.safeParse(sent);
        if (expected.success) expect(outcome).toEqual({ body: expected.data });
        else expect(outcome.error).toBeInstanceOf(ValidationError);
      }),
      { numRuns: 500 },
    );
  });
});
