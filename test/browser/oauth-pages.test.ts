// The hosted OAuth pages in Debian's Chromium with JavaScript switched off (the pages must work
// without it): a relying party on another origin (a small server on 127.0.0.1, a loopback
// redirect URI) sends the browser to /oauth/authorize; the user signs in through the labelled
// fields password managers fill, allows the third-party app, comes back with a code, iss and
// state (so CSP form-action lets the form's redirect through), signs in again silently
// (prompt=none), confirms the sign-out, and is sent to the registered post-logout URI.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OAuthClient } from '../../lib/domain/oauth-client.ts';
import { apiUrl, newUser, registerUser } from '../e2e/helpers.ts';
import { expectStylesheetApplied, heading, launchChromium, PageWatch, submit } from '../support/browser.ts';
import { testDependencies } from '../support/deps.ts';
import { pkce, storedClient } from '../support/oauth.ts';

const deps = testDependencies();
let app: Server;
let appOrigin: string;
let client: OAuthClient;

beforeAll(async () => {
  // The relying party: answers every path with a tiny page.
  app = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title><h1>App</h1>'));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  client = await storedClient(deps, {
    name: 'Browser Test App',
    firstParty: false,
    redirectUris: [`${appOrigin}/callback`],
    postLogoutRedirectUris: [`${appOrigin}/bye`],
  });
});

afterAll(async () => {
  await new Promise((resolve) => app.close(resolve));
});

const authorizeUrl = (extra: Record<string, string> = {}) =>
  `${apiUrl()}/oauth/authorize?${new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: `${appOrigin}/callback`,
    response_type: 'code',
    scope: 'openid email',
    state: 'browser-state',
    code_challenge: pkce().challenge,
    code_challenge_method: 'S256',
    ...extra,
  })}`;

describe('hosted OAuth pages in Chromium, without JavaScript', () => {
  it('signs in, consents, comes back with a code, signs in silently, and signs out', { timeout: 60_000 }, async () => {
    const { user } = await registerUser(newUser('oauthbr'));
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const watch = new PageWatch(page);

      await page.goto(authorizeUrl(), { waitUntil: 'load' });
      await heading(page, 'Sign in');
      await expectStylesheetApplied(page);
      const username = page.getByLabel('Username or email');
      const password = page.getByLabel('Password');
      expect(await username.getAttribute('autocomplete')).toBe('username');
      expect(await password.getAttribute('autocomplete')).toBe('current-password');
      expect(await password.getAttribute('type')).toBe('password');

      // A wrong password: the page again, with /login's words.
      await username.fill(user.username);
      await password.fill('not-the-password');
      const refused = await submit(page, 'Sign in');
      expect(refused.status()).toBe(401);
      expect(await page.getByRole('alert').textContent()).toContain('Invalid username/email or password.');

      await page.getByLabel('Password').fill(user.password);
      const signedIn = await submit(page, 'Sign in');
      expect(signedIn.status()).toBe(303);
      await heading(page, 'Allow access?');
      expect(await page.getByText('See your email address').isVisible()).toBe(true);

      await submit(page, 'Allow');
      const back = new URL(page.url());
      expect(`${back.origin}${back.pathname}`).toBe(`${appOrigin}/callback`);
      expect(back.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(back.searchParams.get('state')).toBe('browser-state');
      expect(back.searchParams.get('iss')).toBe(deps.config.issuer);

      // Single sign-on: no page at all now.
      await page.goto(authorizeUrl({ prompt: 'none' }), { waitUntil: 'load' });
      expect(new URL(page.url()).searchParams.get('code')).toBeTruthy();

      // Sign out: asked first (no id_token_hint), then sent to the registered URI with state.
      await page.goto(
        `${apiUrl()}/oauth/logout?${new URLSearchParams({ client_id: client.clientId, post_logout_redirect_uri: `${appOrigin}/bye`, state: 'bye-state' })}`,
      );
      await heading(page, 'Sign out?');
      await submit(page, 'Sign out');
      expect(page.url()).toBe(`${appOrigin}/bye?state=bye-state`);

      await page.goto(authorizeUrl({ prompt: 'none' }), { waitUntil: 'load' });
      expect(new URL(page.url()).searchParams.get('error')).toBe('login_required');
      watch.expectClean();
    } finally {
      await browser.close();
    }
  });
});
