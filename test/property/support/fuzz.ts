// Runs the property for one endpoint: generated requests in, well-formed answers out (see
// expectations.ts). fast-check prints the seed and path of a failure, so it can be replayed with
// fc.assert(..., { seed, path }).
import fc from 'fast-check';
import type { OperationDeclaration } from '../../../lib/http/declaration.ts';
import type { HttpResult } from '../../../lib/http/types.ts';
import { type GeneratedRequest, pathFor, request, routerPath } from './arbitraries.ts';
import type { CredentialPool } from './credentials.ts';
import { type Endpoint, routerMethods, schemaFields } from './endpoints.ts';
import { context, toEvent } from './events.ts';
import { examples } from './examples.ts';
import { type AnswerRules, expectWellFormed } from './expectations.ts';
import type { Handler } from './handlers.ts';

/** The issue's floor: at least 1,000 generated requests per endpoint, in CI too. */
export const RUNS_PER_ENDPOINT = 1000;

/** PROPERTY_STATS=1 prints how each endpoint's cases were answered: do they reach the use cases? */
const STATS = Boolean(process.env.PROPERTY_STATS);

class Tally {
  private readonly counts = new Map<string, number>();
  add(result: HttpResult): void {
    if (!STATS) return;
    const code = /json/.test(result.headers['content-type'] ?? '') ? (JSON.parse(result.body || '{}') as { code?: string }).code : undefined;
    const key = `${result.statusCode}${code ? ` ${code}` : ''}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  print(title: string): void {
    if (STATS)
      console.log(
        `${title}: ${[...this.counts]
          .sort()
          .map(([key, n]) => `${key} ×${n}`)
          .join(', ')}`,
      );
  }
}

async function answer(handler: Handler, r: GeneratedRequest, rules: AnswerRules, tally: Tally): Promise<void> {
  // A rejection (a crashed Lambda: API Gateway's 502) fails the property like a 5xx does.
  const result = await handler(toEvent(r), context);
  tally.add(result);
  expectWellFormed(r, result, rules);
}

/** Every kind of hostile request to one endpoint. */
export async function fuzzEndpoint(endpoint: Endpoint, handler: Handler, pool: CredentialPool, routes?: readonly OperationDeclaration[]): Promise<void> {
  const requests = request({
    methods: endpoint.methods,
    path: pathFor(endpoint.template, pool),
    fields: endpoint.fields,
    pool,
    example: examples(pool)[endpoint.id],
  });
  const tally = new Tally();
  await fc.assert(
    fc.asyncProperty(requests, (r) => answer(handler, r, { ...endpoint, methods: routes ? routerMethods(routes, r.path) : endpoint.methods }, tally)),
    { numRuns: RUNS_PER_ENDPOINT },
  );
  tally.print(endpoint.id);
}

/** A router with random methods and paths under its prefixes: unknown paths, bad escapes, slashes. */
export async function fuzzRouter(
  handler: Handler,
  routes: readonly OperationDeclaration[],
  rules: Omit<AnswerRules, 'methods'>,
  pool: CredentialPool,
): Promise<void> {
  const prefixes = [...new Set(routes.map((route) => `/${route.path.split('/')[1]}`))];
  const where = routerPath(
    prefixes,
    routes.map((route) => route.path),
    pool,
  ).map((path) => ({ path }));
  const fields = [...new Set(routes.flatMap(schemaFields))];
  const methods = [...new Set(routes.map((route) => route.method))];
  const tally = new Tally();
  await fc.assert(
    fc.asyncProperty(request({ methods, path: where, fields, pool }), (r) => answer(handler, r, { ...rules, methods: routerMethods(routes, r.path) }, tally)),
    { numRuns: RUNS_PER_ENDPOINT },
  );
  tally.print(`router ${prefixes.join(' ')}`);
}
