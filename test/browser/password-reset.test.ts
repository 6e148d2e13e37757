// The forgotten-password pages in a real browser (Debian's Chromium through playwright-core),
// against the test stack over HTTP: ask for a link, follow it from the mail, be refused a common
// password next to the field, set a good one, and find the link spent afterwards. The pages must
// load without console errors, CSP violations or failed requests.
import { describe, expect, it } from 'vitest';
import { api, apiUrl, newUser, registerUser } from '../e2e/helpers.ts';
import { accessibleDescription, expectStylesheetApplied, heading, open, submit, withPage } from '../support/browser.ts';
import { newestLink } from '../support/mailbox.ts';

describe('password reset in a browser', () => {
  it('asks for a link, refuses a common password next to the field, then sets a good one', { timeout: 30_000 }, async () => {
    const { user } = await registerUser(newUser('brreset'));
    const newPassword = `${user.password}-new`;

    await withPage(async (page) => {
      // Ask for a link.
      const forgot = await open(page, `${apiUrl()}/password/forgot`);
      expect(forgot.status()).toBe(200);
      await heading(page, 'Forgot your password?');
      await expectStylesheetApplied(page);
      await page.getByLabel('Email address').fill(user.email);
      const requested = await submit(page, 'Send me a link');
      expect(requested.status()).toBe(202);
      await heading(page, 'Check your mail');
      expect(await page.getByRole('status').textContent()).toContain(user.email);

      // Follow the link from the mail.
      const link = await newestLink(user.email, { subject: 'Reset' });
      expect(link.startsWith(`${apiUrl()}/password/reset?token=`)).toBe(true);
      const resetPage = await open(page, link);
      expect(resetPage.status()).toBe(200);
      await heading(page, 'Choose a new password');
      await expectStylesheetApplied(page);

      // A common password: the form comes back with the error tied to the field.
      const field = page.getByLabel('New password');
      await field.fill('password123');
      const refused = await submit(page, 'Set new password');
      expect(refused.status()).toBe(400);
      await heading(page, 'Choose a new password');
      const again = page.getByLabel('New password');
      expect(await again.getAttribute('aria-invalid')).toBe('true');
      expect(await accessibleDescription(page, again)).toMatch(/too common/);
      expect(await page.locator('#password-error').isVisible()).toBe(true);
      // The password is not echoed back into the page.
      expect(await again.inputValue()).toBe('');
      expect(await page.content()).not.toContain('password123');

      // A good password.
      await again.fill(newPassword);
      const changed = await submit(page, 'Set new password');
      expect(changed.status()).toBe(200);
      await heading(page, 'Password changed');
      await expectStylesheetApplied(page);

      // The link is spent.
      const spent = await open(page, link);
      expect(spent.status()).toBe(400);
      await heading(page, 'This link cannot be used');
      expect(await page.getByRole('alert').textContent()).toMatch(/expired or has already been used/);
      await expectStylesheetApplied(page);
    });

    // Over HTTP: the new password logs in, the old one does not.
    const withNew = await api('/login', { json: { username: user.username, password: newPassword } });
    expect(withNew.status, withNew.text).toBe(200);
    const withOld = await api('/login', { json: { username: user.username, password: user.password } });
    expect(withOld.status, withOld.text).toBe(401);
  });

  it('shows the field error for an empty address on the forgot page', { timeout: 30_000 }, async () => {
    await withPage(async (page) => {
      await open(page, `${apiUrl()}/password/forgot`);
      const refused = await submit(page, 'Send me a link');
      expect(refused.status()).toBe(400);
      await heading(page, 'Forgot your password?');
      const field = page.getByLabel('Email address');
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(await accessibleDescription(page, field)).toMatch(/must not be empty/);
    });
  });

  it('says a made-up link cannot be used', { timeout: 30_000 }, async () => {
    await withPage(async (page) => {
      const response = await open(page, `${apiUrl()}/password/reset?token=not-a-real-token`);
      expect(response.status()).toBe(400);
      await heading(page, 'This link cannot be used');
      expect(await page.getByRole('link', { name: 'Ask for a new link' }).getAttribute('href')).toBe('/password/forgot');
    });
  });
});
