// Issue 17's hosted account page (/account), in Chromium: a browser without a session gets a
// sign-in form; signed in, the user sets up an authenticator app from the page (the QR code and the
// key as text; the code computed here from that key), sees the recovery codes once, and finds the
// factor listed. Removing it needs a step-up: the session's sign-in had no second factor, so the
// page asks for the password and the code again, then removes it. New recovery codes void the old.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type NewUser, newUser, registerUser } from '../e2e/helpers.ts';
import { expectStylesheetApplied, heading, open, submit, withPage } from '../support/browser.ts';
import { totpCode, userWithTotp } from '../support/mfa-pages.ts';
import { issuerUrl } from '../support/oidc.ts';

const TEST_MS = 120_000;
const accountUrl = () => new URL('/account', issuerUrl()).href;

async function signIn(page: Page, user: NewUser, button: 'Sign in' | 'Confirm' = 'Sign in') {
  await page.getByLabel('Username or email').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  return submit(page, button);
}

const section = (page: Page) => page.getByRole('region', { name: 'Two-step verification' });

describe('the hosted account page', () => {
  it(
    'signs in, sets up an authenticator app from the QR page’s key, shows the recovery codes once, lists the app; removing it asks for the password and code again',
    async () => {
      const { user } = await registerUser(newUser('acct'));
      await withPage(async (page) => {
        const first = await open(page, accountUrl());
        expect(first.status()).toBe(200);
        await heading(page, 'Sign in to your account');
        await expectStylesheetApplied(page);
        await signIn(page, user);
        await heading(page, 'Your account');
        expect(await section(page).textContent()).toContain('Not set up');

        // Set up: a QR code (an SVG) and the key as text; the code is computed from that key.
        await submit(page, 'Set up an authenticator app');
        await heading(page, 'Set up an authenticator app');
        expect(await page.locator('figure.qr svg').count()).toBe(1);
        const key = (await page.locator('#totp-secret').textContent())!.replace(/\s+/g, '');
        expect(key).toMatch(/^[A-Z2-7]{32}$/);
        const code = page.getByLabel('Code from the app');
        expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
        await code.fill(totpCode(key));
        await submit(page, 'Turn on');
        await heading(page, 'Save your recovery codes');
        const codes = await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents();
        expect(codes).toHaveLength(10);
        await page.getByRole('link', { name: 'Back to your account' }).click();
        await heading(page, 'Your account');
        const listed = (await section(page).textContent()) ?? '';
        expect(listed).toContain('Remove the authenticator app');
        expect(listed).toContain('10 of 10 left');
        // Never a secret or a code on the page.
        expect(await page.content()).not.toContain(key);
        for (const recoveryCode of codes) expect(await page.content()).not.toContain(recoveryCode);

        // Removing it: the session's sign-in had no second factor, so step-up asks for both.
        const stepUp = await submit(page, 'Remove the authenticator app');
        expect(stepUp.status()).toBe(401);
        await heading(page, 'Confirm it’s you');
        expect(await page.getByLabel('Username or email').inputValue()).toBe(user.username);
        await signIn(page, user, 'Confirm');
        await heading(page, 'Two-step verification');
        await page.getByLabel('Code from your authenticator app').fill(totpCode(key, 1));
        await submit(page, 'Verify');
        await heading(page, 'Your account');
        await submit(page, 'Remove the authenticator app');
        await heading(page, 'Your account');
        expect(await page.getByRole('status').first().textContent()).toContain('removed');
        expect(await section(page).textContent()).toContain('Not set up');
      });
    },
    TEST_MS,
  );

  it(
    'new recovery codes (after signing in with the second factor) replace the old ones: an old one no longer signs in',
    async () => {
      const { user, secret, recoveryCodes } = await userWithTotp('acctcodes');
      await withPage(async (page) => {
        await open(page, accountUrl());
        await signIn(page, user);
        await heading(page, 'Two-step verification');
        await page.getByLabel('Code from your authenticator app').fill(totpCode(secret, 1));
        await submit(page, 'Verify');
        await heading(page, 'Your account');
        await submit(page, 'Get new recovery codes');
        await heading(page, 'Save your recovery codes');
        const fresh = await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents();
        expect(fresh).toHaveLength(10);
        expect(fresh).not.toContain(recoveryCodes[0]);
      });
      await withPage(async (page) => {
        await open(page, accountUrl());
        await signIn(page, user);
        await page.getByLabel('Recovery code', { exact: true }).fill(recoveryCodes[0]!);
        const refused = await submit(page, 'Use this recovery code');
        expect(refused.status()).toBe(400);
        await heading(page, 'Two-step verification');
      });
    },
    TEST_MS,
  );

  it('refuses a form that did not come from the page (no CSRF token) without a server error', async () => {
    const res = await fetch(accountUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=sign_out&csrf_token=x',
      redirect: 'manual',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});
