// Issue 16, end to end: a standard library, openid-client (v6), signs a user in against the service
// using only its discovery document. It registers itself (RFC 7591), sends the browser through the
// hosted login and consent pages with authorization code + PKCE, validates the ID token (itself,
// and again here with jose against our JWKS), calls userinfo, refreshes with rotation, introspects
// with client authentication (RFC 7662) and revokes (RFC 7009). The steps run in order and share one
// client and one sign-in; a step whose predecessor failed says so instead of failing obscurely.
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwtParts, type NewUser, newUser, registerUser } from '../e2e/helpers.ts';
import { withPage } from '../support/browser.ts';
import {
  approveConsent,
  authorizationRequest,
  type CallbackServer,
  callbackUrl,
  eventually,
  INSECURE,
  issuerUrl,
  oauthErrorOf,
  onLoginPage,
  redeem,
  signInOnHostedPage,
  startCallbackServer,
} from '../support/oidc.ts';

const STEP_MS = 90_000;

let callback: CallbackServer;
let user: NewUser;
/** The dynamically registered confidential client: client_secret_basic at every endpoint. */
let config: oidc.Configuration | undefined;
let clientSecret: string | undefined;
/** The answer of the code redemption, and of the refresh that rotated its refresh token. */
let signedIn: Awaited<ReturnType<typeof redeem>> | undefined;
let refreshed: Awaited<ReturnType<typeof oidc.refreshTokenGrant>> | undefined;

function needs<T>(value: T | undefined, step: string): T {
  if (value === undefined) throw new Error(`needs the earlier step "${step}", which failed`);
  return value;
}

beforeAll(async () => {
  callback = await startCallbackServer();
  ({ user } = await registerUser(newUser('oidcrp')));
});
afterAll(() => callback?.close());

