// The token side of the OAuth provider against DynamoDB Local, through its use cases: the code
// grant (single use, bound to client, redirect URI and PKCE; a race of two redemptions; a replay
// ending the session), refresh bound to its client (and never crossing native sessions), client
// credentials (RFC 8707), revocation (RFC 7009), userinfo and introspection by a client.
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { OAuthClient } from '../../lib/domain/oauth-client.ts';
import { refreshFamilyKey } from '../../lib/store/keys.ts';
import { toEpochSeconds } from '../../lib/support/clock.ts';
import { accessTokenHash } from '../../lib/tokens/id-tokens.ts';
import { introspectForClient } from '../../lib/use-cases/introspect.ts';
import type { ClientCredentials } from '../../lib/use-cases/oauth-client-authentication.ts';
import { revokeClientToken } from '../../lib/use-cases/oauth-revocation.ts';
import { tokenRequest } from '../../lib/use-cases/oauth-token.ts';
import type { TokenGrant } from '../../lib/use-cases/oauth-token-issuance.ts';
import { refreshSession, startSession } from '../../lib/use-cases/sessions.ts';
import { userInfo } from '../../lib/use-cases/userinfo.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { type TestClock, testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { REDIRECT_URI, storedClient, storedCode, type TestClient } from '../support/oauth-tokens.ts';
import { storedUser, updateStoredUser } from '../support/users.ts';

const START = Date.UTC(2026, 10, 23, 12, 0, 0, 250);

function setup(env: Record<string, string> = {}): { clock: TestClock; deps: Dependencies } {
  const clock = testClock(START);
  return { clock, deps: testDependencies(clock, env) };
}

const credentials = ({ client, secret }: TestClient): ClientCredentials =>
  secret === undefined ? { clientId: client.clientId, method: 'none' } : { clientId: client.clientId, secret, method: client.tokenEndpointAuthMethod };

const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());

const familyOf = async (deps: Dependencies, familyId: string) =>
  (await deps.db.send(new GetCommand({ TableName: deps.config.tableName, Key: refreshFamilyKey(familyId), ConsistentRead: true }))).Item;

/** What the rest of the system says of an access token: the shared token checker. */
const accepted = async (deps: Dependencies, grant: TokenGrant) =>
  deps.tokenChecker.check(grant.accessToken.token, deps.accessTokens.audience).then(
    () => true,
    () => false,
  );

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: { code?: string }) => error.code ?? String(error),
  );
}

async function signedIn(deps: Dependencies, overrides: Partial<OAuthClient> = {}) {
  const app = await storedClient(deps, overrides);
  const user = await storedUser(deps, 'oauth', { profile: { first_name: 'Ada', last_name: 'Lovelace' } });
  const issued = await storedCode(deps, app.client.clientId, user.id);
  const exchange = (code = issued.code, extra: Record<string, string> = {}, who: TestClient = app) =>
    tokenRequest(credentials(who), { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: issued.verifier, ...extra }, deps);
  return { app, user, issued, exchange };
}

