// CORS decided per request (ServeOptions.corsOriginCheck) beside CORS_ORIGINS: both allow, and an
// origin CORS_ORIGINS allows costs no lookup. (The configuration is read once per file.)
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../../../lib/domain/errors.ts';
import type { LambdaDeclaration } from '../../../lib/http/declaration.ts';
import { implement, serve } from '../../../lib/http/endpoint.ts';
import { json } from '../../../lib/http/response.ts';
import { httpEvent } from '../../support/http-event.ts';
import { useTestConfig } from './config-env.ts';

const context = {} as Context;
const CLIENT = 'https://client.example.com';

const lambda: LambdaDeclaration = {
  name: 'test',
  file: 'test',
  httpApiPaths: ['/test'],
  dialect: 'problem',
  operations: (['GET', 'POST'] as const).map((method) => ({
    method,
    path: '/test',
    tag: 'Test',
    summary: 'Hello.',
    auth: 'none',
    success: { status: 200, body: 'Any' },
  })),
};

/** A Lambda whose origin check allows CLIENT and records what it was asked. */
function route(check: (origin: string) => Promise<boolean> = async (origin) => origin === CLIENT) {
  const asked: string[] = [];
  const handler = serve(
    lambda,
    lambda.operations.map((operation) =>
      implement(operation, async ({ event }) => {
        if (event.requestContext.http.method === 'POST') throw new InvalidTokenError();
        return json(200, { hello: true });
      }),
    ),
    {
      corsOriginCheck: (origin) => {
        asked.push(origin);
        return check(origin);
      },
    },
  );
  return { handler, asked };
}

const from = (origin: string | undefined, method = 'GET', headers: Record<string, string> = {}) =>
  httpEvent({ method, path: '/test', headers: { ...(origin ? { origin } : {}), ...headers } });

useTestConfig({ CORS_ORIGINS: 'https://app.example.com' });

describe('CORS from an origin check beside CORS_ORIGINS', () => {
  it('does not ask about an origin CORS_ORIGINS already allows, and allows both', async () => {
    const { handler, asked } = route();
    expect((await handler(from('https://app.example.com'), context)).headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect((await handler(from(CLIENT), context)).headers['access-control-allow-origin']).toBe(CLIENT);
    expect(asked).toEqual([CLIENT]);
  });
});
