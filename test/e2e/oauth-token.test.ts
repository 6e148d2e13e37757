// The token side over HTTP, with oauth4webapi (a certified OpenID Connect relying-party library) as
// the client: code exchange with PKCE and ID token validation, userinfo, refresh with rotation,
// introspection with client authentication, revocation, client credentials; then the error
// answers an OAuth client must get (RFC 6749 §5.2 JSON, invalid_client 401 with a Basic challenge,
// RFC 6750 §3 challenges). Clients and codes are written straight through the stores.
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { testDependencies } from '../support/deps.ts';
import { REDIRECT_URI, storedClient, storedCode, type TestClient } from '../support/oauth-tokens.ts';
import { storedUser } from '../support/users.ts';
import { api, apiUrl, loggedInUser } from './helpers.ts';

const insecure = { [oauth.allowInsecureRequests]: true };

let deps: Dependencies;
let as: oauth.AuthorizationServer;

beforeAll(() => {
  deps = testDependencies();
  as = {
    issuer: deps.config.issuer,
    token_endpoint: `${apiUrl()}/oauth/token`,
    userinfo_endpoint: `${apiUrl()}/oauth/userinfo`,
    revocation_endpoint: `${apiUrl()}/oauth/revoke`,
    introspection_endpoint: `${apiUrl()}/introspect`,
    jwks_uri: `${apiUrl()}/.well-known/jwks.json`,
    authorization_response_iss_parameter_supported: true,
  };
});

const clientOf = (app: TestClient): oauth.Client => ({ client_id: app.client.clientId });
const authOf = (app: TestClient): oauth.ClientAuth =>
  app.client.tokenEndpointAuthMethod === 'client_secret_post'
    ? oauth.ClientSecretPost(app.secret!)
    : app.client.tokenEndpointAuthMethod === 'client_secret_basic'
      ? oauth.ClientSecretBasic(app.secret!)
      : oauth.None();

/** A signed-in user's code, as /oauth/authorize would send it back (with iss, RFC 9207). */
async function callbackWithCode(app: TestClient) {
  const user = await storedUser(deps, 'rp', { profile: { first_name: 'Grace' } });
  const issued = await storedCode(deps, app.client.clientId, user.id);
  const callback = new URL(REDIRECT_URI);
  callback.searchParams.set('code', issued.code);
  callback.searchParams.set('iss', as.issuer);
  const params = oauth.validateAuthResponse(as, clientOf(app), callback, oauth.expectNoState);
  return { user, issued, params };
}

async function signIn(app: TestClient) {
  const { user, issued, params } = await callbackWithCode(app);
  const response = await oauth.authorizationCodeGrantRequest(as, clientOf(app), authOf(app), params, REDIRECT_URI, issued.verifier, insecure);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('pragma')).toBe('no-cache');
  const tokens = await oauth.processAuthorizationCodeResponse(as, clientOf(app), response, { expectedNonce: issued.record.nonce!, requireIdToken: true });
  return { user, issued, params, tokens };
}

