// Issue 16: the example single-page app (examples/spa/, oauth4webapi in the browser) signs in and
// out in Chromium against the test stack, served and registered exactly as `npm start` does it
// (scripts/example-spa/start-example.ts), on a port of its own. Everything the page does crosses
// origins (discovery, token, userinfo): CORS for a registered client's origin is part of what passes.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningExample, startExample } from '../../scripts/example-spa/start-example.ts';
import { newUser, registerUser } from '../e2e/helpers.ts';
import { withPage } from '../support/browser.ts';
import { stackEnv } from '../support/deps.ts';
import { issuerUrl, newClientId, onLoginPage, signInOnHostedPage } from '../support/oidc.ts';

let example: RunningExample;
beforeAll(async () => {
  // A client of its own, so that this file never races another over the demo client's registration.
  example = await startExample({ env: stackEnv(), port: 0, clientId: newClientId() });
});
afterAll(() => example?.close());

/** The page's status line, once it reads `text` (its last value is in the failure otherwise: an error the page caught). */
async function statusReads(page: Page, text: string): Promise<void> {
  await expect.poll(() => page.locator('#status').textContent(), { timeout: 15_000 }).toBe(text);
}

const json = async (page: Page, selector: string): Promise<Record<string, unknown>> => JSON.parse((await page.locator(selector).textContent()) ?? 'null');

describe('the example single-page app', () => {
  it('signs in with code + PKCE, shows the ID token and userinfo, refreshes, and signs out', { timeout: 90_000 }, async () => {
    const { user } = await registerUser(newUser('spa'));
    await withPage(async (page) => {
      await page.goto(example.url, { waitUntil: 'load' });
      await statusReads(page, 'Not signed in.');
      // The page discovered the issuer on its own.
      expect(await json(page, '#issuer')).toMatchObject({ issuer: issuerUrl().origin, authorization_endpoint: `${issuerUrl().origin}/oauth/authorize` });

      await Promise.all([
        page.waitForURL((url) => url.pathname === '/oauth/login', { waitUntil: 'load' }),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      expect(await onLoginPage(page)).toBe(true);
      // A first-party client: no consent page, straight back to the example.
      await signInOnHostedPage(page, user);
      await statusReads(page, 'Signed in.');
      // The single-use code is gone from the address bar and the history.
      expect(page.url()).toBe(example.url);
      await expect.poll(() => page.locator('#userinfo').textContent(), { timeout: 15_000 }).toContain(user.username);

      const claims = await json(page, '#claims');
      expect(claims).toMatchObject({ iss: issuerUrl().origin, aud: example.clientId, preferred_username: user.username, email: user.email });
      expect(await json(page, '#userinfo')).toMatchObject({ sub: claims.sub, preferred_username: user.username, email: user.email });
      expect(await page.getByRole('heading', { level: 2 }).textContent()).toBe(`Signed in as ${user.username}`);

      await page.getByRole('button', { name: 'Refresh tokens' }).click();
      await statusReads(page, 'Tokens refreshed; the refresh token rotated.');
      expect(await page.locator('#refreshes').textContent()).toBe('1');

      // RP-initiated logout with the ID token as hint: the issuer ends its session and sends the browser back.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await statusReads(page, 'Signed out.');
      expect(page.url()).toBe(example.url);

      // The hosted session ended too: signing in again asks for the password.
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/oauth/login', { waitUntil: 'load' }),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      expect(await onLoginPage(page)).toBe(true);
    });
  });
});
