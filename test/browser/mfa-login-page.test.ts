// Issue 17 on the hosted login page, with openid-client as the relying party: after the password an
// account with a second factor is asked for it (a code from the app, a recovery code, a passkey
// through the DevTools virtual authenticator), and the ID token says how the user signed in (amr,
// acr aal2). acr_values=aal2 asks a browser session signed in with the password alone for the
// second factor; discovery advertises acr_values_supported.
import type * as oidc from 'openid-client';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type NewUser, newUser, registerUser } from '../e2e/helpers.ts';
import { open, submit, withPage } from '../support/browser.ts';
import { jwtClaims, totpCode, userWithTotp, virtualAuthenticator } from '../support/mfa-pages.ts';
import {
  authorizationRequest,
  type CallbackServer,
  callbackUrl,
  createPublicClient,
  issuerUrl,
  onLoginPage,
  publicClientConfig,
  redeem,
  signInOnHostedPage,
  startCallbackServer,
} from '../support/oidc.ts';

const TEST_MS = 120_000;

let callback: CallbackServer;
beforeAll(async () => {
  callback = await startCallbackServer();
});
afterAll(() => callback?.close());

async function relyingParty(): Promise<oidc.Configuration> {
  const client = await createPublicClient(callback);
  return publicClientConfig(client.clientId);
}

/** Types the password on the hosted login page the browser is on; the second step's page follows at the same address. */
async function typePassword(page: Page, user: NewUser) {
  await page.getByLabel('Username or email').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await submit(page, 'Sign in');
  await page.getByRole('heading', { level: 1, name: 'Two-step verification' }).waitFor();
}

/** Starts an authorization request in the browser and types the password on the hosted login page. */
async function passwordStep(page: Page, rp: oidc.Configuration, user: NewUser, extra: Record<string, string> = {}) {
  const request = await authorizationRequest(rp, callback.redirectUri, extra);
  await open(page, request.url.href);
  expect(await onLoginPage(page), `expected the hosted login page, got ${page.url()}`).toBe(true);
  await typePassword(page, user);
  return request;
}

const idClaims = (tokens: Awaited<ReturnType<typeof redeem>>) => tokens.claims()!;