describe('the authorization code grant (OAuth 2.1 §4.1.3)', () => {
  it('answers an access token in a new session, a refresh token, and an ID token bound to both', async () => {
    const { deps } = setup();
    const { app, user, issued, exchange } = await signedIn(deps);
    const grant = await exchange();

    const access = payloadOf(grant.accessToken.token);
    expect(access).toMatchObject({
      sub: user.id,
      client_id: app.client.clientId,
      scope: 'openid profile email',
      amr: ['pwd'],
      auth_time: issued.record.authTime,
    });
    expect(await accepted(deps, grant)).toBe(true);
    expect(await familyOf(deps, access.sid)).toMatchObject({
      userId: user.id,
      revoked: false,
      grant: { clientId: app.client.clientId, scopes: issued.record.scopes },
    });
    expect(grant.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // OIDC Core §3.1.3.6 / §3.1.3.7.
    expect(payloadOf(grant.idToken!)).toMatchObject({
      iss: deps.config.issuer,
      sub: user.id,
      aud: app.client.clientId,
      nonce: issued.record.nonce,
      at_hash: accessTokenHash(grant.accessToken.token),
      auth_time: issued.record.authTime,
      sid: issued.record.browserSessionId,
      email: user.email,
      name: 'Ada Lovelace',
    });
  });

  it('gives no refresh token to a client without the refresh_token grant, and no ID token without openid', async () => {
    const { deps } = setup();
    const app = await storedClient(deps, { grantTypes: ['authorization_code'] });
    const user = await storedUser(deps, 'oauth');
    const issued = await storedCode(deps, app.client.clientId, user.id, { scopes: ['reports:read'] });
    const grant = await tokenRequest(
      credentials(app),
      { grant_type: 'authorization_code', code: issued.code, redirect_uri: REDIRECT_URI, code_verifier: issued.verifier },
      deps,
    );
    expect(grant.refreshToken).toBeUndefined();
    expect(grant.idToken).toBeUndefined();
    expect(await accepted(deps, grant)).toBe(true);
  });

  it('RFC 9700 §4.5.3.1: of two concurrent redemptions exactly one wins; the code was used twice, so its session ends', async () => {
    const { deps } = setup();
    const { exchange } = await signedIn(deps);
    const results = await Promise.allSettled([exchange(), exchange()]);
    const won = results.filter((r): r is PromiseFulfilledResult<TokenGrant> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => r.reason.code)).toEqual(['invalid_grant']);
    const sid = payloadOf(won[0]!.value.accessToken.token).sid;
    expect(await familyOf(deps, sid)).toMatchObject({ revoked: true, revokedReason: 'authorization code replay' });
    expect(await accepted(deps, won[0]!.value)).toBe(false);
  });

  it('a replay fails and revokes what the first redemption issued (OAuth 2.1 §4.1.3)', async () => {
    const { clock, deps } = setup();
    const { app, exchange } = await signedIn(deps);
    const first = await exchange();
    clock.advance(2);
    expect(await refusal(exchange())).toBe('invalid_grant');
    expect(await accepted(deps, first)).toBe(false);
    expect(await refusal(tokenRequest(credentials(app), { grant_type: 'refresh_token', refresh_token: first.refreshToken! }, deps))).toBe('invalid_grant');
  });

  it("refuses a code injected into another client's exchange, and leaves it unspent for its own client (RFC 9700 §4.5)", async () => {
    const { deps } = setup();
    const { issued, exchange } = await signedIn(deps);
    const attacker = await storedClient(deps);
    expect(await refusal(exchange(issued.code, {}, attacker))).toBe('invalid_grant');
    expect((await deps.authorizationCodes.find(issued.record.codeHash))?.used).toBe(false);
    expect((await exchange()).accessToken.token).toBeTruthy();
  });

  it.each([
    ['another redirect_uri', { redirect_uri: 'https://app.example.com/other' }],
    ['no redirect_uri', { redirect_uri: '' }],
    ['a wrong code_verifier (RFC 7636 §4.6)', { code_verifier: 'x'.repeat(43) }],
    ['an unknown code', { code: 'not-a-code' }],
  ])('refuses %s with invalid_grant, leaving the code unspent', async (_name, extra) => {
    const { deps } = setup();
    const { issued, exchange } = await signedIn(deps);
    expect(await refusal(exchange(issued.code, extra))).toBe('invalid_grant');
    expect((await deps.authorizationCodes.find(issued.record.codeHash))?.used).toBe(false);
  });

  it('refuses an expired code (AUTHORIZATION_CODE_TTL, at most 60 s)', async () => {
    const { clock, deps } = setup();
    const { exchange } = await signedIn(deps);
    clock.advance(deps.config.oauth.authorizationCodeTtlSeconds);
    expect(await refusal(exchange())).toBe('invalid_grant');
  });

  it('refuses a code of a user disabled meanwhile, or who logged out everywhere since', async () => {
    const { deps } = setup();
    const disabled = await signedIn(deps);
    await updateStoredUser(deps, disabled.user.id, { status: 'disabled' });
    expect(await refusal(disabled.exchange())).toBe('invalid_grant');
    const everywhere = await signedIn(deps);
    await updateStoredUser(deps, everywhere.user.id, { validAfterMs: START + 1 });
    expect(await refusal(everywhere.exchange())).toBe('invalid_grant');
  });

  it('refuses a client not allowed the grant with unauthorized_client, and a wrong secret with invalid_client', async () => {
    const { deps } = setup();
    const cc = await storedClient(deps, { grantTypes: ['client_credentials'], resources: ['https://reports.example'] });
    expect(await refusal(tokenRequest(credentials(cc), { grant_type: 'authorization_code', code: 'c', code_verifier: 'v'.repeat(43) }, deps))).toBe(
      'unauthorized_client',
    );
    const { app, exchange } = await signedIn(deps);
    expect(await refusal(exchange(undefined, {}, { ...app, secret: 'wrong' }))).toBe('invalid_client');
  });
});

