// Issue 18's account page in Chromium: the sensitive changes (password, email, deletion) ask for
// step-up as factor changes do. A session signed in with the password alone, on an account that
// then gets an authenticator app, must confirm with the password and a code before the password
// changes; the sign-in, step-up and second-step pages pass axe-core too.
import { describe, expect, it } from 'vitest';
import { newUser, registerUser } from '../e2e/helpers.ts';
import { accountSection, accountUrl, expectAccessible } from '../support/account-page.ts';
import { heading, open, submit, withPage } from '../support/browser.ts';
import { totpCode } from '../support/mfa-pages.ts';

const TEST_MS = 120_000;

describe('the account page: step-up before sensitive changes', () => {
  it(
    'a password-only session of an account with a factor confirms with the password and a code, then changes the password',
    async () => {
      const { user } = await registerUser(newUser('accstep'));
      await withPage(async (page) => {
        await open(page, accountUrl());
        await heading(page, 'Sign in to your account');
        await expectAccessible(page, 'the sign-in form');
        await page.getByLabel('Username or email').fill(user.username);
        await page.getByLabel('Password').fill(user.password);
        await submit(page, 'Sign in');
        await heading(page, 'Your account');

        // An authenticator app, added by this password-only session.
        await submit(page, 'Set up an authenticator app');
        const key = (await page.locator('#totp-secret').textContent())!.replace(/\s+/g, '');
        await page.getByLabel('Code from the app').fill(totpCode(key));
        await submit(page, 'Turn on');
        await heading(page, 'Save your recovery codes');
        await page.getByRole('link', { name: 'Back to your account' }).click();
        await heading(page, 'Your account');
        expect(await accountSection(page, 'Two-step verification').getByRole('status').textContent()).toContain('set up');

        // The password change now needs the second factor: step-up first, nothing changed.
        const fresh = `${user.password}-stepped-up`;
        const section = () => accountSection(page, 'Password');
        await section().getByLabel('Current password').fill(user.password);
        await section().getByLabel('New password').fill(fresh);
        const stepUp = await submit(page, 'Change the password');
        expect(stepUp.status()).toBe(401);
        await heading(page, 'Confirm it’s you');
        await expectAccessible(page, 'step-up');
        await page.getByLabel('Password').fill(user.password);
        await submit(page, 'Confirm');
        await heading(page, 'Two-step verification');
        await expectAccessible(page, 'the second step');
        await page.getByLabel('Code from your authenticator app').fill(totpCode(key, 1));
        await submit(page, 'Verify');
        await heading(page, 'Your account');

        await section().getByLabel('Current password').fill(user.password);
        await section().getByLabel('New password').fill(fresh);
        const changed = await submit(page, 'Change the password');
        expect(changed.status()).toBe(303);
        await page.waitForURL(/done=password_changed_all/);
        expect(await section().getByRole('status').textContent()).toContain('Your password was changed');
      });
    },
    TEST_MS,
  );
});
