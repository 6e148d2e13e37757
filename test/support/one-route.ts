// A Lambda for unit tests of the HTTP plumbing, built the way every endpoint is: a route-table entry
// on /test (one operation per method) served by serve(), with one function for all its methods.
import type { LambdaDeclaration, Method } from '../../lib/http/declaration.ts';
import { implement, serve } from '../../lib/http/endpoint.ts';
import type { ErrorRenderer } from '../../lib/http/problem.ts';
import type { HttpEvent, HttpResult } from '../../lib/http/types.ts';

export function oneRoute(options: { methods: Method[]; summary: string; errors?: ErrorRenderer }, run: (event: HttpEvent) => Promise<HttpResult>) {
  const lambda: LambdaDeclaration = {
    name: 'test',
    file: 'test',
    httpApiPaths: ['/test'],
    dialect: 'problem',
    ...(options.errors ? { errors: options.errors } : {}),
    operations: options.methods.map((method) => ({
      method,
      path: '/test',
      tag: 'Test',
      summary: options.summary,
      auth: 'none',
      success: { status: 200, body: 'Any' },
    })),
  };
  return serve(
    lambda,
    lambda.operations.map((operation) => implement(operation, ({ event }) => run(event))),
  );
}
