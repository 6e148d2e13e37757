// The Lambda authorizer under hostile events of all three kinds (HTTP API 2.0, REST TOKEN and
// REQUEST): it never throws except REST's documented "Unauthorized" for a missing token, never lets
// a known-bad token through, lets every good token through with its own user as context, and only
// ever speaks for the token's own user. The good tokens make the test able to fail: an authorizer
// that denies everything fails here, as does one that allows everything.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuthorizerEvent, AuthorizerResult } from '../../lib/auth/authorizer-events.ts';
import type { TokenType } from '../../lib/auth/token-checker.ts';
import { headers as headersArb, token } from './support/arbitraries.ts';
import { type CredentialPool, credentialPool } from './support/credentials.ts';
import { RUNS_PER_ENDPOINT } from './support/fuzz.ts';
import { propertyEnv } from './support/handlers.ts';

Object.assign(process.env, propertyEnv());
const { handler } = (await import('../../functions/authorizer.ts')) as { handler: (event: AuthorizerEvent) => Promise<AuthorizerResult> };

const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef/prod/GET/pets/1';
const WHERE = ['v2', 'rest-token', 'rest-request', 'x-auth-token'] as const;
type Where = (typeof WHERE)[number];

/**
 * The kinds of token the authorizer accepts here. propertyEnv() leaves AUTHORIZER_AUDIENCE unset,
 * so the authorizer checks for the access-token audience: access and API tokens pass, a service
 * token (meant for its own service) does not.
 */
const AUTHORIZER_TOKEN_TYPES: readonly TokenType[] = ['access_token', 'api_token'];

function event(where: Where, credential: string | undefined, extra: Record<string, string>): AuthorizerEvent {
  const headers = { ...extra, ...(credential === undefined ? {} : where === 'x-auth-token' ? { 'x-auth-token': credential } : { authorization: credential }) };
  if (where === 'rest-token') return { type: 'TOKEN', authorizationToken: credential ?? '', methodArn: METHOD_ARN };
  if (where === 'rest-request')
    return { type: 'REQUEST', methodArn: METHOD_ARN, headers, resource: '/', path: '/', httpMethod: 'GET' } as unknown as AuthorizerEvent;
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: METHOD_ARN,
    identitySource: [],
    routeKey: 'GET /pets/{id}',
    rawPath: '/pets/1',
    rawQueryString: '',
    headers,
    requestContext: {},
  } as unknown as AuthorizerEvent;
}

/** A token as a client sends it: `Authorization: Bearer <t>`, or the bare token in X-Auth-Token. */
const presented = (where: Where, t: string) => (where === 'x-auth-token' ? t : `Bearer ${t}`);

function isAllowed(result: AuthorizerResult): boolean {
  return 'isAuthorized' in result ? result.isAuthorized : result.policyDocument.Statement.some((s) => (s as { Effect: string }).Effect === 'Allow');
}

/** The tokens this authorizer must let through, with their kinds. */
function authorizerTokens(pool: CredentialPool): Map<string, TokenType> {
  return new Map(Object.entries(pool.goodTokenTypes).filter(([, type]) => AUTHORIZER_TOKEN_TYPES.includes(type)));
}

