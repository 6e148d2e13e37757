// The Lambda authorizer under hostile events of all three kinds (HTTP API 2.0, REST TOKEN and
// REQUEST): it never throws except REST's documented "Unauthorized" for a missing token, never lets
// a known-bad token through, and only ever speaks for the token's own user.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuthorizerEvent, AuthorizerResult } from '../../lib/auth/authorizer-events.ts';
import { headers as headersArb, token } from './support/arbitraries.ts';
import { credentialPool } from './support/credentials.ts';
import { RUNS_PER_ENDPOINT } from './support/fuzz.ts';
import { propertyEnv } from './support/handlers.ts';

Object.assign(process.env, propertyEnv());
const { handler } = (await import('../../functions/authorizer.ts')) as { handler: (event: AuthorizerEvent) => Promise<AuthorizerResult> };

const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef/prod/GET/pets/1';
type Where = 'v2' | 'rest-token' | 'rest-request' | 'x-auth-token';

function event(where: Where, credential: string | undefined, extra: Record<string, string>): AuthorizerEvent {
  const headers = { ...extra, ...(credential === undefined ? {} : where === 'x-auth-token' ? { 'x-auth-token': credential } : { authorization: credential }) };
  if (where === 'rest-token') return { type: 'TOKEN', authorizationToken: credential ?? '', methodArn: METHOD_ARN };
  if (where === 'rest-request') return { type: 'REQUEST', methodArn: METHOD_ARN, headers, resource: '/', path: '/', httpMethod: 'GET' } as unknown as AuthorizerEvent;
  return { version: '2.0', type: 'REQUEST', routeArn: METHOD_ARN, identitySource: [], routeKey: 'GET /pets/{id}', rawPath: '/pets/1', rawQueryString: '', headers, requestContext: {} } as unknown as AuthorizerEvent;
}

describe('the Lambda authorizer', () => {
  it(`decides ${RUNS_PER_ENDPOINT} hostile events without crashing or letting a bad token through`, { timeout: 120_000 }, async () => {
    const pool = await credentialPool();
    // Other headers (without authorization or x-auth-token: the credential is placed explicitly).
    const extra = headersArb(pool).map(({ authorization: _a, 'x-auth-token': _x, ...rest }) => rest);
    const credential = fc.oneof(
      fc.constantFrom(...pool.badTokens).map((t) => ({ bad: true, value: `Bearer ${t}` })),
      fc.constantFrom(...pool.badTokens).map((t) => ({ bad: true, value: t })),
      token(pool).map((t) => ({ bad: false, value: `Bearer ${t}` })),
      fc.oneof(fc.string(), fc.constantFrom('Bearer', 'Basic dXNlcjpwdw==', 'bearer  ', 'Bearer a b')).map((value) => ({ bad: true, value })),
      fc.constant({ bad: true, value: undefined }),
    );
    const where = fc.constantFrom<Where>('v2', 'rest-token', 'rest-request', 'x-auth-token');
    await fc.assert(
      fc.asyncProperty(where, credential, extra, async (w, c, h) => {
        let result: AuthorizerResult;
        try {
          result = await handler(event(w, c.value, h));
        } catch (error) {
          // REST APIs answer 401 when the authorizer throws exactly this, for a request without a token.
          expect((error as Error).message).toBe('Unauthorized');
          expect(w).not.toBe('v2');
          return;
        }
        const allowed = 'isAuthorized' in result ? result.isAuthorized : result.policyDocument.Statement.some((s) => (s as { Effect: string }).Effect === 'Allow');
        if (c.bad) expect(allowed).toBe(false);
        if (allowed) expect(result.context?.sub).toBe(pool.userId);
      }),
      { numRuns: RUNS_PER_ENDPOINT },
    );
  });
});
