// The email confirmation page in a real browser (Debian's Chromium through playwright-core),
// against the test stack over HTTP: the link from the registration mail opens a page whose button
// confirms the address (opening it alone confirms nothing), and the link is spent afterwards. The
// pages must load without console errors, CSP violations or failed requests.
import { describe, expect, it } from 'vitest';
import { api, apiUrl, newUser, registerUser } from '../e2e/helpers.ts';
import { expectStylesheetApplied, heading, open, submit, withPage } from '../support/browser.ts';
import { newestLink } from '../support/mailbox.ts';

/** Logs in over HTTP and returns GET /me's view of the user. */
async function me(username: string, password: string): Promise<any> {
  const login = await api('/login', { json: { username, password } });
  expect(login.status, login.text).toBe(200);
  const res = await api('/me', { headers: { authorization: `Bearer ${login.body.access_token}` } });
  expect(res.status, res.text).toBe(200);
  return res.body.user;
}

describe('email verification in a browser', () => {
  it('confirms the address with the button on the linked page, once', { timeout: 30_000 }, async () => {
    const { user, created } = await registerUser(newUser('brverify'));
    expect(created.email_verified).toBe(false);
    const link = await newestLink(user.email, { subject: 'Confirm your email address' });
    expect(link.startsWith(`${apiUrl()}/email/verify?token=`)).toBe(true);

    await withPage(async (page) => {
      const confirmPage = await open(page, link);
      expect(confirmPage.status()).toBe(200);
      await heading(page, 'Confirm your email address');
      await expectStylesheetApplied(page);
      const button = page.getByRole('button', { name: 'Confirm my email address' });
      expect(await button.isVisible()).toBe(true);

      // Opening the link (as a mail scanner would) confirms nothing.
      expect((await me(user.username, user.password)).email_verified).toBe(false);

      const confirmed = await submit(page, 'Confirm my email address');
      expect(confirmed.status()).toBe(200);
      await heading(page, 'Email address confirmed');
      expect(await page.getByRole('status').textContent()).toContain(user.email);
      await expectStylesheetApplied(page);

      // The link is spent.
      const spent = await open(page, link);
      expect(spent.status()).toBe(400);
      await heading(page, 'This link cannot be used');
      expect(await page.getByRole('alert').textContent()).toMatch(/expired or has already been used/);
      expect(await page.getByRole('button').count()).toBe(0);
    });

    const view = await me(user.username, user.password);
    expect(view).toMatchObject({ username: user.username, email: user.email, email_verified: true });
  });

  it('says a made-up link cannot be used', { timeout: 30_000 }, async () => {
    await withPage(async (page) => {
      const response = await open(page, `${apiUrl()}/email/verify?token=not-a-real-token`);
      expect(response.status()).toBe(400);
      await heading(page, 'This link cannot be used');
      await expectStylesheetApplied(page);
    });
  });
});