/** An allowed answer speaks for the pool's user, with the context API Gateway passes on. */
function expectAllowedFor(result: AuthorizerResult, where: Where, pool: CredentialPool, tokenType: TokenType): void {
  expect(isAllowed(result), `${tokenType} in ${where}`).toBe(true);
  expect(result.context).toMatchObject({
    sub: pool.userId,
    username: pool.username,
    email: pool.email,
    email_verified: 'false',
    permissions: '',
    token_type: tokenType,
    jti: expect.stringMatching(/\S/),
  });
  if (!('isAuthorized' in result)) {
    expect(result.principalId).toBe(pool.userId);
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:eu-west-1:123456789012:abcdef/prod/*' },
    ]);
  }
}

describe('the Lambda authorizer', () => {
  it('runs with the access-token audience (the case the expectations below are written for)', () => {
    expect(process.env.AUTHORIZER_AUDIENCE).toBeUndefined();
  });

  it('lets every good access and API token through, in every event kind, with its own user as context', { timeout: 60_000 }, async () => {
    const pool = await credentialPool();
    const good = authorizerTokens(pool);
    // Not vacuous: several access tokens and the API token.
    expect([...good.values()].sort()).toEqual(expect.arrayContaining(['access_token', 'api_token']));
    for (const [t, tokenType] of good) {
      for (const where of WHERE) expectAllowedFor(await handler(event(where, presented(where, t), {})), where, pool, tokenType);
    }
    // A service token is for its service, not for this audience.
    const serviceToken = Object.keys(pool.goodTokenTypes).find((t) => pool.goodTokenTypes[t] === 'service_token')!;
    for (const where of WHERE) expect(isAllowed(await handler(event(where, presented(where, serviceToken), {}))), where).toBe(false);
  });

  it(`decides ${RUNS_PER_ENDPOINT} hostile events without crashing, letting a bad token through or refusing a good one`, { timeout: 120_000 }, async () => {
    const pool = await credentialPool();
    const good = authorizerTokens(pool);
    const refused = new Set([...pool.badTokens, ...Object.keys(pool.goodTokenTypes).filter((t) => !good.has(t))]);
    // Other headers (without authorization or x-auth-token: the credential is placed explicitly).
    const extra = headersArb(pool).map(({ authorization: _a, 'x-auth-token': _x, ...rest }) => rest);
    const where = fc.constantFrom(...WHERE);
    type Case = { where: Where; value: string | undefined; expect: 'allow' | 'deny' | 'either'; token?: string };
    const cases: fc.Arbitrary<Case> = fc.oneof(
      fc.tuple(where, fc.constantFrom(...pool.badTokens)).map(([w, t]): Case => ({ where: w, value: presented(w, t), expect: 'deny' })),
      fc.tuple(where, fc.constantFrom(...pool.badTokens)).map(([w, t]): Case => ({ where: w, value: t, expect: 'deny' })),
      // Generated tokens as a client sends them: a good one must pass, a known-bad one must not; a
      // tampered one may go either way (base64url has spare bits, so a change may decode to the same bytes).
      {
        arbitrary: fc
          .tuple(where, token(pool))
          .map(([w, t]): Case => ({ where: w, value: presented(w, t), token: t, expect: good.has(t) ? 'allow' : refused.has(t) ? 'deny' : 'either' })),
        weight: 3,
      },
      // `Bearer <t>` in X-Auth-Token (which takes a bare token) and elsewhere.
      fc
        .tuple(where, token(pool))
        .map(([w, t]): Case => ({ where: w, value: `Bearer ${t}`, expect: w === 'x-auth-token' || refused.has(t) ? 'deny' : 'either' })),
      fc
        .tuple(where, fc.oneof(fc.string(), fc.constantFrom('Bearer', 'Basic dXNlcjpwdw==', 'bearer  ', 'Bearer a b')))
        .map(([w, value]): Case => ({ where: w, value, expect: 'deny' })),
      where.map((w): Case => ({ where: w, value: undefined, expect: 'deny' })),
    );
    const seen = { allowed: 0, denied: 0 };
    await fc.assert(
      fc.asyncProperty(cases, extra, async (c, h) => {
        let result: AuthorizerResult;
        try {
          result = await handler(event(c.where, c.value, h));
        } catch (error) {
          // REST APIs answer 401 when the authorizer throws exactly this, for a request without a token.
          expect((error as Error).message).toBe('Unauthorized');
          expect(c.where).not.toBe('v2');
          expect(c.expect).not.toBe('allow');
          seen.denied += 1;
          return;
        }
        const allowed = isAllowed(result);
        seen[allowed ? 'allowed' : 'denied'] += 1;
        if (c.expect === 'allow') expectAllowedFor(result, c.where, pool, good.get(c.token!)!);
        if (c.expect === 'deny') expect(allowed).toBe(false);
        if (allowed) expect(result.context?.sub).toBe(pool.userId);
        else expect(result.context?.sub).toBeUndefined();
      }),
      { numRuns: RUNS_PER_ENDPOINT },
    );
    // Both answers were given, many times: neither half of the property held vacuously.
    expect(seen.allowed).toBeGreaterThan(RUNS_PER_ENDPOINT / 100);
    expect(seen.denied).toBeGreaterThan(RUNS_PER_ENDPOINT / 100);
  });
});
