// /oauth/authorize, the hosted login and consent pages and /oauth/logout over HTTP, as a browser
// and a relying party meet them: every error path of the authorization endpoint (and that an
// unknown client or unregistered redirect URI is never redirected to), iss on every redirect
// (RFC 9207), prompt=none/login, single sign-on, consent remembered, CSRF refused, framing
// refused (RFC 9700 §4.16), and no open redirect through post_logout_redirect_uri.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OAuthClient } from '../../lib/domain/oauth-client.ts';
import { randomSecret, sha256 } from '../../lib/tokens/opaque.ts';
import { testDependencies } from '../support/deps.ts';
import { CookieBrowser, hiddenField, pkce, storedClient } from '../support/oauth.ts';
import { api, apiUrl, type NewUser, newUser, registerUser } from './helpers.ts';

const deps = testDependencies();
const issuer = () => deps.config.issuer;
let user: NewUser;
let userId: string;
let firstParty: OAuthClient;
let thirdParty: OAuthClient;

beforeAll(async () => {
  const registered = await registerUser(newUser('oauthz'));
  user = registered.user;
  userId = registered.created.id;
  firstParty = await storedClient(deps, { firstParty: true, name: 'First Party' });
  thirdParty = await storedClient(deps, { firstParty: false, name: 'Third Party <App>', clientUri: 'https://app.example' });
});

function authorizeUrl(client: OAuthClient, extra: Record<string, string | undefined> = {}, challenge = pkce().challenge): string {
  const params: Record<string, string | undefined> = {
    client_id: client.clientId,
    redirect_uri: client.redirectUris[0],
    response_type: 'code',
    scope: 'openid profile',
    state: 'st-123 with spaces & symbols',
    nonce: 'n-456',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
  const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return `/oauth/authorize?${query}`;
}

/** The parameters of a redirect to the client, after checking it goes to the registered URI. */
function clientRedirect(location: string | undefined, client: OAuthClient): URLSearchParams {
  expect(location, 'a redirect').toBeDefined();
  const url = new URL(location!);
  expect(`${url.origin}${url.pathname}`).toBe(client.redirectUris[0]);
  return url.searchParams;
}

/** Signs in on the hosted page from a fresh authorization request; returns the answer to the login POST. */
async function signIn(browser: CookieBrowser, client: OAuthClient, extra: Record<string, string | undefined> = {}, password = user.password) {
  const start = await browser.get(authorizeUrl(client, extra));
  expect(start.status).toBe(302);
  expect(start.location).toMatch(/^\/oauth\/login\?request=/);
  const page = await browser.get(start.location!);
  expect(page.status).toBe(200);
  return browser.post('/oauth/login', {
    request: hiddenField(page.text, 'request'),
    csrf_token: hiddenField(page.text, 'csrf_token'),
    username: user.username,
    password,
  });
}

describe('authorization endpoint: never a redirect to an unregistered URI (OAuth 2.1 §4.1.2.1, RFC 9700 §4.1)', () => {
  it.each([
    ['an unknown client', () => ({ client_id: 'c_unknown' })],
    ['a redirect_uri not registered', () => ({ redirect_uri: 'https://attacker.example/callback' })],
    ['a redirect_uri registered URI plus a path', () => ({ redirect_uri: 'https://app.example/callback/../evil' })],
    ['no redirect_uri', () => ({ redirect_uri: undefined })],
  ])('%s gets our error page, 400, no Location', async (_, change) => {
    const res = await new CookieBrowser(apiUrl()).get(authorizeUrl(firstParty, change()));
    expect(res.status).toBe(400);
    expect(res.location).toBeUndefined();
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).not.toContain('attacker.example');
  });

  it('a repeated redirect_uri is refused without a redirect', async () => {
    const url = `${authorizeUrl(firstParty)}&redirect_uri=${encodeURIComponent('https://attacker.example/cb')}`;
    const res = await new CookieBrowser(apiUrl()).get(url);
    expect(res.status).toBe(400);
    expect(res.location).toBeUndefined();
  });
});

