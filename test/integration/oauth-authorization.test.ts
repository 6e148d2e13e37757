// The authorization side's stores and rules on DynamoDB Local, with a clock the test moves:
// browser sessions (when one stops counting), pending requests (answered once), consents (merged
// under concurrency), the authorize decisions for max_age and prompt=login, ending a browser
// session with exactly its clients' sessions, native /logout ending the browser session, and the
// id_token_hint check of RP-initiated logout.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { AuthorizationParameters } from '../../lib/domain/authorization-request.ts';
import { randomSecret, sha256 } from '../../lib/tokens/opaque.ts';
import { authorize, pendingRequest, RequestGoneError } from '../../lib/use-cases/authorize.ts';
import { currentBrowserSession, endBrowserSession, signInBrowser, startBrowserSession } from '../../lib/use-cases/browser-sessions.ts';
import { planLogout, verifyIdTokenHint } from '../../lib/use-cases/end-session.ts';
import { logout } from '../../lib/use-cases/logout.ts';
import { testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { pkce, storedClient } from '../support/oauth.ts';
import { storedUser, updateStoredUser } from '../support/users.ts';

const clock = testClock();
const deps = testDependencies(clock);

function params(clientId: string, extra: Partial<AuthorizationParameters> = {}): AuthorizationParameters {
  return { clientId, redirectUri: 'https://app.example/callback', scopes: ['openid'], codeChallenge: pkce().challenge, prompt: [], state: 's', ...extra };
}

async function signedInUser(prefix: string) {
  const user = await storedUser(deps, prefix);
  const { session, cookieValue } = await startBrowserSession(user, ['pwd'], deps);
  return { user, session, cookieValue };
}

describe('browser sessions', () => {
  it('counts while live, and stops with the wrong secret, revocation, expiry, logout-everywhere or a disabled account', async () => {
    const { user, session, cookieValue } = await signedInUser('bs');
    expect((await currentBrowserSession(cookieValue, deps))?.session.sessionId).toBe(session.sessionId);
    expect(await currentBrowserSession(`${session.sessionId}.${randomSecret()}`, deps)).toBeUndefined();
    expect(await currentBrowserSession(`${randomUUID()}.${randomSecret()}`, deps)).toBeUndefined();
    expect(await currentBrowserSession('garbage', deps)).toBeUndefined();

    // Log out everywhere moves validAfterMs past the session's start.
    await updateStoredUser(deps, user.id, { validAfterMs: clock.now() + 1 });
    expect(await currentBrowserSession(cookieValue, deps)).toBeUndefined();

    const second = await signedInUser('bs2');
    clock.advance(deps.config.oauth.browserSessionTtlSeconds);
    expect(await currentBrowserSession(second.cookieValue, deps)).toBeUndefined();
    clock.advance(-deps.config.oauth.browserSessionTtlSeconds);
    expect(await currentBrowserSession(second.cookieValue, deps)).toBeDefined();
    await deps.users.disable(second.user.id, clock.now() - 10_000);
    expect(await currentBrowserSession(second.cookieValue, deps)).toBeUndefined();

    const third = await signedInUser('bs3');
    await deps.browserSessions.revoke(third.session.sessionId, clock.now());
    expect(await currentBrowserSession(third.cookieValue, deps)).toBeUndefined();
  });
});

describe('signing in again in the same browser', () => {
  it('a re-authentication of the same user keeps the session (its sid) and moves auth_time; another user ends it', async () => {
    const first = await signedInUser('reauth');
    const current = { ...(await currentBrowserSession(first.cookieValue, deps))!, cookieValue: first.cookieValue };
    clock.advance(120);
    const again = await signInBrowser(first.user, ['pwd'], current, deps);
    expect(again.session.sessionId).toBe(first.session.sessionId);
    expect(again.cookieValue).toBe(first.cookieValue);
    expect((await currentBrowserSession(first.cookieValue, deps))?.session.authTime).toBe(first.session.authTime + 120);

    const someoneElse = await storedUser(deps, 'reauth2');
    const switched = await signInBrowser(someoneElse, ['pwd'], current, deps);
    expect(switched.session.sessionId).not.toBe(first.session.sessionId);
    expect(await currentBrowserSession(first.cookieValue, deps)).toBeUndefined();
    expect((await currentBrowserSession(switched.cookieValue, deps))?.user.id).toBe(someoneElse.id);
  });
});

describe('pending requests and consents', () => {
  it('a request is answered once: the second answer finds it gone', async () => {
    const client = await storedClient(deps, { firstParty: true });
    const signedIn = await signedInUser('pr');
    const step = await authorize(params(client.clientId), client, undefined, deps);
    expect(step.kind).toBe('login');
    const pending = await pendingRequest((step as { requestId: string }).requestId, deps);
    const [first, second] = await Promise.allSettled([
      authorize(pending, client, signedIn, deps, { pending, justAuthenticated: true }),
      authorize(pending, client, signedIn, deps, { pending, justAuthenticated: true }),
    ]);
    const outcomes = [first, second].map((o) => o.status);
    expect(outcomes.sort()).toEqual(['fulfilled', 'rejected']);
    const refused = [first, second].find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(RequestGoneError);
    await expect(pendingRequest(pending.requestId, deps)).rejects.toBeInstanceOf(RequestGoneError);
  });

  it('a request expires after ten minutes', async () => {
    const client = await storedClient(deps, { firstParty: true });
    const step = await authorize(params(client.clientId), client, undefined, deps);
    const id = (step as { requestId: string }).requestId;
    clock.advance(600);
    await expect(pendingRequest(id, deps)).rejects.toBeInstanceOf(RequestGoneError);
    clock.advance(-600);
    await expect(pendingRequest(id, deps)).resolves.toMatchObject({ requestId: id });
  });

  it('concurrent consents to different scopes are all remembered', async () => {
    const user = await storedUser(deps, 'consent');
    const clientId = `c_${randomUUID()}`;
    await Promise.all([
      deps.consents.grant(user.id, clientId, ['openid'], clock.now()),
      deps.consents.grant(user.id, clientId, ['profile'], clock.now()),
      deps.consents.grant(user.id, clientId, ['email', 'openid'], clock.now()),
    ]);
    expect(await deps.consents.scopes(user.id, clientId)).toEqual(['email', 'openid', 'profile']);
    expect(await deps.consents.scopes(user.id, `c_${randomUUID()}`)).toEqual([]);
  });
});

describe('authorize: how recent the authentication must be (OIDC Core §3.1.2.1)', () => {
  it('max_age: a session older than max_age must sign in again; with prompt=none that is login_required', async () => {
    const client = await storedClient(deps, { firstParty: true });
    const signedIn = await signedInUser('maxage');
    clock.advance(301);
    expect((await authorize(params(client.clientId, { maxAge: 400 }), client, signedIn, deps)).kind).toBe('redirect');
    expect((await authorize(params(client.clientId, { maxAge: 300 }), client, signedIn, deps)).kind).toBe('login');
    const none = await authorize(params(client.clientId, { maxAge: 300, prompt: ['none'] }), client, signedIn, deps);
    expect(none.kind === 'redirect' && new URL(none.location).searchParams.get('error')).toBe('login_required');
  });

  it('prompt=login: a consent page cannot skip the login the request asked for', async () => {
    const client = await storedClient(deps, { firstParty: false });
    const signedIn = await signedInUser('promptlogin');
    clock.advance(5);
    const step = await authorize(params(client.clientId, { prompt: ['login'] }), client, signedIn, deps);
    expect(step.kind).toBe('login');
    const pending = await pendingRequest((step as { requestId: string }).requestId, deps);
    // Continued with the old session (as a direct POST to /oauth/consent would): login again.
    expect((await authorize(pending, client, signedIn, deps, { pending, consented: true })).kind).toBe('login');
    // After a fresh login the request goes on.
    const fresh = await startBrowserSession(signedIn.user, ['pwd'], deps);
    const after = await authorize(pending, client, { session: fresh.session, user: signedIn.user }, deps, { pending, consented: true });
    expect(after.kind).toBe('redirect');
  });
});

describe('ending a browser session', () => {
  async function familyOf(userId: string, browserSessionId: string | undefined) {
    const familyId = randomUUID();
    const refreshToken = randomSecret();
    await deps.sessions.create({
      familyId,
      userId,
      refreshTokenHash: sha256(refreshToken),
      createdAt: clock.now(),
      expiresAt: Math.floor(clock.now() / 1000) + 3600,
      ...(browserSessionId ? { grant: { clientId: 'c_x', scopes: ['openid'], authTime: 1, amr: ['pwd'], browserSessionId } } : {}),
    });
    return { familyId, refreshToken };
  }

  it('RP-initiated logout ends the browser session and exactly the sessions its clients got', async () => {
    const { user, session } = await signedInUser('end');
    const ours = await familyOf(user.id, session.sessionId);
    const otherBrowser = await familyOf(user.id, randomUUID());
    const native = await familyOf(user.id, undefined);
    await endBrowserSession(session.sessionId, user.id, deps);
    expect((await deps.browserSessions.get(session.sessionId))?.revoked).toBe(true);
    expect((await deps.sessions.getFamily(ours.familyId))?.revoked).toBe(true);
    expect((await deps.sessions.getFamily(otherBrowser.familyId))?.revoked).toBe(false);
    expect((await deps.sessions.getFamily(native.familyId))?.revoked).toBe(false);
  });

  it('native /logout of an OAuth family ends its browser session too', async () => {
    const { user, session, cookieValue } = await signedInUser('nativeout');
    const family = await familyOf(user.id, session.sessionId);
    await logout(undefined, family.refreshToken, deps);
    expect((await deps.sessions.getFamily(family.familyId))?.revoked).toBe(true);
    expect(await currentBrowserSession(cookieValue, deps)).toBeUndefined();
  });
});

describe('id_token_hint (RP-Initiated Logout 1.0 §2)', () => {
  async function idToken(claims: Record<string, unknown>, typ = 'JWT') {
    const key = await deps.signer.signingKey();
    const now = Math.floor(clock.now() / 1000);
    return new SignJWT({ iss: deps.config.issuer, iat: now, exp: now + 60, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ })
      .sign(key.privateKey);
  }

  it('accepts our ID token even expired, and refuses another audience, another type or a forged one', async () => {
    const token = await idToken({ sub: 'u1', aud: 'c_a', sid: 's1' });
    clock.advance(7200);
    expect(await verifyIdTokenHint(token, undefined, deps)).toEqual({ sub: 'u1', clientId: 'c_a', sid: 's1' });
    expect(await verifyIdTokenHint(token, 'c_a', deps)).toBeDefined();
    clock.advance(-7200);
    // §2: the client_id sent must be the hint's audience.
    expect(await verifyIdTokenHint(token, 'c_b', deps)).toBeUndefined();
    // An access token (at+jwt) is no ID token.
    expect(await verifyIdTokenHint(await idToken({ sub: 'u1', aud: 'c_a' }, 'at+jwt'), undefined, deps)).toBeUndefined();
    const [header, payload] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ iss: deps.config.issuer, sub: 'u2', aud: 'c_a' })).toString('base64url')}.${token.split('.')[2]}`;
    expect(payload).toBeDefined();
    expect(await verifyIdTokenHint(forged, undefined, deps)).toBeUndefined();
  });

  it('a valid hint for the signed-in user ends the session at once; a hint for someone else asks first', async () => {
    const client = await storedClient(deps, { postLogoutRedirectUris: ['https://app.example/bye'] });
    const signedIn = await signedInUser('hint');
    const mine = await idToken({ sub: signedIn.user.id, aud: client.clientId });
    const plan = await planLogout({ idTokenHint: mine, postLogoutRedirectUri: 'https://app.example/bye', state: 'x' }, signedIn, deps);
    expect(plan).toMatchObject({ immediate: true, redirect: 'https://app.example/bye?state=x' });
    const theirs = await idToken({ sub: randomUUID(), aud: client.clientId });
    expect((await planLogout({ idTokenHint: theirs }, signedIn, deps)).immediate).toBe(false);
    expect((await planLogout({}, signedIn, deps)).immediate).toBe(false);
  });
});
