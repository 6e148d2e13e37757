// The two pages of an email change in a real browser (Debian's Chromium through playwright-core),
// against the test stack over HTTP: the link mailed to the new address opens a page whose button
// makes the change (opening it alone changes nothing); the link mailed to the old address opens a
// page whose button undoes it, signs every session out and points at a password reset; spent links
// say so. The pages must load without console errors, CSP violations or failed requests.
import { describe, expect, it } from 'vitest';
import { api, apiUrl, becomes, loggedInUser } from '../e2e/helpers.ts';
import { expectStylesheetApplied, heading, open, submit, withPage } from '../support/browser.ts';
import { newestMail } from '../support/mailbox.ts';

const meEmail = async (token: string) => (await api('/me', { headers: { authorization: `Bearer ${token}` } })).body?.user?.email;
const linkTo = (text: string, path: string) => text.match(new RegExp(`https?://\\S+${path}\\?token=\\S+`))![0];

describe('email change in a browser', () => {
  it('makes the change with the button on the new address’s link, and undoes it with the old address’s', { timeout: 45_000 }, async () => {
    const session = await loggedInUser('brchange');
    const newEmail = `brchange.${Date.now().toString(36)}@example.org`;
    const since = Math.floor(Date.now() / 1000);
    const requested = await api('/me/email', {
      headers: { authorization: `Bearer ${session.accessToken}` },
      json: { new_email: newEmail, password: session.user.password },
    });
    expect(requested.status, requested.text).toBe(202);
    const changeLink = linkTo((await newestMail(newEmail, { since, subject: 'Confirm your new email address' })).body.text!, '/email/change');
    expect(changeLink.startsWith(`${apiUrl()}/email/change?token=`)).toBe(true);

    await withPage(async (page) => {
      expect((await open(page, changeLink)).status()).toBe(200);
      await heading(page, 'Confirm your new email address');
      await expectStylesheetApplied(page);
      // Opening the link (as a mail scanner would) changes nothing.
      expect(await meEmail(session.accessToken)).toBe(session.user.email);

      const changed = await submit(page, 'Confirm my new address');
      expect(changed.status()).toBe(200);
      await heading(page, 'Email address changed');
      expect(await page.getByRole('status').textContent()).toContain(newEmail);

      const spent = await open(page, changeLink);
      expect(spent.status()).toBe(400);
      await heading(page, 'This link cannot be used');
      expect(await page.getByRole('button').count()).toBe(0);
    });

    const revertLink = linkTo((await newestMail(session.user.email, { since, subject: 'email address of your' })).body.text!, '/email/revert');
    await withPage(async (page) => {
      expect((await open(page, revertLink)).status()).toBe(200);
      await heading(page, 'Undo the email change');
      await expectStylesheetApplied(page);
      const reverted = await submit(page, 'Undo the change and sign everyone out');
      expect(reverted.status()).toBe(200);
      await heading(page, 'Email change undone');
      expect(await page.getByRole('status').textContent()).toContain(session.user.email);
      expect(await page.getByRole('link', { name: 'choose a new password' }).getAttribute('href')).toBe('/password/forgot');

      const spent = await open(page, revertLink);
      expect(spent.status()).toBe(400);
      await heading(page, 'This link cannot be used');
    });
    // Every session is over, the caller's included, within the token checker's second.
    await becomes(401, () => api('/me', { headers: { authorization: `Bearer ${session.accessToken}` } }));
  });

  it('says a made-up link cannot be used', { timeout: 30_000 }, async () => {
    await withPage(async (page) => {
      for (const path of ['/email/change', '/email/revert']) {
        const response = await open(page, `${apiUrl()}${path}?token=not-a-real-token`);
        expect(response.status()).toBe(400);
        await heading(page, 'This link cannot be used');
        expect(await page.getByRole('button').count()).toBe(0);
      }
    });
  });
});
