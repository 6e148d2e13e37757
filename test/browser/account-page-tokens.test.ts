// Issue 18's account page in Chromium, the sections that need nothing new: the profile shows who
// the account is; an API token created on the page shows its secret once (it works as a bearer
// token, and the page never shows it again), a refused name says why in the section, and deleting
// the token from the page ends it within a second. The page passes axe-core in each state, and
// creating a token works from the keyboard alone.
import { describe, expect, it } from 'vitest';
import { api, becomes, loggedInUser, newUser, registerUser } from '../e2e/helpers.ts';
import { accountSection, expectAccessible, signInToAccount, tabTo } from '../support/account-page.ts';
import { heading, submit, withPage } from '../support/browser.ts';

const TEST_MS = 120_000;

describe('the account page: profile and API tokens', () => {
  it(
    'shows the profile; creates an API token that works, shows its secret once, deletes it (refused within a second)',
    async () => {
      const { user } = await registerUser(newUser('acctok'));
      await withPage(async (page) => {
        await signInToAccount(page, user);
        const profile = (await accountSection(page, 'Profile').textContent()) ?? '';
        expect(profile).toContain(user.username);
        expect(profile).toContain(user.email);
        expect(profile).toMatch(/Member since\s*\d{4}-\d{2}-\d{2}/);
        expect(await accountSection(page, 'API tokens').textContent()).toContain('None yet.');
        await expectAccessible(page, 'signed in');

        // A refusal is said in the section, 400, the page otherwise intact.
        const tokens = accountSection(page, 'API tokens');
        await tokens.getByLabel('Token name').fill('   ');
        const refused = await submit(page, 'Create the token');
        expect(refused.status()).toBe(400);
        expect(await accountSection(page, 'API tokens').getByRole('alert').textContent()).toContain('Give the token a name.');
        await expectAccessible(page, 'a refused form');

        await accountSection(page, 'API tokens').getByLabel('Token name').fill('CI <deploys>');
        await accountSection(page, 'API tokens').getByLabel('Expires after').selectOption({ label: '7 days' });
        const created = await submit(page, 'Create the token');
        expect(created.status()).toBe(200);
        await heading(page, 'Your new API token');
        await expectAccessible(page, 'a new token');
        const secret = ((await page.locator('#api-token-secret').textContent()) ?? '').trim();
        expect(secret.length).toBeGreaterThan(30);
        const whoami = await api('/whoami', { headers: { authorization: `Bearer ${secret}` } });
        expect(whoami.status).toBe(200);

        await page.getByRole('link', { name: 'Back to your account' }).click();
        await heading(page, 'Your account');
        const listed = (await accountSection(page, 'API tokens').textContent()) ?? '';
        expect(listed).toContain('CI <deploys>');
        expect(listed).toContain('The API token was created.');
        expect(await page.content()).not.toContain(secret);
        const expires = /expires (\d{4}-\d{2}-\d{2})/.exec(listed)?.[1];
        expect(Date.parse(expires!) - Date.now()).toBeGreaterThan(6 * 86_400_000);
        expect(Date.parse(expires!) - Date.now()).toBeLessThan(8 * 86_400_000);

        // A done change: 303 back to the section, which says what was done.
        const deleted = await submit(page, 'Delete CI <deploys>');
        expect(deleted.status()).toBe(303);
        await page.waitForURL(/done=token_deleted/);
        expect(page.url()).toMatch(/\/account\?done=token_deleted#api-tokens$/);
        expect(await accountSection(page, 'API tokens').getByRole('status').textContent()).toContain('deleted');
        expect(await accountSection(page, 'API tokens').textContent()).toContain('None yet.');
        // /whoami sits behind the Lambda authorizer, which denies (403) a token that no longer stands.
        await becomes(403, () => api('/whoami', { headers: { authorization: `Bearer ${secret}` } }));
      });
    },
    TEST_MS,
  );

  it(
    'creates a token with the keyboard alone: Tab reaches the fields and the button, Enter submits',
    async () => {
      const { user } = await registerUser(newUser('acckey'));
      await withPage(async (page) => {
        await signInToAccount(page, user);
        const tokens = accountSection(page, 'API tokens');
        await tabTo(page, tokens.getByLabel('Token name'));
        await page.keyboard.type('From the keyboard');
        await page.keyboard.press('Tab');
        expect(await tokens.getByLabel('Expires after').evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
        await page.keyboard.press('Tab');
        await Promise.all([page.waitForURL(/\/account$/), page.keyboard.press('Enter')]);
        await heading(page, 'Your new API token');
        // The back link, then the delete button, also by keyboard.
        await tabTo(page, page.getByRole('link', { name: 'Back to your account' }));
        await Promise.all([page.waitForURL(/done=token_created/), page.keyboard.press('Enter')]);
        await heading(page, 'Your account');
        await tabTo(page, page.getByRole('button', { name: 'Delete From the keyboard' }));
        await Promise.all([page.waitForURL(/done=token_deleted/), page.keyboard.press('Enter')]);
        expect(await accountSection(page, 'API tokens').textContent()).toContain('None yet.');
      });
    },
    TEST_MS,
  );

  it(
    'reaches every field, button and link of the signed-in page with Tab, in order, and nothing is skipped',
    async () => {
      const session = await loggedInUser('acctab');
      expect((await api('/tokens', { json: { name: 'one' }, headers: { authorization: `Bearer ${session.accessToken}` } })).status).toBe(201);
      await withPage(async (page) => {
        await signInToAccount(page, session.user);
        // Every control a user can operate, numbered in document order.
        const controls = (await page.evaluate(
          `[...document.querySelectorAll('main input:not([type=hidden]):not([disabled]):not([hidden]), main button, main select, main a[href]')].map((element, index) => { element.dataset.control = String(index); return element.outerHTML.slice(0, 80); })`,
        )) as string[];
        // The page's forms: password, email, sessions (2), authenticator app, passkey, token delete + create, deletion, sign out.
        expect(controls.length).toBeGreaterThan(15);
        const reached: number[] = [];
        for (let presses = 0; presses < controls.length + 10; presses++) {
          await page.keyboard.press('Tab');
          const focused = (await page.evaluate('document.activeElement?.dataset?.control ?? null')) as string | null;
          if (focused !== null && !reached.includes(Number(focused))) reached.push(Number(focused));
        }
        expect(reached, `not reached: ${controls.filter((_, index) => !reached.includes(index)).join(' | ')}`).toEqual(controls.map((_, index) => index));
      });
    },
    TEST_MS,
  );
});
