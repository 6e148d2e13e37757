// Issue 16, end to end: the hosted login's browser session as openid-client relying parties see it.
// Single sign-on (a second client signs in without the password), prompt=login (asks again),
// prompt=none (login_required without a session, silent with one) and RP-initiated logout (ends
// the browser session and the tokens of the sessions it started). Clients are first-party public
// clients registered in the store; each test has its own browser, so its own cookie jar.
import * as oidc from 'openid-client';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NewUser, newUser, registerUser } from '../e2e/helpers.ts';
import { withPage } from '../support/browser.ts';
import {
  authorizationRequest,
  type CallbackServer,
  callbackUrl,
  createPublicClient,
  eventually,
  issuerUrl,
  oauthErrorOf,
  onLoginPage,
  publicClientConfig,
  redeem,
  signInOnHostedPage,
  startCallbackServer,
} from '../support/oidc.ts';

const TEST_MS = 90_000;

let callback: CallbackServer;
beforeAll(async () => {
  callback = await startCallbackServer();
});
afterAll(() => callback?.close());

/** A fresh user and a fresh first-party public client with its openid-client configuration. */
async function relyingParty(): Promise<oidc.Configuration> {
  const client = await createPublicClient(callback);
  return publicClientConfig(client.clientId);
}

/** Signs `user` in for `rp` through the hosted login page, and redeems the code. */
async function signIn(page: Page, rp: oidc.Configuration, user: NewUser, extra: Record<string, string> = {}) {
  const request = await authorizationRequest(rp, callback.redirectUri, extra);
  await page.goto(request.url.href, { waitUntil: 'load' });
  expect(await onLoginPage(page), `expected the hosted login page, got ${page.url()}`).toBe(true);
  await signInOnHostedPage(page, user);
  return redeem(rp, await callbackUrl(page, callback.redirectUri), request);
}

describe('the hosted login’s browser session', () => {
  it(
    'single sign-on: a second client signs in without the password, as the same user in the same browser session',
    async () => {
      const { user } = await registerUser(newUser('sso'));
      const [first, second] = await Promise.all([relyingParty(), relyingParty()]);
      await withPage(async (page, watch) => {
        const one = await signIn(page, first, user);
        const request = await authorizationRequest(second, callback.redirectUri);
        const before = watch.navigations.length;
        await page.goto(request.url.href, { waitUntil: 'load' });
        const back = await callbackUrl(page, callback.redirectUri);
        // Straight back with a code: no login page on the way.
        const visited = watch.navigations.slice(before).map((response) => new URL(response.url()).pathname);
        expect(visited).not.toContain('/oauth/login');
        const two = await redeem(second, back, request);
        const [a, b] = [one.claims()!, two.claims()!];
        expect(b.sub).toBe(a.sub);
        expect(b.aud).toBe(second.clientMetadata().client_id);
        // The same sign-in: its time and the browser session it belongs to.
        expect(b.auth_time).toBe(a.auth_time);
        expect(b.sid).toBe(a.sid);
        // Two clients, two sessions of their own: separate refresh tokens.
        expect(two.refresh_token).not.toBe(one.refresh_token);
      });
    },
    TEST_MS,
  );

  it(
    'prompt=login asks for the password again despite the session, and the new ID token says so',
    async () => {
      const { user } = await registerUser(newUser('relogin'));
      const rp = await relyingParty();
      await withPage(async (page) => {
        const one = await signIn(page, rp, user);
        // signIn() asserts the login page is shown, session or not.
        const two = await signIn(page, rp, user, { prompt: 'login' });
        expect(two.claims()!.sub).toBe(one.claims()!.sub);
        expect(two.claims()!.auth_time).toBeGreaterThanOrEqual(one.claims()!.auth_time!);
        expect(two.claims()!.amr).toContain('pwd');
      });
    },
    TEST_MS,
  );

  it(
    'prompt=none without a session: back to the client with login_required (and iss, state), never a login page',
    async () => {
      const rp = await relyingParty();
      const request = await authorizationRequest(rp, callback.redirectUri, { prompt: 'none' });
      await withPage(async (page, watch) => {
        await page.goto(request.url.href, { waitUntil: 'load' });
        const back = await callbackUrl(page, callback.redirectUri);
        expect(watch.navigations.map((response) => new URL(response.url()).pathname)).not.toContain('/oauth/login');
        expect(back.searchParams.get('error')).toBe('login_required');
        expect(back.searchParams.get('state')).toBe(request.state);
        expect(back.searchParams.get('iss')).toBe(issuerUrl().origin);
        expect(back.searchParams.has('code')).toBe(false);
        // The library reads it as the authorization server's error, after checking state and iss.
        expect(await oauthErrorOf(redeem(rp, back, request))).toBe('login_required');
      });
    },
    TEST_MS,
  );

  it(
    'prompt=none with a session: a code at once, no page shown',
    async () => {
      const { user } = await registerUser(newUser('silent'));
      const rp = await relyingParty();
      await withPage(async (page) => {
        const one = await signIn(page, rp, user);
        const request = await authorizationRequest(rp, callback.redirectUri, { prompt: 'none' });
        await page.goto(request.url.href, { waitUntil: 'load' });
        const two = await redeem(rp, await callbackUrl(page, callback.redirectUri), request);
        expect(two.claims()!.sub).toBe(one.claims()!.sub);
      });
    },
    TEST_MS,
  );

  it(
    'RP-initiated logout with id_token_hint: back to the registered URI with state; the session and its tokens end',
    async () => {
      const { user } = await registerUser(newUser('rplogout'));
      const [rp, other] = await Promise.all([relyingParty(), relyingParty()]);
      await withPage(async (page) => {
        const tokens = await signIn(page, rp, user);
        const sub = tokens.claims()!.sub;
        const state = oidc.randomState();
        const logout = oidc.buildEndSessionUrl(rp, {
          id_token_hint: tokens.id_token!,
          post_logout_redirect_uri: callback.postLogoutRedirectUri,
          state,
        });
        await page.goto(logout.href, { waitUntil: 'load' });
        await page.waitForURL((url) => url.href.startsWith(callback.postLogoutRedirectUri), { waitUntil: 'load' });
        const back = new URL(page.url());
        expect(back.searchParams.get('state')).toBe(state);

        // The session's tokens: the refresh token at once, the access token within a second.
        expect(await oauthErrorOf(oidc.refreshTokenGrant(rp, tokens.refresh_token!))).toBe('invalid_grant');
        await eventually(
          'the access token is refused at userinfo',
          async () => (await oauthErrorOf(oidc.fetchUserInfo(rp, tokens.access_token, sub))) === 'invalid_token',
        );

        // The browser session: another client now gets the login page, and prompt=none login_required.
        const silent = await authorizationRequest(other, callback.redirectUri, { prompt: 'none' });
        await page.goto(silent.url.href, { waitUntil: 'load' });
        expect((await callbackUrl(page, callback.redirectUri)).searchParams.get('error')).toBe('login_required');
        const fresh = await authorizationRequest(other, callback.redirectUri);
        await page.goto(fresh.url.href, { waitUntil: 'load' });
        expect(await onLoginPage(page), `expected the hosted login page, got ${page.url()}`).toBe(true);
      });
    },
    TEST_MS,
  );
});
