// Section 2: the full authorizer decision (lib/auth/authorizer.ts createAuthorizer, the function the
// Lambda exports) with its revocation lookup against DynamoDB Local: a token seen for the first
// time, the same token again within the 1-second staleness bound, and how soon a revocation lands.
import { performance } from 'node:perf_hooks';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { createAuthorizer } from '../lib/auth/authorizer.ts';
import { MAX_REVOCATION_CACHE_MS } from '../lib/auth/token-checker.ts';
import { issueAccessToken } from '../lib/tokens/access-tokens.ts';
import { login } from '../lib/use-cases/login.ts';
import { percentile } from './lib/stats.ts';
import type { BenchService } from './support/service.ts';

export interface AuthorizerResultSummary {
  firstSight: { n: number; p50: number; p99: number; dbRequestsPerCall: number };
  repeated: { n: number; p50: number; p99: number; windowMs: number; dbRequestsInWindow: number; spanMs: number; dbRequestsInSpan: number };
  revocation: { visibleAfterMs: number; boundMs: number };
}

function event(token: string): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:us-east-1:123456789012:abcdef/$default/GET/reports',
    identitySource: [`Bearer ${token}`],
    routeKey: 'GET /reports',
    rawPath: '/reports',
    rawQueryString: '',
    cookies: [],
    headers: { authorization: `Bearer ${token}` },
    requestContext: {} as APIGatewayRequestAuthorizerEventV2['requestContext'],
  };
}

const isAllowed = (result: unknown) => (result as { isAuthorized?: boolean }).isAuthorized === true;

export async function benchAuthorizer(
  service: BenchService,
  credentials: { login: string; password: string },
  options: { firstSight: number; repeatedWindowMs: number; repeatedSpanMs: number },
): Promise<AuthorizerResultSummary> {
  const { deps } = service;
  const authorize = createAuthorizer(deps);
  const session = await login(credentials, deps);
  const user = session.user;
  const signDeps = { signer: deps.signer, clock: deps.clock, settings: deps.accessTokens };

  // Warm: the key set is loaded and imported, the SDK client has its connection.
  for (let i = 0; i < 20; i += 1) {
    const { token } = await issueAccessToken(user, signDeps, session.sessionId);
    if (!isAllowed(await authorize(event(token)))) throw new Error('the authorizer refused a fresh token');
  }

  // First sight: every token new to this instance, so each decision needs its lookup.
  const tokens: string[] = [];
  for (let i = 0; i < options.firstSight; i += 1) tokens.push((await issueAccessToken(user, signDeps, session.sessionId)).token);
  const first: number[] = [];
  const before = service.dbRequests();
  for (const token of tokens) {
    const start = performance.now();
    const result = await authorize(event(token));
    first.push(performance.now() - start);
    if (!isAllowed(result)) throw new Error('the authorizer refused a fresh token');
  }
  const firstRequests = service.dbRequests() - before;

  // Repeated: one token over and over. Within the first window (shorter than the 1 s bound) no
  // request may reach the table; over the longer span, at most one per started second.
  const { token: fresh } = await issueAccessToken(user, signDeps, session.sessionId);
  await authorize(event(fresh)); // first sight of `fresh`: its lookup is now cached
  const repeated: number[] = [];
  const windowStart = performance.now();
  const requestsAtStart = service.dbRequests();
  let requestsInWindow = -1;
  for (;;) {
    const start = performance.now();
    const result = await authorize(event(fresh));
    const end = performance.now();
    repeated.push(end - start);
    if (!isAllowed(result)) throw new Error('the authorizer refused a repeated token');
    if (requestsInWindow < 0 && end - windowStart >= options.repeatedWindowMs) requestsInWindow = service.dbRequests() - requestsAtStart;
    if (end - windowStart >= options.repeatedSpanMs) break;
  }
  const spanMs = performance.now() - windowStart;
  const requestsInSpan = service.dbRequests() - requestsAtStart;

  // Revocation: keep asking with a cached, allowed token; revoke its jti; time until refused.
  const { token: victim, jti, expiresAt } = await issueAccessToken(user, signDeps, session.sessionId);
  await authorize(event(victim));
  await deps.revocations.revokeJti(jti, Math.ceil(expiresAt / 1000), deps.clock.now());
  const revokedAt = performance.now();
  let visibleAfterMs = Number.NaN;
  while (performance.now() - revokedAt < 5_000) {
    if (!isAllowed(await authorize(event(victim)))) {
      visibleAfterMs = performance.now() - revokedAt;
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }

  return {
    firstSight: { n: first.length, p50: percentile(first, 50), p99: percentile(first, 99), dbRequestsPerCall: firstRequests / first.length },
    repeated: {
      n: repeated.length,
      p50: percentile(repeated, 50),
      p99: percentile(repeated, 99),
      windowMs: options.repeatedWindowMs,
      dbRequestsInWindow: requestsInWindow,
      spanMs,
      dbRequestsInSpan: requestsInSpan,
    },
    // A revocation may meet an entry cached just before it: it shows once that entry is 1 s old,
    // plus the one lookup that then reads it.
    revocation: { visibleAfterMs, boundMs: MAX_REVOCATION_CACHE_MS + percentile(first, 99) },
  };
}
