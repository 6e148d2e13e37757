// The authorization request's validation (OAuth 2.1 §4.1.1, OIDC Core §3.1.2.1, RFC 9700 §4.1):
// which problems may never be redirected (unknown client, unregistered redirect URI) and which go
// back to the client with their OAuth error code; and, with fast-check, that whatever is sent the
// parser either accepts or throws one of those two kinds, never anything else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/domain/errors.ts';
import type { OAuthClient } from '../../../lib/domain/oauth-client.ts';
import { authorizationParameters, type RawParameters, trustedClient, UntrustedRedirectError } from '../../../lib/use-cases/authorization-parameters.ts';

const client: OAuthClient = {
  clientId: 'c_test',
  name: 'Test app',
  type: 'public',
  tokenEndpointAuthMethod: 'none',
  redirectUris: ['https://app.example/cb', 'http://127.0.0.1:8080/cb', 'com.example.app:/cb'],
  postLogoutRedirectUris: [],
  scopes: ['openid', 'profile', 'email'],
  grantTypes: ['authorization_code', 'refresh_token'],
  firstParty: false,
  resources: [],
  registeredBy: 'admin',
  createdAt: 0,
  updatedAt: 0,
};
const find = async (id: string) => (id === client.clientId ? client : undefined);
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

const valid: Record<string, string> = {
  client_id: 'c_test',
  redirect_uri: 'https://app.example/cb',
  response_type: 'code',
  scope: 'openid profile',
  state: 'xyz',
  nonce: 'n-1',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
};
const raw = (params: Record<string, string | undefined>): RawParameters =>
  Object.fromEntries(Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [[k, [v]]])));

async function parse(params: Record<string, string | undefined>) {
  const r = raw(params);
  const { client: found, redirectUri } = await trustedClient(r, find);
  return authorizationParameters(r, found, redirectUri);
}

const oauthCode = async (params: Record<string, string | undefined>) => {
  const error = await parse(params).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect(error).not.toBeInstanceOf(UntrustedRedirectError);
  return (error as AppError).code;
};

describe('OAuth 2.1 §4.1.2.1: problems that must never be redirected', () => {
  it.each([
    ['no client_id', { client_id: undefined }],
    ['an unknown client', { client_id: 'c_nobody' }],
    ['no redirect_uri (OIDC Core §3.1.2.1 requires it)', { redirect_uri: undefined }],
    ['a redirect_uri not registered', { redirect_uri: 'https://evil.example/cb' }],
    ['a registered URI with an extra path', { redirect_uri: 'https://app.example/cb/more' }],
    ['a registered URI with a query added', { redirect_uri: 'https://app.example/cb?x=1' }],
    ['a registered URI with another letter case', { redirect_uri: 'https://APP.example/cb' }],
    ['a loopback redirect on another host', { redirect_uri: 'http://localhost:8080/cb' }],
  ])('%s', async (_, change) => {
    await expect(parse({ ...valid, ...change })).rejects.toBeInstanceOf(UntrustedRedirectError);
  });

  it('a repeated client_id or redirect_uri', async () => {
    await expect(trustedClient({ ...raw(valid), client_id: ['c_test', 'c_test'] }, find)).rejects.toBeInstanceOf(UntrustedRedirectError);
    await expect(trustedClient({ ...raw(valid), redirect_uri: ['https://app.example/cb', 'https://evil.example/cb'] }, find)).rejects.toBeInstanceOf(
      UntrustedRedirectError,
    );
  });

  it('RFC 8252 §7.3: a loopback IP redirect may use any port', async () => {
    expect((await parse({ ...valid, redirect_uri: 'http://127.0.0.1:53123/cb' })).redirectUri).toBe('http://127.0.0.1:53123/cb');
  });
});