describe('the refresh token grant (OAuth 2.1 §4.3)', () => {
  it('rotates, keeps the session, and answers a new ID token with the original auth_time and no nonce (OIDC Core §12.2)', async () => {
    const { clock, deps } = setup({ REFRESH_REUSE_GRACE_SECONDS: '0' });
    const { app, issued, exchange } = await signedIn(deps);
    const first = await exchange();
    clock.advance(60);
    const second = await tokenRequest(credentials(app), { grant_type: 'refresh_token', refresh_token: first.refreshToken! }, deps);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(payloadOf(second.accessToken.token).sid).toBe(payloadOf(first.accessToken.token).sid);
    const id = payloadOf(second.idToken!);
    expect(id.auth_time).toBe(issued.record.authTime);
    expect(id.nonce).toBeUndefined();
    expect(id.at_hash).toBe(accessTokenHash(second.accessToken.token));
    // Reuse of the spent token ends the session (RFC 9700 §4.14.2).
    expect(await refusal(tokenRequest(credentials(app), { grant_type: 'refresh_token', refresh_token: first.refreshToken! }, deps))).toBe('invalid_grant');
    expect(await accepted(deps, second)).toBe(false);
  });

  it('ends a session whose browser session was signed out, even if the logout missed it; an expired sign-in cookie ends nothing', async () => {
    const { clock, deps } = setup();
    const app = await storedClient(deps);
    const user = await storedUser(deps, 'oauthbrowser');
    const refreshWith = (refreshToken: string) => tokenRequest(credentials(app), { grant_type: 'refresh_token', refresh_token: refreshToken }, deps);
    const started = async () => {
      const browserSessionId = randomUUID();
      const now = clock.now();
      await deps.browserSessions.create({
        sessionId: browserSessionId,
        secretHash: 'x',
        userId: user.id,
        authTime: toEpochSeconds(now),
        amr: ['pwd'],
        createdAt: now,
        expiresAt: toEpochSeconds(now) + 60,
      });
      const issued = await storedCode(deps, app.client.clientId, user.id, { browserSessionId });
      const grant = await tokenRequest(
        credentials(app),
        { grant_type: 'authorization_code', code: issued.code, redirect_uri: REDIRECT_URI, code_verifier: issued.verifier },
        deps,
      );
      return { browserSessionId, grant };
    };
    // Signed out in the browser (RP-initiated logout ended the browser session, but not this family).
    const signedOut = await started();
    await deps.browserSessions.revoke(signedOut.browserSessionId, clock.now());
    expect(await refusal(refreshWith(signedOut.grant.refreshToken!))).toBe('invalid_grant');
    expect((await familyOf(deps, payloadOf(signedOut.grant.accessToken.token).sid))?.revoked).toBe(true);
    // The sign-in cookie's session merely expired (or was deleted by TTL): the refresh token outlives it.
    const expired = await started();
    clock.advance(3600);
    expect((await refreshWith(expired.grant.refreshToken!)).refreshToken).toEqual(expect.any(String));
  });

  it('narrows the scope on request, never widens it (RFC 6749 §6)', async () => {
    const { deps } = setup();
    const { app, exchange } = await signedIn(deps);
    const first = await exchange();
    const narrow = await tokenRequest(credentials(app), { grant_type: 'refresh_token', refresh_token: first.refreshToken!, scope: 'openid' }, deps);
    expect(narrow.scopes).toEqual(['openid']);
    expect(payloadOf(narrow.idToken!).email).toBeUndefined();
    expect(
      await refusal(tokenRequest(credentials(app), { grant_type: 'refresh_token', refresh_token: narrow.refreshToken!, scope: 'openid reports:read' }, deps)),
    ).toBe('invalid_scope');
    // The grant keeps its full scope: a later refresh without scope gets all of it back.
    const full = await tokenRequest(credentials(app), { grant_type: 'refresh_token', refresh_token: narrow.refreshToken! }, deps);
    expect(full.scopes).toEqual(['openid', 'profile', 'email']);
  });

  it("is bound to its client: another client's refresh is refused and leaves the token unspent (OAuth 2.1 §4.3.1)", async () => {
    const { deps } = setup();
    const { app, exchange } = await signedIn(deps);
    const first = await exchange();
    const other = await storedClient(deps);
    expect(await refusal(tokenRequest(credentials(other), { grant_type: 'refresh_token', refresh_token: first.refreshToken! }, deps))).toBe('invalid_grant');
    expect((await tokenRequest(credentials(app), { grant_type: 'refresh_token', refresh_token: first.refreshToken! }, deps)).refreshToken).toBeTruthy();
  });

  it("native and OAuth sessions never cross: /refresh refuses a client's token, /oauth/token a native one", async () => {
    const { deps } = setup();
    const { app, user, exchange } = await signedIn(deps);
    const oauth = await exchange();
    expect(await refusal(refreshSession(oauth.refreshToken!, deps))).toBe('invalid_refresh_token');
    const native = await startSession(user, deps);
    expect(await refusal(tokenRequest(credentials(app), { grant_type: 'refresh_token', refresh_token: native.refreshToken }, deps))).toBe('invalid_grant');
    // Both still work where they belong: neither refusal spent anything.
    expect((await refreshSession(native.refreshToken, deps)).refreshToken).toBeTruthy();
    expect((await tokenRequest(credentials(app), { grant_type: 'refresh_token', refresh_token: oauth.refreshToken! }, deps)).refreshToken).toBeTruthy();
  });

  it('a public client refreshes with its client_id alone, and always rotates', async () => {
    const { deps } = setup();
    const { app, exchange } = await signedIn(deps, { type: 'public' });
    expect(app.secret).toBeUndefined();
    const first = await exchange();
    const next = await tokenRequest(credentials(app), { grant_type: 'refresh_token', refresh_token: first.refreshToken! }, deps);
    expect(next.refreshToken).not.toBe(first.refreshToken);
  });
});