describe('openid-client as the relying party', () => {
  it('discovery: the library configures itself from /.well-known/openid-configuration', async () => {
    const discovered = await oidc.discovery(issuerUrl(), 'any-client-id', undefined, oidc.None(), INSECURE);
    const metadata = discovered.serverMetadata();
    const base = issuerUrl().origin;
    expect(metadata).toMatchObject({
      issuer: issuerUrl().origin,
      authorization_endpoint: `${base}/oauth/authorize`,
      token_endpoint: `${base}/oauth/token`,
      userinfo_endpoint: `${base}/oauth/userinfo`,
      jwks_uri: `${base}/.well-known/jwks.json`,
      registration_endpoint: `${base}/oauth/register`,
      revocation_endpoint: `${base}/oauth/revoke`,
      introspection_endpoint: `${base}/introspect`,
      end_session_endpoint: `${base}/oauth/logout`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(metadata.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['none', 'client_secret_basic', 'client_secret_post']));
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));
    // The library would pick PKCE S256 from this, and never plain.
    expect(metadata.supportsPKCE()).toBe(true);
    expect(metadata.supportsPKCE('plain')).toBe(false);
    // RFC 8414 serves the same document at its own well-known path.
    const rfc8414 = await oidc.discovery(issuerUrl(), 'any-client-id', undefined, oidc.None(), { ...INSECURE, algorithm: 'oauth2' });
    expect(rfc8414.serverMetadata().issuer).toBe(metadata.issuer);
  });

  it('dynamic registration (RFC 7591): a confidential client gets its id and secret', async () => {
    config = await oidc.dynamicClientRegistration(
      issuerUrl(),
      {
        client_name: 'openid-client browser test',
        redirect_uris: [callback.redirectUri],
        post_logout_redirect_uris: [callback.postLogoutRedirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'openid profile email',
      },
      // The client authenticates at the token, introspection and revocation endpoints with HTTP Basic.
      oidc.ClientSecretBasic(),
      INSECURE,
    );
    const registered = config.clientMetadata();
    expect(registered.client_id).toMatch(/^c_[A-Za-z0-9_-]{22}$/);
    expect(registered.client_secret).toEqual(expect.any(String));
    expect(registered.redirect_uris).toEqual([callback.redirectUri]);
    expect(registered.token_endpoint_auth_method).toBe('client_secret_basic');
    clientSecret = registered.client_secret as string;
  });

  it(
    'code + PKCE through the hosted login and consent pages; the library checks state, iss and the ID token',
    async () => {
      const rp = needs(config, 'dynamic registration');
      // openid-client also verifies the ID token's signature against jwks_uri with this.
      oidc.enableNonRepudiationChecks(rp);
      const request = await authorizationRequest(rp, callback.redirectUri);
      let landed: URL | undefined;
      await withPage(async (page) => {
        await page.goto(request.url.href, { waitUntil: 'load' });
        expect(await onLoginPage(page), `expected the hosted login page, got ${page.url()}`).toBe(true);
        await signInOnHostedPage(page, user);
        // A dynamically registered client is third-party: the user is asked once.
        expect(new URL(page.url()).pathname).toBe('/oauth/consent');
        await approveConsent(page);
        landed = await callbackUrl(page, callback.redirectUri);
      });
      const back = needs(landed, 'the browser');
      // RFC 9207: the authorization response names its issuer; RFC 6749: state comes back unchanged.
      expect(back.searchParams.get('iss')).toBe(issuerUrl().origin);
      expect(back.searchParams.get('state')).toBe(request.state);
      expect(back.searchParams.get('code')).toEqual(expect.any(String));

      const tokens = await redeem(rp, back, request);
      expect(tokens.token_type.toLowerCase()).toBe('bearer');
      expect(tokens.expires_in).toBeGreaterThan(0);
      expect(tokens.refresh_token).toEqual(expect.any(String));
      expect(tokens.scope?.split(' ').sort()).toEqual(['email', 'openid', 'profile']);
      signedIn = tokens;
    },
    STEP_MS,
  );

  it('the ID token (OIDC Core §2, §3.1.3.7): signed by a key of our JWKS, for this client, with nonce, at_hash, auth_time, amr', async () => {
    const tokens = needs(signedIn, 'sign-in');
    const rp = needs(config, 'dynamic registration');
    const clientId = rp.clientMetadata().client_id;
    const idToken = needs(tokens.id_token, 'sign-in');
    expect(decodeProtectedHeader(idToken)).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    const keys = createRemoteJWKSet(new URL(needs(rp.serverMetadata().jwks_uri, 'discovery')));
    const { payload } = await jwtVerify(idToken, keys, { issuer: issuerUrl().origin, audience: clientId, algorithms: ['RS256'] });
    const claims = needs(tokens.claims(), 'sign-in');
    expect(payload).toEqual(claims);
    expect(claims.sub).toEqual(expect.any(String));
    expect(claims.nonce).toEqual(expect.any(String));
    expect(claims.auth_time).toBeLessThanOrEqual(claims.iat);
    expect(claims.amr).toContain('pwd');
    expect(claims.preferred_username).toBe(user.username);
    expect(claims.email).toBe(user.email);
    // at_hash: the left half of SHA-256 of the access token, base64url (OIDC Core §3.1.3.6).
    const digest = createHash('sha256').update(tokens.access_token).digest();
    expect(claims.at_hash).toBe(digest.subarray(0, 16).toString('base64url'));

    // The access token is an RFC 9068 JWT for our API, naming the client and the scopes.
    const access = decodeJwtParts(tokens.access_token);
    expect(access.header.typ).toBe('at+jwt');
    expect(access.payload).toMatchObject({ sub: claims.sub, client_id: clientId, sid: expect.any(String) });
    expect(String(access.payload.scope).split(' ').sort()).toEqual(['email', 'openid', 'profile']);
  });

  it('userinfo (OIDC Core §5.3) answers the claims the scopes allow, for the ID token’s subject', async () => {
    const tokens = needs(signedIn, 'sign-in');
    const rp = needs(config, 'dynamic registration');
    const sub = needs(tokens.claims(), 'sign-in').sub;
    // fetchUserInfo fails itself if sub differs from the expected subject.
    const userinfo = await oidc.fetchUserInfo(rp, tokens.access_token, sub);
    expect(userinfo).toMatchObject({ sub, preferred_username: user.username, email: user.email, email_verified: expect.any(Boolean) });
    // And refuses a token that is not ours.
    expect(await oauthErrorOf(oidc.fetchUserInfo(rp, `${tokens.access_token.slice(0, -4)}AAAA`, sub))).toBe('invalid_token');
  });

  it('refresh rotates the refresh token and answers a new ID token for the same user and sign-in', async () => {
    const tokens = needs(signedIn, 'sign-in');
    const rp = needs(config, 'dynamic registration');
    const first = needs(tokens.claims(), 'sign-in');
    const next = await oidc.refreshTokenGrant(rp, needs(tokens.refresh_token, 'sign-in'));
    expect(next.refresh_token).toEqual(expect.any(String));
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(next.access_token).not.toBe(tokens.access_token);
    const claims = needs(next.claims(), 'a new ID token in the refresh answer');
    expect(claims).toMatchObject({ sub: first.sub, aud: first.aud, auth_time: first.auth_time });
    // No nonce on a refreshed ID token (OIDC Core §12.2).
    expect(claims.nonce).toBeUndefined();
    expect(await oidc.fetchUserInfo(rp, next.access_token, first.sub)).toMatchObject({ sub: first.sub });
    // The new refresh token works in turn, and rotates again.
    const again = await oidc.refreshTokenGrant(rp, needs(next.refresh_token, 'refresh'));
    expect(again.refresh_token).not.toBe(next.refresh_token);
    refreshed = again;
  });

  it('introspection (RFC 7662) with client authentication: the registered method, the right secret, the client’s own tokens', async () => {
    const tokens = needs(refreshed, 'refresh');
    const rp = needs(config, 'dynamic registration');
    const clientId = rp.clientMetadata().client_id;
    const sub = needs(signedIn?.claims(), 'sign-in').sub;
    const introspection = await oidc.tokenIntrospection(rp, tokens.access_token);
    expect(introspection).toMatchObject({ active: true, client_id: clientId, sub });
    expect(String(introspection.scope).split(' ').sort()).toEqual(['email', 'openid', 'profile']);

    // The client registered client_secret_basic: the same secret in the body is another method, refused.
    const asPost = new oidc.Configuration(rp.serverMetadata(), clientId, needs(clientSecret, 'dynamic registration'), oidc.ClientSecretPost());
    oidc.allowInsecureRequests(asPost);
    expect(await oauthErrorOf(oidc.tokenIntrospection(asPost, tokens.access_token))).toBe('invalid_client');
    // A wrong secret is the client's failure (RFC 6749 §5.2 invalid_client), not an answer about the token.
    const wrong = new oidc.Configuration(rp.serverMetadata(), clientId, `${clientSecret}x`, oidc.ClientSecretBasic());
    oidc.allowInsecureRequests(wrong);
    expect(await oauthErrorOf(oidc.tokenIntrospection(wrong, tokens.access_token))).toBe('invalid_client');

    // A client registered for client_secret_post (openid-client's default, client_id in the body
    // too) authenticates; it sees only its own tokens, so another client's is inactive (RFC 7662 §4).
    const other = await oidc.dynamicClientRegistration(
      issuerUrl(),
      { client_name: 'openid-client post', redirect_uris: [callback.redirectUri], token_endpoint_auth_method: 'client_secret_post' },
      undefined,
      INSECURE,
    );
    expect(other.clientMetadata().token_endpoint_auth_method).toBe('client_secret_post');
    expect(await oidc.tokenIntrospection(other, tokens.access_token)).toEqual({ active: false });
  });

  it('revocation (RFC 7009) of the refresh token ends the session: refresh refused, the access token within a second', async () => {
    const tokens = needs(refreshed, 'refresh');
    const rp = needs(config, 'dynamic registration');
    const sub = needs(signedIn?.claims(), 'sign-in').sub;
    await oidc.tokenRevocation(rp, needs(tokens.refresh_token, 'refresh'), { token_type_hint: 'refresh_token' });
    expect(await oauthErrorOf(oidc.refreshTokenGrant(rp, needs(tokens.refresh_token, 'refresh')))).toBe('invalid_grant');
    await eventually(
      'the access token is refused at userinfo',
      async () => (await oauthErrorOf(oidc.fetchUserInfo(rp, tokens.access_token, sub))) === 'invalid_token',
    );
    await eventually('introspection says inactive', async () => (await oidc.tokenIntrospection(rp, tokens.access_token)).active === false);
    // Revoking again, or a token that never existed, is not an error (RFC 7009 §2.2).
    await oidc.tokenRevocation(rp, needs(tokens.refresh_token, 'refresh'));
    await oidc.tokenRevocation(rp, 'not-a-token-we-issued');
  });
});
