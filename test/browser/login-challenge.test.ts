// Issue 15, finding 11, in Debian's Chromium: a browser app on our origin that calls POST /login with
// fetch() and a wrong password gets a plain 401, and the browser never asks for credentials itself.
// The DevTools Fetch domain reports every credentials request Chromium would turn into its login
// dialog (Fetch.authRequired); a control request that does use Basic proves the detector sees one.
import type { CDPSession, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiUrl, newUser, registerUser } from '../e2e/helpers.ts';
import { launchChromium } from '../support/browser.ts';

/** Records the authentication prompts Chromium would show, and cancels each (as a user pressing Cancel). */
async function watchPrompts(page: Page): Promise<{ prompts: string[]; cdp: CDPSession }> {
  const prompts: string[] = [];
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Fetch.requestPaused', (event) => void cdp.send('Fetch.continueRequest', { requestId: event.requestId }).catch(() => {}));
  cdp.on('Fetch.authRequired', (event) => {
    prompts.push(`${event.authChallenge.scheme} ${event.request.url}`);
    void cdp.send('Fetch.continueWithAuth', { requestId: event.requestId, authChallengeResponse: { response: 'CancelAuth' } }).catch(() => {});
  });
  await cdp.send('Fetch.enable', { handleAuthRequests: true, patterns: [{ urlPattern: '*', requestStage: 'Request' }] });
  return { prompts, cdp };
}

/** fetch() from the page, as a browser app would: the status and WWW-Authenticate it sees. */
function fetchFromPage(page: Page, path: string, init: { body?: string; authorization?: string }) {
  return page.evaluate(
    async ({ path, init }) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (init.authorization) headers.authorization = init.authorization;
      const response = await fetch(path, { method: 'POST', headers, ...(init.body ? { body: init.body } : {}) });
      return { status: response.status, challenge: response.headers.get('www-authenticate') };
    },
    { path, init },
  );
}

describe('a JSON login from a browser app', () => {
  it('answers a wrong password with 401 and no credentials dialog; only a Basic login is challenged', { timeout: 30_000 }, async () => {
    const { user } = await registerUser(newUser('brchal'));
    const browser = await launchChromium();
    try {
      const page = await (await browser.newContext()).newPage();
      // A page of the service whose CSP allows fetch() to its own origin (connect-src 'self').
      expect((await page.goto(`${apiUrl()}/docs`, { waitUntil: 'load' }))?.status()).toBe(200);
      const { prompts } = await watchPrompts(page);

      const json = await fetchFromPage(page, '/login', { body: JSON.stringify({ email: user.email, password: `${user.password}-wrong` }) });
      expect(json).toEqual({ status: 401, challenge: null });
      expect(prompts).toEqual([]);

      // The control: the same browser, a Basic login with a wrong password. The challenge is sent
      // and Chromium asks for credentials, so the detector above would have seen the old header.
      const basic = `Basic ${Buffer.from(`${user.email}:${user.password}-wrong`).toString('base64')}`;
      const challenged = await fetchFromPage(page, '/login', { authorization: basic });
      expect(challenged).toEqual({ status: 401, challenge: 'Basic realm="auth", charset="UTF-8"' });
      expect(prompts).toEqual([`basic ${apiUrl()}/login`]);
    } finally {
      await browser.close();
    }
  });
});