describe('errors that go back to the client', () => {
  it('accepts a complete request and keeps state and nonce as sent', async () => {
    expect(await parse(valid)).toEqual({
      clientId: 'c_test',
      redirectUri: 'https://app.example/cb',
      scopes: ['openid', 'profile'],
      state: 'xyz',
      nonce: 'n-1',
      codeChallenge: CHALLENGE,
      prompt: [],
    });
  });

  it.each([
    ['response_type missing', { response_type: undefined }, 'invalid_request'],
    ['response_type=token (no implicit flow, OAuth 2.1 §4.1.1)', { response_type: 'token' }, 'unsupported_response_type'],
    ['response_type=code id_token (no hybrid flow)', { response_type: 'code id_token' }, 'unsupported_response_type'],
    ['response_mode=fragment', { response_mode: 'fragment' }, 'invalid_request'],
    ['PKCE missing (RFC 9700 §2.1.1)', { code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request'],
    ['code_challenge_method missing', { code_challenge_method: undefined }, 'invalid_request'],
    ['code_challenge_method=plain', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['a challenge that is no S256 digest', { code_challenge: 'short' }, 'invalid_request'],
    ['scope missing', { scope: undefined }, 'invalid_scope'],
    ['a scope the client may not ask for', { scope: 'openid admin' }, 'invalid_scope'],
    ['prompt=none with login (OIDC Core §3.1.2.1)', { prompt: 'none login' }, 'invalid_request'],
    ['an unknown prompt', { prompt: 'select_account' }, 'invalid_request'],
    ['max_age that is not a number', { max_age: '-1' }, 'invalid_request'],
    ['a request object (OIDC Core §6)', { request: 'eyJ...' }, 'invalid_request'],
  ])('%s', async (_, change, code) => {
    expect(await oauthCode({ ...valid, ...change })).toBe(code);
  });

  it('RFC 6749 §3.1: a repeated parameter', async () => {
    const r = { ...raw(valid), scope: ['openid', 'openid profile'] };
    const { client: found, redirectUri } = await trustedClient(r, find);
    expect(() => authorizationParameters(r, found, redirectUri)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });

  it('a client without the authorization_code grant is unauthorized_client', async () => {
    const r = raw(valid);
    expect(() => authorizationParameters(r, { ...client, grantTypes: ['client_credentials'] }, valid.redirect_uri!)).toThrow(
      expect.objectContaining({ code: 'unauthorized_client' }),
    );
  });

  it('reads prompt, max_age and login_hint', async () => {
    expect(await parse({ ...valid, prompt: 'login consent', max_age: '300', login_hint: 'jane' })).toMatchObject({
      prompt: ['login', 'consent'],
      maxAge: 300,
      loginHint: 'jane',
    });
  });

  it('reads acr_values (OIDC Core §3.1.2.1): the levels we know, in order; others are ignored (a voluntary claim)', async () => {
    expect(await parse({ ...valid, acr_values: 'urn:x aal2 aal1 aal2' })).toMatchObject({ acrValues: ['aal2', 'aal1'] });
    expect(await parse({ ...valid, acr_values: 'urn:unknown' })).not.toHaveProperty('acrValues');
    expect(await parse(valid)).not.toHaveProperty('acrValues');
  });
});

describe('property: any parameters give a request, an error page or an OAuth error, nothing else', () => {
  const names = fc.constantFrom(...Object.keys(valid), 'prompt', 'max_age', 'login_hint', 'response_mode', 'request', 'x');
  const values = fc.oneof(fc.string(), fc.constantFrom(...Object.values(valid), 'none', 'login', '0', 'plain', 'token', ''));
  it('never throws anything but UntrustedRedirectError or an AppError, and accepts only S256 with a registered URI', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(names, fc.array(values, { minLength: 1, maxLength: 2 })), fc.boolean(), async (changes, fromValid) => {
        const r: RawParameters = { ...(fromValid ? raw(valid) : {}), ...changes };
        try {
          const { client: found, redirectUri } = await trustedClient(r, find);
          expect(found.redirectUris).toContain(redirectUri);
          const params = authorizationParameters(r, found, redirectUri);
          expect(r.code_challenge_method).toEqual(['S256']);
          expect(r.response_type).toEqual(['code']);
          expect(params.scopes.every((s) => client.scopes.includes(s))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
