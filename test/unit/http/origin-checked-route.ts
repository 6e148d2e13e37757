// A small Lambda served with an origin check (ServeOptions.corsOriginCheck), for the CORS tests
// that differ only in CORS_ORIGINS (read once per file, so each setting has its own file).
import { InvalidTokenError } from '../../../lib/domain/errors.ts';
import type { LambdaDeclaration } from '../../../lib/http/declaration.ts';
import { implement, serve } from '../../../lib/http/endpoint.ts';
import { json } from '../../../lib/http/response.ts';
import { httpEvent } from '../../support/http-event.ts';

export const CLIENT = 'https://client.example.com';

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

/** A Lambda whose origin check allows CLIENT (GET answers 200, POST fails 401) and records what it was asked. */
export function route(check: (origin: string) => Promise<boolean> = async (origin) => origin === CLIENT) {
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

export const from = (origin: string | undefined, method = 'GET', headers: Record<string, string> = {}) =>
  httpEvent({ method, path: '/test', headers: { ...(origin ? { origin } : {}), ...headers } });
