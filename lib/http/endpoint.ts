// Serving a route-table entry: a Lambda's handler built from its declaration (lib/routes/) and one
// function per declared operation. The declaration decides the path, methods, OPTIONS answer,
// guard, body validation and error shape; the function only calls its use case and shapes the
// answer. A declared operation without a function, or a function for an undeclared one, stops the
// cold start: the two cannot drift apart.
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { validate } from '../domain/validation.ts';
import { networkPrefix } from '../support/ip-address.ts';
import { type Channel, type RequestOrigin, storedUserAgent, withRequestOrigin } from '../support/request-context.ts';
import type { OriginCheck } from './cors.ts';
import { type IpBudgetScope, type LambdaDeclaration, type OperationDeclaration, requestSchema } from './declaration.ts';
import type { ErrorPage } from './middlewares/page-errors.ts';
import { bearerToken, header } from './request.ts';
import { httpRouter } from './router.ts';
import type { Guard, HttpEvent, HttpResult } from './types.ts';

/** What an operation's function gets: the event, the validated body and the path parameters. */
export interface OperationInput<Body> {
  event: HttpEvent;
  /** The body as the operation's schema outputs it; undefined when the operation takes none (or an optional one was empty). */
  body: Body;
  params: Record<string, string>;
}

export type OperationFunction<Body> = (input: OperationInput<Body>) => Promise<HttpResult>;

type BodyOf<Schema> = Schema extends z.ZodMiniType ? z.output<Schema> : undefined;

/** One operation's function, bound to its declaration (the body is typed by the declared schema). */
export interface Implementation {
  operation: OperationDeclaration;
  run: OperationFunction<unknown>;
}

export function implement<Schema extends z.ZodMiniType>(
  operation: OperationDeclaration<Schema>,
  run: OperationFunction<OperationDeclaration<Schema>['validatedBy'] extends 'use-case' ? unknown : BodyOf<Schema> | undefined>,
): Implementation {
  return { operation: operation as OperationDeclaration, run: run as OperationFunction<unknown> };
}

export interface ServeOptions {
  /** The per-IP budget guard for a scope (lib/abuse/ip-budget.ts, wired with its store). */
  ipBudget?: (scope: IpBudgetScope) => Guard;
  /** When false, every path answers 404 (a dialect switched off by ENABLED_DIALECTS). */
  enabled?: boolean;
  /** For hosted pages: the page that shows an operation's error to a browser. */
  errorPage?: ErrorPage;
  /**
   * Lets origins beyond CORS_ORIGINS read the answers, decided per request: for /oauth/token,
   * /oauth/userinfo and /oauth/revoke, the origins of registered clients' redirect URIs
   * (`origin => deps.oauthClients.isClientOrigin(origin)`).
   */
  corsOriginCheck?: OriginCheck;
}

const key = (operation: OperationDeclaration) => `${operation.method} ${operation.path}`;

/** The body an operation's function receives: validated by its schema unless a use case does it. */
function bodyFor(operation: OperationDeclaration, event: HttpEvent): unknown {
  const raw = event.parsedBody ?? {};
  if (operation.validatedBy === 'use-case') return event.parsedBody;
  const schema = requestSchema(operation);
  if (!schema) return undefined;
  if (operation.bodyOptional && Object.keys(raw).length === 0) return undefined;
  return validate(schema, raw);
}

/**
 * The operation's per-IP budget guard: `guard`, or `bearerGuard` for a request that carries a
 * bearer token and no Basic credentials (it checks no password on the routes that declare one).
 */
function budgetGuard(operation: OperationDeclaration, ipBudget: (scope: IpBudgetScope) => Guard): Guard {
  const spend = ipBudget(operation.guard!);
  if (!operation.bearerGuard) return spend;
  const spendForBearer = ipBudget(operation.bearerGuard);
  return (event) => {
    const checksNoPassword = bearerToken(event) !== undefined && !/^basic\b/i.test(header(event, 'authorization') ?? '');
    return (checksNoPassword ? spendForBearer : spend)(event);
  };
}

/** The Lambda handler for a route-table entry. */
export function serve(
  lambda: LambdaDeclaration,
  implementations: readonly Implementation[],
  options: ServeOptions = {},
): (event: HttpEvent, context: Context) => Promise<HttpResult> {
  const byKey = new Map(implementations.map((implementation) => [key(implementation.operation), implementation]));
  const declared = new Set(lambda.operations.map(key));
  const missing = [...declared].filter((k) => !byKey.has(k));
  const undeclared = [...byKey.keys()].filter((k) => !declared.has(k));
  if (missing.length || undeclared.length) {
    throw new Error(`${lambda.name}: no function for ${missing.join(', ') || 'nothing'}; undeclared ${undeclared.join(', ') || 'nothing'}`);
  }
  const routes = lambda.operations.map((operation) => {
    const { run } = byKey.get(key(operation))!;
    const guard = operation.guard && options.ipBudget ? budgetGuard(operation, options.ipBudget) : undefined;
    if (operation.guard && !guard) throw new Error(`${lambda.name}: ${key(operation)} declares the ${operation.guard} budget, but no ipBudget guard was wired`);
    return {
      method: operation.method,
      path: operation.path,
      summary: operation.summary,
      ...(guard ? { guard } : {}),
      handle: (event: HttpEvent, params: Record<string, string>) => run({ event, body: bodyFor(operation, event), params }),
    };
  });
  const handler = httpRouter(routes, {
    ...(lambda.errors ? { errors: lambda.errors } : {}),
    ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
    ...(options.errorPage ? { errorPage: options.errorPage } : {}),
    ...(options.corsOriginCheck ? { originCheck: options.corsOriginCheck } : {}),
  });
  const channel = channelOf(lambda);
  // Security events and new sessions record where the request came from (lib/support/request-context.ts).
  return (event, context) => withRequestOrigin(originOf(event, channel), () => handler(event, context));
}

/** The door a Lambda's requests come through: its dialect, the hosted pages, or the JSON API. */
export function channelOf(lambda: Pick<LambdaDeclaration, 'name' | 'operations'>): Channel {
  const dialect = /^compat(\w+)$/.exec(lambda.name)?.[1]?.toLowerCase();
  if (dialect === 'tcap' || dialect === 'eclecticiq' || dialect === 'opentact' || dialect === 'minisass') return dialect;
  return lambda.operations.some((operation) => operation.success.body === 'html') ? 'hosted' : 'native';
}

function originOf(event: HttpEvent, channel: Channel): RequestOrigin {
  const ipPrefix = networkPrefix(event.requestContext?.http?.sourceIp);
  const userAgent = storedUserAgent(header(event, 'user-agent'));
  return { channel, ...(ipPrefix ? { ipPrefix } : {}), ...(userAgent ? { userAgent } : {}) };
}