describe('a relying party (oauth4webapi) against /oauth/token, /oauth/userinfo, /oauth/revoke and /introspect', () => {
  it('signs in with code + PKCE, validates the ID token, reads userinfo, refreshes with rotation, introspects, revokes', async () => {
    const app = await storedClient(deps);
    const { user, tokens } = await signIn(app);
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'openid profile email' });
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    expect(claims).toMatchObject({ iss: as.issuer, sub: user.id, aud: app.client.clientId, email: user.email, given_name: 'Grace', amr: ['pwd'] });

    const info = await oauth.processUserInfoResponse(as, clientOf(app), user.id, await oauth.userInfoRequest(as, clientOf(app), tokens.access_token, insecure));
    expect(info).toMatchObject({ sub: user.id, email: user.email, preferred_username: user.username });

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      clientOf(app),
      await oauth.refreshTokenGrantRequest(as, clientOf(app), authOf(app), tokens.refresh_token!, insecure),
    );
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(oauth.getValidatedIdTokenClaims(refreshed)).toMatchObject({ sub: user.id, auth_time: claims.auth_time });

    const introspection = await oauth.processIntrospectionResponse(
      as,
      clientOf(app),
      await oauth.introspectionRequest(as, clientOf(app), authOf(app), refreshed.access_token, insecure),
    );
    expect(introspection).toMatchObject({ active: true, client_id: app.client.clientId, scope: 'openid profile email', token_type: 'Bearer', sub: user.id });

    // RFC 7009: revoking the refresh token ends the session, and with it the access token.
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, clientOf(app), authOf(app), refreshed.refresh_token!, insecure));
    const after = await api('/oauth/userinfo', { headers: { authorization: `Bearer ${refreshed.access_token}` } });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(after.body).toMatchObject({ error: 'invalid_token' });
  });

  it('a public client (PKCE, no secret) signs in and refreshes with its client_id alone', async () => {
    const app = await storedClient(deps, { type: 'public' });
    const { tokens } = await signIn(app);
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      clientOf(app),
      await oauth.refreshTokenGrantRequest(as, clientOf(app), oauth.None(), tokens.refresh_token!, insecure),
    );
    expect(refreshed.access_token).toBeTruthy();
  });

  it('a replayed code is invalid_grant, and the tokens of its first redemption stop working', async () => {
    const app = await storedClient(deps);
    const { issued, params, tokens } = await signIn(app);
    const replay = await oauth.authorizationCodeGrantRequest(as, clientOf(app), authOf(app), params, REDIRECT_URI, issued.verifier, insecure);
    await expect(oauth.processAuthorizationCodeResponse(as, clientOf(app), replay)).rejects.toMatchObject({ error: 'invalid_grant', status: 400 });
    const info = await api('/oauth/userinfo', { method: 'POST', headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(info.status).toBe(401);
  });

  it("an OAuth client's access token passes the authorizer, is refused by the account API (403), and logs its own session out", async () => {
    const app = await storedClient(deps);
    const { tokens } = await signIn(app);
    const bearer = { authorization: `Bearer ${tokens.access_token}` };
    // APIs behind the Lambda authorizer accept it (and see its scope and client_id).
    const behindAuthorizer = await api('/whoami', { headers: bearer });
    expect(behindAuthorizer.status).toBe(200);
    expect(behindAuthorizer.body.authorizer).toMatchObject({ client_id: app.client.clientId });
    // The account API does not: a scope of openid/profile/email grants no account management.
    for (const [path, init] of [
      ['/me', {}],
      ['/tokens', { json: { name: 'from an OAuth client' } }],
      ['/logout/all', { method: 'POST' }],
      ['/service-token', { json: { requested_service: 'hash-verification' } }],
    ] as const) {
      const refused = await api(path, { ...init, headers: bearer });
      expect(refused.status, path).toBe(403);
      expect(refused.body.code, path).toBe('insufficient_permission');
    }
    // Ending its own session is allowed: afterwards the token is refused everywhere (within 1 s).
    expect((await api('/logout', { method: 'POST', headers: bearer })).status).toBe(204);
    const info = await api('/oauth/userinfo', { headers: bearer });
    expect(info.status).toBe(401);
  });

  it('client credentials with client_secret_post and an RFC 8707 resource', async () => {
    const app = await storedClient(deps, {
      tokenEndpointAuthMethod: 'client_secret_post',
      grantTypes: ['client_credentials'],
      resources: ['https://reports.example'],
      scopes: ['reports:read'],
    });
    const tokens = await oauth.processClientCredentialsResponse(
      as,
      clientOf(app),
      await oauth.clientCredentialsGrantRequest(as, clientOf(app), authOf(app), { resource: 'https://reports.example' }, insecure),
    );
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'reports:read' });
    expect(tokens.refresh_token).toBeUndefined();
    const payload = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString());
    expect(payload).toMatchObject({ sub: app.client.clientId, aud: 'https://reports.example' });
    // The resource server checks it itself (RFC 9068 §4) with the libraries APIs use, from our JWKS.
    const jwksUri = as.jwks_uri!;
    const verified = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(jwksUri)), {
      issuer: as.issuer,
      audience: 'https://reports.example',
      typ: 'at+jwt',
      algorithms: ['RS256'],
    });
    expect(verified.payload).toMatchObject({ client_id: app.client.clientId, scope: 'reports:read' });
    // aws-jwt-verify fetches JWKS over https only; the local stack is http, so its JWKS is handed in.
    const awsVerifier = JwtRsaVerifier.create({ issuer: as.issuer, audience: 'https://reports.example', jwksUri, scope: 'reports:read' });
    const jwks = (await (await fetch(jwksUri)).json()) as Parameters<typeof awsVerifier.cacheJwks>[0];
    awsVerifier.cacheJwks(jwks);
    expect(await awsVerifier.verify(tokens.access_token)).toMatchObject({ sub: app.client.clientId });
    // A token for another resource is not one for this API.
    const otherApi = JwtRsaVerifier.create({ issuer: as.issuer, audience: deps.accessTokens.audience, jwksUri });
    otherApi.cacheJwks(jwks);
    await expect(otherApi.verify(tokens.access_token)).rejects.toThrow(/audience/i);
  });
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const formHeaders = (extra: Record<string, string> = {}) => ({ 'content-type': 'application/x-www-form-urlencoded', ...extra });
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

function expectOAuthError(res: Awaited<ReturnType<typeof api>>, status: number, error: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.body).toEqual({ error, error_description: expect.any(String) });
}

