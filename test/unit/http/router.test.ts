// The router behind the compatibility dialects: path templates with and without trailing slashes,
// first match wins, 404 / 405 / OPTIONS, a dialect switched off, and the dialect's error envelope.
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/domain/errors.ts';
import { json } from '../../../lib/http/response.ts';
import { httpRouter, type RouteSpec } from '../../../lib/http/router.ts';
import { drfError, opentactError } from '../../../lib/routes/compat/envelopes.ts';
import { httpEvent } from '../../support/http-event.ts';
import { useTestConfig } from './config-env.ts';

useTestConfig();

const context = {} as Context;

const routes: RouteSpec[] = [
  { method: 'DELETE', path: '/rest/token/all', summary: 'Delete all.', handle: async () => json(200, { all: true }) },
  { method: 'DELETE', path: '/rest/token/{token}', summary: 'Delete one.', handle: async (_e, p) => json(200, { token: p.token }) },
  { method: 'GET', path: '/rest/token/list', summary: 'List.', handle: async () => json(200, { list: true }) },
  {
    method: 'POST',
    path: '/rest/token',
    summary: 'Create.',
    handle: async (event) => {
      if (!event.parsedBody?.name) throw new ValidationError([{ field: 'name', message: 'This field is required.' }]);
      return json(200, { created: event.parsedBody.name });
    },
  },
];

const call = (method: string, path: string, options: { body?: string; enabled?: boolean } = {}) =>
  httpRouter(routes, { errors: opentactError, enabled: options.enabled ?? true })(
    httpEvent({ method, path, ...(options.body ? { body: options.body, headers: { 'content-type': 'application/json' } } : {}) }),
    context,
  );
const body = (result: { body?: string }) => JSON.parse(result.body ?? 'null');

describe('httpRouter', () => {
  it('matches templates, decodes parameters, prefers the earlier route, and ignores a trailing slash', async () => {
    expect(body(await call('DELETE', '/rest/token/all'))).toEqual({ all: true });
    expect(body(await call('DELETE', '/rest/token/abc%2Fdef/'))).toEqual({ token: 'abc/def' });
    expect(body(await call('GET', '/rest/token/list/'))).toEqual({ list: true });
    // A malformed escape is passed on as sent, never a 500.
    expect(body(await call('DELETE', '/rest/token/%E0%A4%A'))).toEqual({ token: '%E0%A4%A' });
  });

  it('parses bodies and shapes errors in the dialect envelope', async () => {
    expect(body(await call('POST', '/rest/token', { body: '{"name":"x"}' }))).toEqual({ created: 'x' });
    const refused = await call('POST', '/rest/token', { body: '{}' });
    expect(refused.statusCode).toBe(400);
    expect(body(refused)).toEqual({
      success: false,
      error: { code: 'invalid_request', message: expect.any(String), errors: [{ field: 'name', message: 'This field is required.' }] },
    });
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers unknown paths 404, wrong methods 405 with Allow, and OPTIONS with a description', async () => {
    expect((await call('GET', '/rest/nothing')).statusCode).toBe(404);
    const wrong = await call('PUT', '/rest/token');
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe('POST, OPTIONS');
    // Every route whose template matches counts: /rest/token/list is also a {token}.
    expect((await call('PUT', '/rest/token/list')).headers.allow).toBe('DELETE, GET, OPTIONS');
    const options = await call('OPTIONS', '/rest/token/all');
    expect(options.statusCode).toBe(200);
    expect(body(options)).toMatchObject({ methods: ['DELETE', 'OPTIONS'], description: expect.stringContaining('Delete all.') });
  });

  it('answers 404 everywhere when its dialect is switched off', async () => {
    const off = await call('GET', '/rest/token/list', { enabled: false });
    expect(off.statusCode).toBe(404);
    expect(body(off).success).toBe(false);
  });
});

describe('httpRouter with the Django REST Framework envelope', () => {
  it('names fields called like Object.prototype members, as plain keys', async () => {
    const refuse = httpRouter(
      [
        {
          method: 'POST',
          path: '/x',
          summary: 'Refuses.',
          handle: async () => {
            throw new ValidationError(['toString', 'constructor', '__proto__', 'name'].map((field) => ({ field, message: 'Unknown field.' })));
          },
        },
      ],
      { errors: drfError },
    );
    const result = await refuse(httpEvent({ method: 'POST', path: '/x' }), context);
    expect(result.statusCode).toBe(400);
    expect(Object.entries(JSON.parse(result.body!))).toEqual([
      ['toString', ['Unknown field.']],
      ['constructor', ['Unknown field.']],
      ['__proto__', ['Unknown field.']],
      ['name', ['Unknown field.']],
    ]);
  });
});
