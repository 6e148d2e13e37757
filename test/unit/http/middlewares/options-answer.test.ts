// options-answer: OPTIONS ends the request with a CORS preflight (allowed origin) or the route's
// description; other methods reach the handler.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { optionsAnswer } from '../../../../lib/http/middlewares/options-answer.ts';
import { httpEvent } from '../../../support/http-event.ts';
import { run } from './run.ts';

const APP = 'https://app.example.com';
const route = { path: '/rest/token/{uuid}', methods: ['GET', 'DELETE'], summary: 'GET: shows it. DELETE: deletes it.' };
const answer = (origins: string[]) => optionsAnswer({ describe: () => route, origins: () => origins });
const never = async () => {
  throw new Error('the handler must not run for OPTIONS');
};

describe('options-answer', () => {
  it('describes the route in the DRF metadata shape, with Allow', async () => {
    const result = await run([answer([APP])], httpEvent({ method: 'OPTIONS' }), never);
    expect(result).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', allow: 'GET, DELETE, OPTIONS' },
      body: JSON.stringify({
        name: '/rest/token/{uuid}',
        description: 'GET: shows it. DELETE: deletes it.',
        methods: ['GET', 'DELETE', 'OPTIONS'],
        renders: ['application/json'],
        parses: ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'],
      }),
    });
  });

  it('answers a preflight from an allowed origin with 204 and what the route accepts', async () => {
    const result = await run([answer([APP])], httpEvent({ method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'DELETE' } }), never);
    expect(result).toEqual({
      statusCode: 204,
      headers: {
        'access-control-allow-origin': APP,
        'access-control-allow-methods': 'GET, DELETE',
        'access-control-allow-headers': 'authorization, content-type, x-auth-token, device-proof',
        'access-control-max-age': '600',
        vary: 'Origin',
      },
      body: '',
    });
  });

  it('describes the route to a preflight from another origin, or when no origin is allowed', async () => {
    const preflight = { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } };
    expect((await run([answer([APP])], httpEvent(preflight), never)).statusCode).toBe(200);
    expect((await run([answer([])], httpEvent({ ...preflight, headers: { ...preflight.headers, origin: APP } }), never)).statusCode).toBe(200);
  });

  it('(property) only OPTIONS is answered; the handler answers every other method', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'options'),
        fc.option(fc.constantFrom(APP, 'https://x.example')),
        fc.boolean(),
        async (method, origin, asks) => {
          const headers: Record<string, string> = { ...(origin ? { origin } : {}), ...(asks ? { 'access-control-request-method': 'GET' } : {}) };
          const result = await run([answer([APP])], httpEvent({ method, headers }), async () => ({ statusCode: 299, headers: {}, body: '' }));
          if (method.toUpperCase() !== 'OPTIONS') expect(result.statusCode).toBe(299);
          else expect(result.statusCode).toBe(origin === APP && asks ? 204 : 200);
        },
      ),
      { numRuns: 300 },
    );
  });
});