describe('the client credentials grant (OAuth 2.1 §4.2, RFC 8707)', () => {
  const RESOURCES = ['https://reports.example', 'https://billing.example'];

  it('issues a token for a registered resource, for the client itself, with its API scopes and no refresh token', async () => {
    const { deps } = setup();
    const svc = await storedClient(deps, { grantTypes: ['client_credentials'], resources: RESOURCES, scopes: ['openid', 'reports:read', 'reports:write'] });
    const grant = await tokenRequest(credentials(svc), { grant_type: 'client_credentials', resource: RESOURCES[0]!, scope: 'reports:read' }, deps);
    expect(payloadOf(grant.accessToken.token)).toMatchObject({
      sub: svc.client.clientId,
      aud: RESOURCES[0],
      client_id: svc.client.clientId,
      scope: 'reports:read',
    });
    expect(grant.refreshToken).toBeUndefined();
    // Without scope: every API scope the client has, never OpenID Connect's.
    expect((await tokenRequest(credentials(svc), { grant_type: 'client_credentials', resource: RESOURCES[1]! }, deps)).scopes).toEqual([
      'reports:read',
      'reports:write',
    ]);
    // Never a token for our own user API.
    expect(await accepted(deps, grant)).toBe(false);
  });

  it('refuses an unknown or missing resource (invalid_target), OIDC scopes (invalid_scope) and clients not allowed it', async () => {
    const { deps } = setup();
    const svc = await storedClient(deps, { grantTypes: ['client_credentials'], resources: RESOURCES, scopes: ['openid', 'reports:read'] });
    expect(await refusal(tokenRequest(credentials(svc), { grant_type: 'client_credentials' }, deps))).toBe('invalid_target');
    expect(await refusal(tokenRequest(credentials(svc), { grant_type: 'client_credentials', resource: 'https://other.example' }, deps))).toBe('invalid_target');
    expect(await refusal(tokenRequest(credentials(svc), { grant_type: 'client_credentials', resource: deps.config.accessTokenAudience }, deps))).toMatch(
      /invalid_target/,
    );
    expect(await refusal(tokenRequest(credentials(svc), { grant_type: 'client_credentials', resource: RESOURCES[0]!, scope: 'openid' }, deps))).toBe(
      'invalid_scope',
    );
    const app = await storedClient(deps);
    expect(await refusal(tokenRequest(credentials(app), { grant_type: 'client_credentials' }, deps))).toBe('unauthorized_client');
  });
});

