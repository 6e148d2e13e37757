import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ConflictError, DependencyUnavailableError } from '../../../lib/domain/errors.ts';
import { json } from '../../../lib/http/response.ts';
import { httpEvent } from '../../support/http-event.ts';
import { oneRoute } from '../../support/one-route.ts';
import { useTestConfig } from './config-env.ts';

useTestConfig();

const context = { awsRequestId: 'req-1' } as Context;

describe('a served route', () => {
  const echo = oneRoute({ methods: ['POST'], summary: 'Echoes the body.' }, async (event) => json(200, event.parsedBody));

  it('parses the body and adds security headers', async () => {
    const result = await echo(httpEvent({ headers: { 'content-type': 'application/json' }, body: '{"a":1}' }), context);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body!)).toEqual({ a: 1 });
    expect(result.headers).toMatchObject({
      'strict-transport-security': expect.stringContaining('max-age='),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
  });

  it('answers a wrong method with 405 and Allow, and OPTIONS with the methods and a description', async () => {
    const wrong = await echo(httpEvent({ method: 'GET' }), context);
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe('POST, OPTIONS');
    expect(wrong.headers['x-content-type-options']).toBe('nosniff');
    const options = await echo(httpEvent({ method: 'OPTIONS' }), context);
    expect(options.statusCode).toBe(200);
    expect(options.headers.allow).toBe('POST, OPTIONS');
    expect(JSON.parse(options.body as string)).toMatchObject({ methods: ['POST', 'OPTIONS'], description: 'Echoes the body.' });
    expect(options.headers['cache-control']).toBe('no-store');
  });

  it('maps AppErrors to problem+json with their status, code and field errors', async () => {
    const conflict = oneRoute({ methods: ['POST'], summary: 'Echoes the body.' }, async () => {
      throw new ConflictError([{ field: 'email', message: 'taken' }]);
    });
    const result = await conflict(httpEvent({}), context);
    expect(result.statusCode).toBe(409);
    expect(result.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(result.body!)).toMatchObject({ status: 409, code: 'conflict', errors: [{ field: 'email', message: 'taken' }] });
  });

  it('hides unexpected errors behind a bare 500 without details', async () => {
    const broken = oneRoute({ methods: ['POST'], summary: 'Echoes the body.' }, async () => {
      throw new Error('secret internal detail at /var/task/index.mjs');
    });
    const result = await broken(httpEvent({}), context);
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('secret internal detail');
    expect(result.body).not.toContain('/var/task');
  });

  it('turns DynamoDB throttling that outlived the retries (DependencyUnavailableError, from the store) into 503 with Retry-After', async () => {
    const throttled = oneRoute({ methods: ['POST'], summary: 'Echoes the body.' }, async () => {
      throw new DependencyUnavailableError(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    });
    const result = await throttled(httpEvent({}), context);
    expect(result.statusCode).toBe(503);
    expect(result.headers['retry-after']).toBe('1');
  });

  it('does not guess from AWS error names: a raw SDK error reaching HTTP is a bug, 500', async () => {
    const raw = oneRoute({ methods: ['POST'], summary: 'Echoes the body.' }, async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
    });
    expect((await raw(httpEvent({}), context)).statusCode).toBe(500);
  });
});

describe('a served route without CORS_ORIGINS', () => {
  const hello = oneRoute({ methods: ['GET'], summary: 'Says hello.' }, async () => json(200, { hello: true }));

  it('adds no CORS header for any origin, and answers a preflight with the description', async () => {
    const result = await hello(httpEvent({ method: 'GET', headers: { origin: 'https://app.example.com' } }), context);
    expect(result.headers['access-control-allow-origin']).toBeUndefined();
    expect(result.headers.vary).toBeUndefined();
    const preflight = await hello(
      httpEvent({ method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } }),
      context,
    );
    expect(preflight.statusCode).toBe(200);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('keeps a route answering when its error renderer breaks: a bare problem+json 500, not a crash', async () => {
    const broken = oneRoute(
      {
        methods: ['GET'],
        summary: 'Fails.',
        errors: () => {
          throw new TypeError('renderer bug');
        },
      },
      async () => {
        throw new ConflictError([]);
      },
    );
    const result = await broken(httpEvent({ method: 'GET' }), context);
    expect(result.statusCode).toBe(500);
    expect(result.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(result.headers['x-content-type-options']).toBe('nosniff');
    expect(result.body).not.toContain('renderer bug');
  });
});
