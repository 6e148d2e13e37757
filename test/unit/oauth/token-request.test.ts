// The token request parser (OAuth 2.1 §3.2.2, §4.1.3, §4.3, §4.2; RFC 7636 §4.1; RFC 8707 §2):
// examples per rule, then fast-check: whatever the form holds, the answer is a typed request or an
// OAuth error with a 4xx code, never anything else; unknown parameters never change the result.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/domain/errors.ts';
import { httpStatus } from '../../../lib/http/status.ts';
import { CODE_VERIFIER, parseScope, parseTokenRequest } from '../../../lib/use-cases/oauth-token-request.ts';

const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
}

describe('parseTokenRequest', () => {
  it('reads an authorization_code request (OAuth 2.1 §4.1.3)', () => {
    expect(parseTokenRequest({ grant_type: 'authorization_code', code: 'abc', redirect_uri: 'https://app.example/cb', code_verifier: verifier })).toEqual({
      grantType: 'authorization_code',
      code: 'abc',
      redirectUri: 'https://app.example/cb',
      codeVerifier: verifier,
    });
  });

  it('refuses a missing code or verifier as invalid_request (OAuth 2.1 §3.2.4), naming each', () => {
    try {
      parseTokenRequest({ grant_type: 'authorization_code' });
      expect.unreachable();
    } catch (error) {
      expect((error as AppError).code).toBe('invalid_request');
      expect((error as AppError).errors?.map((e) => e.field)).toEqual(['code', 'code_verifier']);
    }
  });

  it('refuses a verifier outside RFC 7636 §4.1 (43 to 128 unreserved characters)', () => {
    for (const bad of ['short', 'a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(42)}+`, `${'a'.repeat(42)} `]) {
      expect(codeOf(() => parseTokenRequest({ grant_type: 'authorization_code', code: 'c', code_verifier: bad }))).toBe('invalid_request');
    }
    expect(codeOf(() => parseTokenRequest({ grant_type: 'authorization_code', code: 'c', code_verifier: 'a'.repeat(128) }))).toBeUndefined();
  });

  it('reads refresh_token with an optional scope, as a set (RFC 6749 §6)', () => {
    expect(parseTokenRequest({ grant_type: 'refresh_token', refresh_token: 'r', scope: 'openid email openid' })).toEqual({
      grantType: 'refresh_token',
      refreshToken: 'r',
      scopes: ['openid', 'email'],
    });
    expect(codeOf(() => parseTokenRequest({ grant_type: 'refresh_token' }))).toBe('invalid_request');
  });

  it('reads client_credentials with scope and resource (RFC 8707 §2)', () => {
    expect(parseTokenRequest({ grant_type: 'client_credentials', scope: 'reports:read', resource: 'https://api.example/reports' })).toEqual({
      grantType: 'client_credentials',
      scopes: ['reports:read'],
      resource: 'https://api.example/reports',
    });
  });

  it('refuses a resource that is relative or has a fragment as invalid_target', () => {
    for (const resource of ['reports', '/reports', 'https://api.example/#frag']) {
      expect(codeOf(() => parseTokenRequest({ grant_type: 'client_credentials', resource }))).toBe('invalid_target');
    }
  });

  it('answers a missing grant_type with invalid_request and an unknown one with unsupported_grant_type', () => {
    expect(codeOf(() => parseTokenRequest({}))).toBe('invalid_request');
    for (const grant of ['password', 'implicit', 'urn:ietf:params:oauth:grant-type:device_code', 'AUTHORIZATION_CODE']) {
      expect(codeOf(() => parseTokenRequest({ grant_type: grant }))).toBe('unsupported_grant_type');
    }
  });

  it('refuses a malformed scope as invalid_scope (RFC 6749 §3.3: single spaces, no quote or backslash)', () => {
    for (const scope of ['a  b', ' a', 'a ', 'a"b', 'a\\b', 'caf\u00e9']) expect(codeOf(() => parseScope(scope))).toBe('invalid_scope');
    expect(parseScope('openid profile')).toEqual(['openid', 'profile']);
  });
});

const anyParams = fc.dictionary(
  fc.constantFrom('grant_type', 'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'scope', 'resource', 'client_id', 'foo', 'nonce'),
  fc.oneof(
    fc.constantFrom('authorization_code', 'refresh_token', 'client_credentials', 'password', '', verifier, 'https://a.example/x', 'openid profile'),
    fc.string({ maxLength: 300 }),
    fc.stringMatching(/^[A-Za-z0-9\-._~]{40,130}$/),
  ),
);

describe('parseTokenRequest, for any form (fast-check)', () => {
  it('answers a typed request or an OAuth 4xx error, nothing else', () => {
    fc.assert(
      fc.property(anyParams, (params) => {
        try {
          const request = parseTokenRequest(params);
          expect(['authorization_code', 'refresh_token', 'client_credentials']).toContain(request.grantType);
          expect(request.grantType).toBe(params.grant_type);
          if (request.grantType === 'authorization_code') expect(request.codeVerifier).toMatch(CODE_VERIFIER);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect(httpStatus(error as AppError)).toBe(400);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('ignores unrecognised parameters (OAuth 2.1 §3.2.2)', () => {
    fc.assert(
      fc.property(anyParams, fc.dictionary(fc.stringMatching(/^x_[a-z]{1,8}$/), fc.string()), (params, extra) => {
        const outcome = (p: Record<string, unknown>) => {
          try {
            return parseTokenRequest(p);
          } catch (error) {
            return (error as AppError).code;
          }
        };
        expect(outcome({ ...extra, ...params })).toEqual(outcome(params));
      }),
      { numRuns: 2000 },
    );
  });
});