describe('the hosted login page’s second step', () => {
  it(
    'asks for the app’s code after the password (autocomplete one-time-code), refuses a wrong one with the attempts left, and the ID token says pwd+otp+mfa, aal2',
    async () => {
      const { user, secret } = await userWithTotp('pagetotp');
      const rp = await relyingParty();
      await withPage(async (page) => {
        const request = await passwordStep(page, rp, user);
        expect(new URL(page.url()).pathname).toBe('/oauth/login');
        await page.getByRole('heading', { level: 1, name: 'Two-step verification' }).waitFor();
        const field = page.getByLabel('Code from your authenticator app');
        expect(await field.getAttribute('autocomplete')).toBe('one-time-code');
        expect(await field.getAttribute('inputmode')).toBe('numeric');
        // A wrong code: the same step again, saying how many tries are left.
        const wrong = String((Number(totpCode(secret, 1)) + 1) % 1_000_000).padStart(6, '0');
        await field.fill(wrong);
        const refused = await submit(page, 'Verify');
        expect(refused.status()).toBe(400);
        expect(await page.getByRole('alert').first().textContent()).toContain('4 attempts left');
        expect(await page.getByLabel('Code from your authenticator app').getAttribute('aria-invalid')).toBe('true');
        // The next step's code (the enrolment used this step's: a replay would be refused).
        await page.getByLabel('Code from your authenticator app').fill(totpCode(secret, 1));
        await Promise.all([page.waitForURL((url) => url.href.startsWith(callback.redirectUri)), page.getByRole('button', { name: 'Verify' }).click()]);
        const tokens = await redeem(rp, await callbackUrl(page, callback.redirectUri), request);
        const claims = idClaims(tokens);
        expect(claims.amr).toEqual(expect.arrayContaining(['pwd', 'otp', 'mfa']));
        expect(claims.acr).toBe('aal2');
        expect(jwtClaims(tokens.access_token)).toMatchObject({ acr: 'aal2', amr: expect.arrayContaining(['otp', 'mfa']) });
      });
    },
    TEST_MS,
  );

  it(
    'signs in with a recovery code through the “Use a recovery code” link, and the same code does not work twice',
    async () => {
      const { user, recoveryCodes } = await userWithTotp('pagerecovery');
      const rp = await relyingParty();
      await withPage(async (page) => {
        const request = await passwordStep(page, rp, user);
        await page.getByRole('link', { name: 'Use a recovery code' }).click();
        await page.getByLabel('Recovery code', { exact: true }).fill(recoveryCodes[0]!);
        await Promise.all([
          page.waitForURL((url) => url.href.startsWith(callback.redirectUri)),
          page.getByRole('button', { name: 'Use this recovery code' }).click(),
        ]);
        const claims = idClaims(await redeem(rp, await callbackUrl(page, callback.redirectUri), request));
        expect(claims.amr).toEqual(expect.arrayContaining(['pwd', 'otp', 'mfa']));
        expect(claims.acr).toBe('aal2');
      });
      await withPage(async (page) => {
        await passwordStep(page, rp, user);
        await page.getByLabel('Recovery code', { exact: true }).fill(recoveryCodes[0]!);
        const refused = await submit(page, 'Use this recovery code');
        expect(refused.status()).toBe(400);
        expect(new URL(page.url()).pathname).toBe('/oauth/login/mfa');
        expect(await page.getByRole('alert').first().textContent()).toContain('attempts left');
      });
    },
    TEST_MS,
  );

  it(
    'a passkey added on the account page signs in as the second factor (amr hwk+mfa, aal2) and alone from the login page (amr user+mfa, no pwd)',
    async () => {
      const { user } = await registerUser(newUser('pagepasskey'));
      const rp = await relyingParty();
      await withPage(async (page) => {
        await virtualAuthenticator(page);
        // The account page: sign in with the password, add a passkey (the first factor: recovery codes follow).
        await open(page, new URL('/account', issuerUrl()).href);
        await page.getByLabel('Username or email').fill(user.username);
        await page.getByLabel('Password').fill(user.password);
        await submit(page, 'Sign in');
        await submit(page, 'Add a passkey');
        await page.getByLabel('Name').fill('Virtual key');
        await page.getByRole('button', { name: 'Create the passkey' }).click();
        await page.getByRole('heading', { level: 1, name: 'Save your recovery codes' }).waitFor();
        expect(await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').count()).toBe(10);
        // Signed out, then the OAuth login: password, then the passkey.
        await page.context().clearCookies();
        const request = await passwordStep(page, rp, user);
        await Promise.all([page.waitForURL((url) => url.href.startsWith(callback.redirectUri)), page.getByRole('button', { name: 'Use a passkey' }).click()]);
        const claims = idClaims(await redeem(rp, await callbackUrl(page, callback.redirectUri), request));
        expect(claims.amr).toEqual(expect.arrayContaining(['pwd', 'mfa']));
        expect(claims.amr).toEqual(expect.arrayContaining([expect.stringMatching(/^(hwk|swk)$/)]));
        expect(claims.acr).toBe('aal2');

        // Passwordless: the login page's "Use a passkey instead" (a discoverable credential, user verification).
        await page.context().clearCookies();
        const alone = await authorizationRequest(rp, callback.redirectUri);
        await open(page, alone.url.href);
        await Promise.all([
          page.waitForURL((url) => url.href.startsWith(callback.redirectUri)),
          page.getByRole('button', { name: 'Use a passkey instead' }).click(),
        ]);
        const passwordless = idClaims(await redeem(rp, await callbackUrl(page, callback.redirectUri), alone));
        expect(passwordless.sub).toBe(claims.sub);
        expect(passwordless.amr).toEqual(expect.arrayContaining(['user', 'mfa']));
        expect(passwordless.amr).not.toContain('pwd');
        expect(passwordless.acr).toBe('aal2');
      });
    },
    TEST_MS,
  );

  it(
    'acr_values=aal2: a session signed in with the password alone (before the factor was added) is asked for the second factor; without it, single sign-on says aal1',
    async () => {
      const { user } = await registerUser(newUser('pageaal2'));
      const rp = await relyingParty();
      await withPage(async (page) => {
        // Signed in with the password (no factor yet): aal1.
        const first = await authorizationRequest(rp, callback.redirectUri);
        await open(page, first.url.href);
        await signInOnHostedPage(page, user);
        const one = idClaims(await redeem(rp, await callbackUrl(page, callback.redirectUri), first));
        expect(one.acr).toBe('aal1');
        // The factor comes afterwards (the JSON API), the browser session stays as it was.
        const login = await api('/login', { json: { username: user.username, password: user.password } });
        const headers = { authorization: `Bearer ${login.body.access_token}` };
        const started = await api('/mfa/totp', { method: 'POST', headers });
        expect(started.status, started.text).toBe(201);
        expect((await api('/mfa/totp/confirm', { json: { code: totpCode(started.body.secret) }, headers })).status).toBe(200);
        // acr_values=aal2: the login page, then the code.
        const strong = await authorizationRequest(rp, callback.redirectUri, { acr_values: 'aal2' });
        await open(page, strong.url.href);
        expect(await onLoginPage(page), `expected the login page for aal2, got ${page.url()}`).toBe(true);
        await typePassword(page, user);
        await page.getByLabel('Code from your authenticator app').fill(totpCode(started.body.secret, 1));
        await Promise.all([page.waitForURL((url) => url.href.startsWith(callback.redirectUri)), page.getByRole('button', { name: 'Verify' }).click()]);
        const two = idClaims(await redeem(rp, await callbackUrl(page, callback.redirectUri), strong));
        expect(two.acr).toBe('aal2');
        // Now the session is aal2: another aal2 request goes straight back (single sign-on).
        const again = await authorizationRequest(rp, callback.redirectUri, { acr_values: 'aal2' });
        await open(page, again.url.href);
        const three = idClaims(await redeem(rp, await callbackUrl(page, callback.redirectUri), again));
        expect(three.acr).toBe('aal2');
        expect(three.auth_time).toBe(two.auth_time);
      });
    },
    TEST_MS,
  );

  it('discovery lists acr_values_supported aal1 and aal2', async () => {
    const rp = await relyingParty();
    expect(rp.serverMetadata().acr_values_supported).toEqual(['aal1', 'aal2']);
  });
});