describe('revocation (RFC 7009), userinfo (OIDC Core §5.3), introspection by a client (RFC 7662)', () => {
  it('revoking a refresh token ends its session: refresh and access tokens stop working', async () => {
    const { deps } = setup();
    const { app, exchange } = await signedIn(deps);
    const grant = await exchange();
    await revokeClientToken(app.client, grant.refreshToken!, 'refresh_token', deps);
    expect(await accepted(deps, grant)).toBe(false);
    expect(await refusal(tokenRequest(credentials(app), { grant_type: 'refresh_token', refresh_token: grant.refreshToken! }, deps))).toBe('invalid_grant');
  });

  it('revoking an access token stops it alone; the session carries on', async () => {
    const { deps } = setup();
    const { app, exchange } = await signedIn(deps);
    const grant = await exchange();
    await revokeClientToken(app.client, grant.accessToken.token, undefined, deps);
    expect(await accepted(deps, grant)).toBe(false);
    expect((await tokenRequest(credentials(app), { grant_type: 'refresh_token', refresh_token: grant.refreshToken! }, deps)).refreshToken).toBeTruthy();
  });

  it("refuses to revoke another client's tokens (unauthorized_client), and answers unknown tokens quietly", async () => {
    const { deps } = setup();
    const { exchange } = await signedIn(deps);
    const grant = await exchange();
    const other = await storedClient(deps);
    expect(await refusal(revokeClientToken(other.client, grant.refreshToken!, undefined, deps))).toBe('unauthorized_client');
    expect(await refusal(revokeClientToken(other.client, grant.accessToken.token, undefined, deps))).toBe('unauthorized_client');
    expect(await accepted(deps, grant)).toBe(true);
    await revokeClientToken(other.client, 'no-such-token', 'refresh_token', deps);
    await revokeClientToken(other.client, 'a.b.c', 'access_token', deps);
  });

  it("userinfo answers the scopes' claims for a client's token, and insufficient_scope for a token without openid", async () => {
    const { deps } = setup();
    const { user, exchange } = await signedIn(deps);
    const grant = await exchange();
    expect(await userInfo(grant.accessToken.token, deps)).toEqual({
      sub: user.id,
      preferred_username: user.username,
      given_name: 'Ada',
      family_name: 'Lovelace',
      name: 'Ada Lovelace',
      updated_at: Date.parse(user.updatedAt) / 1000,
      email: user.email,
      email_verified: true,
    });
    const native = await startSession(user, deps);
    expect(await refusal(userInfo(native.accessToken.token, deps))).toBe('insufficient_permission');
    expect(await refusal(userInfo(undefined, deps))).toBe('missing_token');
  });

  it("a client introspects its own tokens (scope, client_id, token_type Bearer); another client's are inactive", async () => {
    const { deps } = setup();
    const { app, user, exchange } = await signedIn(deps);
    const grant = await exchange();
    expect(await introspectForClient(app.client, grant.accessToken.token, deps)).toMatchObject({
      active: true,
      scope: 'openid profile email',
      client_id: app.client.clientId,
      token_type: 'Bearer',
      sub: user.id,
      username: user.username,
    });
    const other = await storedClient(deps);
    expect(await introspectForClient(other.client, grant.accessToken.token, deps)).toEqual({ active: false });
    expect(await introspectForClient(app.client, 'garbage', deps)).toEqual({ active: false });
  });
});