describe('the OAuth error answers (RFC 6749 §5.2, RFC 6750 §3)', () => {
  it('invalid_client is 401 with a Basic challenge when the client used Basic, without one otherwise', async () => {
    const app = await storedClient(deps);
    const viaBasic = await api('/oauth/token', {
      method: 'POST',
      headers: formHeaders({ authorization: basic(app.client.clientId, 'wrong') }),
      body: form({ grant_type: 'refresh_token', refresh_token: 'x' }),
    });
    expectOAuthError(viaBasic, 401, 'invalid_client');
    expect(viaBasic.headers.get('www-authenticate')).toMatch(/^Basic /);
    const viaBody = await api('/oauth/token', {
      method: 'POST',
      headers: formHeaders(),
      body: form({ grant_type: 'refresh_token', refresh_token: 'x', client_id: app.client.clientId, client_secret: 'wrong' }),
    });
    expectOAuthError(viaBody, 401, 'invalid_client');
    expect(viaBody.headers.get('www-authenticate')).toBeNull();
  });

  it('refuses a JSON body and a repeated parameter as invalid_request; answers an unknown grant with unsupported_grant_type; ignores unknown parameters', async () => {
    const app = await storedClient(deps, { type: 'public' });
    const id = app.client.clientId;
    expectOAuthError(await api('/oauth/token', { json: { grant_type: 'refresh_token', refresh_token: 'x', client_id: id } }), 400, 'invalid_request');
    expectOAuthError(
      await api('/oauth/token', { method: 'POST', headers: formHeaders(), body: `grant_type=refresh_token&refresh_token=a&refresh_token=b&client_id=${id}` }),
      400,
      'invalid_request',
    );
    expectOAuthError(
      await api('/oauth/token', { method: 'POST', headers: formHeaders(), body: form({ grant_type: 'password', client_id: id }) }),
      400,
      'unsupported_grant_type',
    );
    expectOAuthError(
      await api('/oauth/token', {
        method: 'POST',
        headers: formHeaders(),
        body: form({ grant_type: 'refresh_token', refresh_token: 'x', client_id: id, x_custom: '1' }),
      }),
      400,
      'invalid_grant',
    );
  });

  it('userinfo: no token is 401 with a bare Bearer challenge; a token without openid is 403 insufficient_scope', async () => {
    const none = await api('/oauth/userinfo');
    expectOAuthError(none, 401, 'invalid_token');
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const session = await loggedInUser('ui');
    const native = await api('/oauth/userinfo', { headers: { authorization: `Bearer ${session.accessToken}` } });
    expectOAuthError(native, 403, 'insufficient_scope');
    expect(native.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="openid"');
  });

  it("revocation needs client authentication, answers 200 for unknown tokens, and refuses another client's token", async () => {
    const app = await storedClient(deps);
    const other = await storedClient(deps);
    const { tokens } = await signIn(app);
    expectOAuthError(await api('/oauth/revoke', { method: 'POST', headers: formHeaders(), body: form({ token: 'x' }) }), 401, 'invalid_client');
    const unknown = await api('/oauth/revoke', {
      method: 'POST',
      headers: formHeaders({ authorization: basic(app.client.clientId, app.secret!) }),
      body: form({ token: 'x', token_type_hint: 'weird' }),
    });
    expect(unknown.status).toBe(200);
    expectOAuthError(
      await api('/oauth/revoke', {
        method: 'POST',
        headers: formHeaders({ authorization: basic(other.client.clientId, other.secret!) }),
        body: form({ token: tokens.refresh_token! }),
      }),
      400,
      'unauthorized_client',
    );
  });

  it('/introspect: a wrong client secret is invalid_client in OAuth JSON; a service-token caller still gets problem+json; client_id is ignored', async () => {
    const app = await storedClient(deps);
    expectOAuthError(
      await api('/introspect', { method: 'POST', headers: formHeaders({ authorization: basic(app.client.clientId, 'wrong') }), body: form({ token: 'x' }) }),
      401,
      'invalid_client',
    );
    const session = await loggedInUser('intro');
    const noService = await api('/introspect', {
      method: 'POST',
      headers: formHeaders({ authorization: `Bearer ${session.accessToken}` }),
      body: form({ token: 'x', client_id: 'anything' }),
    });
    expect(noService.status).toBe(401);
    expect(noService.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // client_secret_post, with the token of another client: inactive, not an error.
    const { tokens } = await signIn(await storedClient(deps));
    const post = await storedClient(deps, { tokenEndpointAuthMethod: 'client_secret_post' });
    const foreign = await api('/introspect', {
      method: 'POST',
      headers: formHeaders(),
      body: form({ token: tokens.access_token, client_id: post.client.clientId, client_secret: post.secret! }),
    });
    expect(foreign.status, foreign.text).toBe(200);
    expect(foreign.body).toEqual({ active: false });
  });
});