describe('authorization endpoint: errors go back to the client with state and iss (RFC 9207 §2)', () => {
  it.each([
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['PKCE missing', { code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request'],
    ['code_challenge_method=plain', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['a scope the client may not have', { scope: 'openid admin:all' }, 'invalid_scope'],
    ['prompt=none without a browser session', { prompt: 'none' }, 'login_required'],
    ['prompt=none combined with login', { prompt: 'none login' }, 'invalid_request'],
  ])('%s → %s', async (_, change, error) => {
    const res = await new CookieBrowser(apiUrl()).get(authorizeUrl(firstParty, change));
    expect(res.status).toBe(302);
    const params = clientRedirect(res.location, firstParty);
    expect(params.get('error')).toBe(error);
    expect(params.get('state')).toBe('st-123 with spaces & symbols');
    expect(params.get('iss')).toBe(issuer());
    expect(params.get('code')).toBeNull();
  });

  it('a repeated parameter is invalid_request (RFC 6749 §3.1)', async () => {
    const res = await new CookieBrowser(apiUrl()).get(`${authorizeUrl(firstParty)}&scope=email`);
    expect(clientRedirect(res.location, firstParty).get('error')).toBe('invalid_request');
  });
});

describe('hosted login page', () => {
  it('is framed by nobody, carries the password-manager attributes and prefills login_hint', async () => {
    const browser = new CookieBrowser(apiUrl());
    const start = await browser.get(authorizeUrl(firstParty, { login_hint: 'jane@example.com' }));
    const page = await browser.get(start.location!);
    expect(page.status).toBe(200);
    // RFC 9700 §4.16 clickjacking: CSP frame-ancestors 'none' and X-Frame-Options DENY.
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    // Its form may end at the client's redirect URI (CSP form-action governs the redirect after the post).
    expect(page.headers.get('content-security-policy')).toMatch(/form-action 'self' https:\/\/app\.example;/);
    expect(page.text).toMatch(/<label for="username">/);
    expect(page.text).toMatch(/autocomplete="username"/);
    expect(page.text).toMatch(/autocomplete="current-password"/);
    expect(page.text).toContain('value="jane@example.com"');
    expect(page.text).toContain(`href="${apiUrl()}/password/forgot"`);
    expect(page.text).toContain('First Party');
  });

  it('signs in and answers the client with a code bound to client, redirect URI, PKCE challenge and nonce', async () => {
    const browser = new CookieBrowser(apiUrl());
    const { challenge } = pkce();
    const start = await browser.get(authorizeUrl(firstParty, {}, challenge));
    const page = await browser.get(start.location!);
    const res = await browser.post('/oauth/login', {
      request: hiddenField(page.text, 'request'),
      csrf_token: hiddenField(page.text, 'csrf_token'),
      username: user.email,
      password: user.password,
    });
    // RFC 9700 §4.11: 303 after a form post.
    expect(res.status).toBe(303);
    const params = clientRedirect(res.location, firstParty);
    expect(params.get('state')).toBe('st-123 with spaces & symbols');
    expect(params.get('iss')).toBe(issuer());
    const code = params.get('code')!;
    const stored = await deps.authorizationCodes.find(sha256(code));
    expect(stored).toMatchObject({
      clientId: firstParty.clientId,
      redirectUri: firstParty.redirectUris[0],
      codeChallenge: challenge,
      nonce: 'n-456',
      amr: ['pwd'],
      used: false,
    });
    expect(stored!.scopes).toEqual(['openid', 'profile']);
    expect(stored!.expiresAt - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(60);
    // The session cookie: HttpOnly, SameSite=Lax, host-only, Path=/ (plain name on http://localhost).
    const line = browser.setCookieLines.find((l) => l.startsWith('auth_session='))!;
    for (const attribute of [/; Path=\/(;|$)/, /; HttpOnly(;|$)/, /; SameSite=Lax(;|$)/]) expect(line).toMatch(attribute);
    expect(line).not.toMatch(/Domain=/i);
    // The request is spent: its login page is gone.
    expect((await browser.get(start.location!)).status).toBe(400);
  });

  it('a wrong password gets the same words as /login, on the page, and no session', async () => {
    const browser = new CookieBrowser(apiUrl());
    const res = await signIn(browser, firstParty, {}, `${user.password}-wrong`);
    const native = await api('/login', { json: { username: user.username, password: `${user.password}-wrong` } });
    expect(res.status).toBe(native.status);
    expect(res.location).toBeUndefined();
    expect(res.text).toContain(native.body.detail);
    expect(browser.cookies.has('auth_session')).toBe(false);
    // An unknown user reads the same (enumeration resistance).
    const unknown = await browser.post('/oauth/login', {
      request: hiddenField(res.text, 'request'),
      csrf_token: hiddenField(res.text, 'csrf_token'),
      username: `nobody_${user.username}`,
      password: 'whatever-it-is',
    });
    expect(unknown.status).toBe(native.status);
    expect(unknown.text).toContain(native.body.detail);
  });

  it.each([
    ['no CSRF field', (form: Record<string, string>) => ({ ...form, csrf_token: '' }), {}],
    ['no CSRF cookie', (form: Record<string, string>) => form, { cookie: '' }],
    ['a cross-site Origin', (form: Record<string, string>) => form, { origin: 'https://attacker.example' }],
    ['Sec-Fetch-Site cross-site', (form: Record<string, string>) => form, { 'sec-fetch-site': 'cross-site' }],
  ])('CSRF: a login post with %s is refused (403) and checks no password', async (_, change, headers) => {
    const browser = new CookieBrowser(apiUrl());
    const start = await browser.get(authorizeUrl(firstParty));
    const page = await browser.get(start.location!);
    const form = {
      request: hiddenField(page.text, 'request'),
      csrf_token: hiddenField(page.text, 'csrf_token'),
      username: user.username,
      password: user.password,
    };
    const res = await browser.post('/oauth/login', change(form), headers);
    expect(res.status).toBe(403);
    expect(res.location).toBeUndefined();
    expect(browser.cookies.has('auth_session')).toBe(false);
  });
});

describe('single sign-on and prompts', () => {
  it('a second request signs in without the password; prompt=login asks again; prompt=none answers at once', async () => {
    const browser = new CookieBrowser(apiUrl());
    expect((await signIn(browser, firstParty)).status).toBe(303);
    const other = await storedClient(deps, { firstParty: true, name: 'Second App' });

    const sso = await browser.get(authorizeUrl(other));
    expect(sso.status).toBe(302);
    expect(clientRedirect(sso.location, other).get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const none = await browser.get(authorizeUrl(other, { prompt: 'none' }));
    expect(clientRedirect(none.location, other).get('code')).toBeTruthy();

    const again = await browser.get(authorizeUrl(other, { prompt: 'login' }));
    expect(again.location).toMatch(/^\/oauth\/login\?request=/);
    // Signing in again keeps the browser session: both codes name the same sid.
    const page = await browser.get(again.location!);
    const relogin = await browser.post('/oauth/login', {
      request: hiddenField(page.text, 'request'),
      csrf_token: hiddenField(page.text, 'csrf_token'),
      username: user.username,
      password: user.password,
    });
    const codes = await Promise.all(
      [sso.location, relogin.location].map((location) => deps.authorizationCodes.find(sha256(clientRedirect(location, other).get('code')!))),
    );
    expect(codes[1]!.browserSessionId).toBe(codes[0]!.browserSessionId);
  });
});

describe('consent for third-party clients', () => {
  it('asks once per scope set, remembers, re-asks for new scopes or prompt=consent, and Deny is access_denied', async () => {
    const browser = new CookieBrowser(apiUrl());
    const login = await signIn(browser, thirdParty);
    expect(login.location).toMatch(/^\/oauth\/consent\?request=/);
    const consent = await browser.get(login.location!);
    expect(consent.status).toBe(200);
    expect(consent.text).toContain('Third Party &lt;App&gt;');
    expect(consent.text).toContain('See your username and name');
    expect(consent.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    const form = { request: hiddenField(consent.text, 'request'), csrf_token: hiddenField(consent.text, 'csrf_token') };

    // CSRF: the right request but no token, or a cross-site post.
    expect((await browser.post('/oauth/consent', { ...form, csrf_token: 'x', decision: 'allow' })).status).toBe(403);
    expect((await browser.post('/oauth/consent', { ...form, decision: 'allow' }, { origin: 'https://attacker.example' })).status).toBe(403);

    const allowed = await browser.post('/oauth/consent', { ...form, decision: 'allow' });
    expect(allowed.status).toBe(303);
    expect(clientRedirect(allowed.location, thirdParty).get('code')).toBeTruthy();

    // Remembered: the same scopes need no page.
    const remembered = await browser.get(authorizeUrl(thirdParty));
    expect(clientRedirect(remembered.location, thirdParty).get('code')).toBeTruthy();
    // A new scope: asked again; with prompt=none that is consent_required.
    const none = await browser.get(authorizeUrl(thirdParty, { scope: 'openid email', prompt: 'none' }));
    const params = clientRedirect(none.location, thirdParty);
    expect(params.get('error')).toBe('consent_required');
    expect(params.get('iss')).toBe(issuer());
    const forced = await browser.get(authorizeUrl(thirdParty, { prompt: 'consent' }));
    expect(forced.location).toMatch(/^\/oauth\/consent\?request=/);

    // Deny: access_denied with state and iss.
    const page = await browser.get(forced.location!);
    const denied = await browser.post('/oauth/consent', {
      request: hiddenField(page.text, 'request'),
      csrf_token: hiddenField(page.text, 'csrf_token'),
      decision: 'deny',
    });
    const deniedParams = clientRedirect(denied.location, thirdParty);
    expect(deniedParams.get('error')).toBe('access_denied');
    expect(deniedParams.get('state')).toBe('st-123 with spaces & symbols');
    expect(deniedParams.get('iss')).toBe(issuer());
  });
});

describe('RP-initiated logout (end_session_endpoint)', () => {
  it('without a hint it asks first (CSRF-protected), then ends the browser session and redirects only to a registered URI', async () => {
    const browser = new CookieBrowser(apiUrl());
    await signIn(browser, firstParty);
    const target = firstParty.postLogoutRedirectUris[0]!;
    const ask = await browser.get(`/oauth/logout?client_id=${firstParty.clientId}&post_logout_redirect_uri=${encodeURIComponent(target)}&state=s1`);
    expect(ask.status).toBe(200);
    expect(ask.location).toBeUndefined();
    expect(ask.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    // Still signed in: asking ended nothing.
    expect((await browser.get(authorizeUrl(firstParty, { prompt: 'none' }))).location).toMatch(/code=/);

    const form = {
      csrf_token: hiddenField(ask.text, 'csrf_token'),
      client_id: firstParty.clientId,
      post_logout_redirect_uri: target,
      state: 's1',
      decision: 'logout',
    };
    expect((await browser.post('/oauth/logout', { ...form, csrf_token: 'forged' })).status).toBe(403);
    const done = await browser.post('/oauth/logout', form);
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${target}?state=s1`);
    expect(browser.cookies.has('auth_session')).toBe(false);
    // The old cookie no longer works even if replayed.
    const none = await browser.get(authorizeUrl(firstParty, { prompt: 'none' }));
    expect(clientRedirect(none.location, firstParty).get('error')).toBe('login_required');
  });

  it('with a valid id_token_hint for the signed-in user it ends at once: the browser session and the sessions its clients got', async () => {
    const browser = new CookieBrowser(apiUrl());
    const login = await signIn(browser, firstParty);
    const code = await deps.authorizationCodes.find(sha256(clientRedirect(login.location, firstParty).get('code')!));
    const sid = code!.browserSessionId;
    // The session a token endpoint would start from that code, and an (expired) ID token for it.
    const familyId = randomUUID();
    const now = Math.floor(Date.now() / 1000);
    await deps.sessions.create({
      familyId,
      userId,
      refreshTokenHash: sha256(randomSecret()),
      createdAt: Date.now(),
      expiresAt: now + 3600,
      grant: { clientId: firstParty.clientId, scopes: ['openid'], authTime: code!.authTime, amr: ['pwd'], browserSessionId: sid },
    });
    const key = await deps.signer.signingKey();
    const hint = await new SignJWT({ iss: issuer(), sub: userId, aud: firstParty.clientId, sid, iat: now - 7200, exp: now - 3600 })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey);

    const target = firstParty.postLogoutRedirectUris[0]!;
    const res = await browser.get(`/oauth/logout?${new URLSearchParams({ id_token_hint: hint, post_logout_redirect_uri: target, state: 'bye' })}`);
    expect(res.status).toBe(302);
    expect(res.location).toBe(`${target}?state=bye`);
    expect((await deps.browserSessions.get(sid))?.revoked).toBe(true);
    expect((await deps.sessions.getFamily(familyId))?.revoked).toBe(true);
    expect(browser.cookies.has('auth_session')).toBe(false);
  });

  it.each([
    [
      'an unregistered post_logout_redirect_uri',
      (client: OAuthClient) => `client_id=${client.clientId}&post_logout_redirect_uri=${encodeURIComponent('https://attacker.example/')}`,
    ],
    [
      'a registered one of another client',
      (client: OAuthClient) => `client_id=${thirdParty.clientId}&post_logout_redirect_uri=${encodeURIComponent(client.postLogoutRedirectUris[0]!)}`,
    ],
    ['a redirect without a client', (client: OAuthClient) => `post_logout_redirect_uri=${encodeURIComponent(client.postLogoutRedirectUris[0]!)}`],
  ])('open redirect refused: %s signs out but stays on our page', async (_, query) => {
    const other = await storedClient(deps, { postLogoutRedirectUris: ['https://other.example/bye'] });
    const browser = new CookieBrowser(apiUrl());
    // Not signed in: nothing to confirm, so the answer is immediate.
    const res = await browser.get(`/oauth/logout?${query(other)}`);
    expect(res.status).toBe(200);
    expect(res.location).toBeUndefined();
    expect(res.text).toContain('You are signed out');
  });
});
