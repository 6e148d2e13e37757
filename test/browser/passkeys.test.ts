// Passkeys end to end in Debian's Chromium, with the DevTools protocol's virtual authenticator
// (WebAuthn.addVirtualAuthenticator: CTAP2, internal transport, resident keys, user verification):
// a page of the API's origin runs @simplewebauthn/browser's UMD bundle for the ceremonies, and the
// test calls the JSON API. Register, sign in as the second factor and passwordless, the counter
// stored, a cloned authenticator (the same key on a second authenticator, with a lower signCount)
// refused; step-up and 404s on removal; malformed responses are 400s naming the member.
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, apiUrl, decodeJwtParts, errorFields, expectProblem, loggedInUser, type Session } from '../e2e/helpers.ts';
import { launchChromium, PageWatch } from '../support/browser.ts';
import { testDependencies } from '../support/deps.ts';
import { virtualAuthenticator } from '../support/mfa-pages.ts';

const BUNDLE = fileURLToPath(new URL('../../node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js', import.meta.url));
const deps = testDependencies();

interface PasskeyTab {
  page: Page;
  watch: PageWatch;
  cdp: CDPSession;
  authenticatorId: string;
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** A tab on the API's origin (WebAuthn binds credentials to it) with a virtual platform authenticator and the browser library. */
async function passkeyTab(): Promise<PasskeyTab> {
  // The bundle is added as an inline script, which the docs page's CSP would (rightly) refuse.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const watch = new PageWatch(page);
  expect((await page.goto(`${apiUrl()}/docs`, { waitUntil: 'load' }))?.status()).toBe(200);
  await page.addScriptTag({ path: BUNDLE });
  const { cdp, authenticatorId } = await virtualAuthenticator(page);
  return { page, watch, cdp, authenticatorId };
}

/** navigator.credentials.create() through @simplewebauthn/browser, as a browser app does. */
const create = (tab: PasskeyTab, optionsJSON: unknown): Promise<any> =>
  tab.page.evaluate((options) => (globalThis as any).SimpleWebAuthnBrowser.startRegistration({ optionsJSON: options }), optionsJSON);

/** navigator.credentials.get() through @simplewebauthn/browser. */
const get = (tab: PasskeyTab, optionsJSON: unknown): Promise<any> =>
  tab.page.evaluate((options) => (globalThis as any).SimpleWebAuthnBrowser.startAuthentication({ optionsJSON: options }), optionsJSON);

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const claimsOf = (token: string) => decodeJwtParts(token).payload;

/** Registers a passkey named `name` for the session's user on the tab's authenticator; returns the 201 body. */
async function registerPasskey(tab: PasskeyTab, accessToken: string, name: string): Promise<any> {
  const options = await api('/mfa/webauthn/register/options', { method: 'POST', headers: bearer(accessToken) });
  expect(options.status, options.text).toBe(200);
  const response = await create(tab, options.body);
  const registered = await api('/mfa/webauthn/register', { headers: bearer(accessToken), json: { name, response } });
  expect(registered.status, registered.text).toBe(201);
  return registered.body;
}

/** POST /login with the password: 401 mfa_required and its mfa_token. */
async function passwordStep(session: Session): Promise<string> {
  const res = await api('/login', { json: { username: session.user.username, password: session.user.password } });
  const problem = expectProblem(res, 401);
  expect(problem).toMatchObject({ code: 'mfa_required', methods: expect.arrayContaining(['webauthn', 'recovery_code']) });
  return problem.mfa_token;
}

/** The second factor with the tab's passkey: the /login/webauthn answer. */
async function secondFactor(tab: PasskeyTab, mfaToken: string) {
  const options = await api('/login/webauthn/options', { json: { mfa_token: mfaToken } });
  expect(options.status, options.text).toBe(200);
  const response = await get(tab, options.body.options);
  return api('/login/webauthn', { json: { mfa_token: mfaToken, response } });
}

/** A passwordless sign-in with the tab's passkey: the /login/webauthn answer. */
async function passwordless(tab: PasskeyTab) {
  const options = await api('/login/webauthn/options', { method: 'POST' });
  expect(options.status, options.text).toBe(200);
  expect(options.body.options).toMatchObject({ allowCredentials: [], userVerification: 'required' });
  const response = await get(tab, options.body.options);
  return { response, answer: await api('/login/webauthn', { json: { ceremony_id: options.body.ceremony_id, response } }) };
}

/** The authenticator's own credential (the private key included, for cloning) and the counter we stored for it. */
async function counters(tab: PasskeyTab) {
  const { credentials } = await tab.cdp.send('WebAuthn.getCredentials', { authenticatorId: tab.authenticatorId });
  expect(credentials).toHaveLength(1);
  const credential = credentials[0]!;
  const stored = await deps.passkeys.get(Buffer.from(credential.credentialId, 'base64').toString('base64url'));
  return { credential, authenticator: credential.signCount, stored: stored?.counter };
}

describe('passkeys in Chromium with a virtual authenticator', () => {
  it('registers a passkey and signs in with it as the second factor: amr pwd+hwk+mfa, acr aal2, counter stored', { timeout: 120_000 }, async () => {
    const tab = await passkeyTab();
    const session = await loggedInUser('pkbr');
    const registered = await registerPasskey(tab, session.accessToken, 'Virtual laptop');
    expect(registered).toMatchObject({ name: 'Virtual laptop', created_at: expect.any(String) });
    expect(registered.recovery_codes).toHaveLength(10);
    const afterRegistration = await counters(tab);
    expect(afterRegistration.stored).toBe(afterRegistration.authenticator);

    const factors = await api('/mfa', { headers: bearer(session.accessToken) });
    expect(factors.status, factors.text).toBe(200);
    expect(factors.body.factors).toContainEqual(expect.objectContaining({ type: 'webauthn', id: registered.id, name: 'Virtual laptop' }));
    expect(factors.text).not.toContain('publicKey');

    const mfaToken = await passwordStep(session);
    const before = Math.floor(Date.now() / 1000);
    const signedIn = await secondFactor(tab, mfaToken);
    expect(signedIn.status, signedIn.text).toBe(200);
    expect(signedIn.body).toMatchObject({ token_type: 'Bearer', refresh_token: expect.any(String), user: { username: session.user.username } });
    const claims = claimsOf(signedIn.body.access_token);
    expect(claims).toMatchObject({ amr: ['pwd', 'hwk', 'mfa'], acr: 'aal2' });
    expect(claims.auth_time).toBeGreaterThanOrEqual(before);

    // The counter moved on and was stored; the factor shows its last use.
    const afterUse = await counters(tab);
    expect(afterUse.authenticator).toBeGreaterThan(afterRegistration.authenticator);
    expect(afterUse.stored).toBe(afterUse.authenticator);

    // The mfa_token is spent: the same answer again is refused.
    const again = await api('/login/webauthn/options', { json: { mfa_token: mfaToken } });
    expect(expectProblem(again, 401).code).toBe('invalid_mfa_token');
    tab.watch.expectClean();
  });

  it('signs in passwordless with the discoverable credential and user verification: amr hwk+user+mfa; a ceremony is answered once', {
    timeout: 120_000,
  }, async () => {
    const tab = await passkeyTab();
    const session = await loggedInUser('pkpw');
    await registerPasskey(tab, session.accessToken, 'Platform');

    const { response, answer } = await passwordless(tab);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.user.username).toBe(session.user.username);
    expect(claimsOf(answer.body.access_token)).toMatchObject({ sub: expect.any(String), amr: ['hwk', 'user', 'mfa'], acr: 'aal2' });

    // The same assertion under a new ceremony: its challenge is not the new one.
    const fresh = await api('/login/webauthn/options', { method: 'POST' });
    const replayed = await api('/login/webauthn', { json: { ceremony_id: fresh.body.ceremony_id, response } });
    expect(expectProblem(replayed, 401).code).toBe('invalid_credentials');
    tab.watch.expectClean();
  });

  it('refuses a cloned authenticator whose signature counter is behind, and still takes the real one', { timeout: 120_000 }, async () => {
    const real = await passkeyTab();
    const session = await loggedInUser('pkcl');
    await registerPasskey(real, session.accessToken, 'Original');
    expect((await passwordless(real)).answer.status).toBe(200);
    const { credential, stored } = await counters(real);
    expect(stored).toBeGreaterThan(0);

    // The same private key on a second authenticator, copied when its counter was lower (§6.1.1).
    const clone = await passkeyTab();
    await clone.cdp.send('WebAuthn.addCredential', { authenticatorId: clone.authenticatorId, credential: { ...credential, signCount: 0 } });
    const cloned = await passwordless(clone);
    expect(expectProblem(cloned.answer, 401).code).toBe('invalid_credentials');
    const mfaToken = await passwordStep(session);
    const asSecondFactor = await secondFactor(clone, mfaToken);
    expect(expectProblem(asSecondFactor, 401)).toMatchObject({ code: 'invalid_mfa_code', attempts_left: 4 });
    expect((await counters(real)).stored).toBe(stored);

    expect((await passwordless(real)).answer.status).toBe(200);
    real.watch.expectClean();
  });

  it('removes a passkey only after a recent MFA; another user cannot (404); a further passkey needs MFA too', { timeout: 120_000 }, async () => {
    const tab = await passkeyTab();
    const session = await loggedInUser('pkrm');
    const { id } = await registerPasskey(tab, session.accessToken, 'To remove');
    const path = `/mfa/webauthn/${id}`;

    // The password-only token that registered it is not enough now that the account has a factor.
    expect(expectProblem(await api(path, { method: 'DELETE', headers: bearer(session.accessToken) }), 401).code).toBe('step_up_required');
    expect(expectProblem(await api('/mfa/webauthn/register/options', { method: 'POST', headers: bearer(session.accessToken) }), 401).code).toBe(
      'step_up_required',
    );

    const stranger = await loggedInUser('pkrm');
    expect(expectProblem(await api(path, { method: 'DELETE', headers: bearer(stranger.accessToken) }), 404).code).toBe('not_found');

    const signedIn = await secondFactor(tab, await passwordStep(session));
    const mfaToken = signedIn.body.access_token;
    expect((await api(path, { method: 'DELETE', headers: bearer(mfaToken) })).status).toBe(204);
    expect(expectProblem(await api(path, { method: 'DELETE', headers: bearer(mfaToken) }), 404).code).toBe('not_found');
    // No factor left: the password alone logs in again.
    const login = await api('/login', { json: { username: session.user.username, password: session.user.password } });
    expect(login.status, login.text).toBe(200);
    tab.watch.expectClean();
  });

  it('answers malformed requests with a 400 naming the field, never a 500', async () => {
    const session = await loggedInUser('pkbad');
    const cases: [string, unknown, string[]][] = [
      ['/mfa/webauthn/register', { name: 'x' }, ['response']],
      ['/mfa/webauthn/register', { name: 'x', response: 'text' }, ['response']],
      [
        '/mfa/webauthn/register',
        { name: 'x', response: { id: 'AA', rawId: 'AA', type: 'public-key', response: {} } },
        ['response.response.clientDataJSON', 'response.response.attestationObject'],
      ],
      ['/mfa/webauthn/register', { name: 'x', response: {}, extra: 1 }, ['extra']],
      [
        '/login/webauthn',
        {
          ceremony_id: 'x',
          response: { id: 'AA', rawId: 'AA', type: 'public-key', response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' } },
        },
        ['response.response.clientDataJSON', 'response.response.authenticatorData'],
      ],
      ['/login/webauthn', { response: [] }, ['response']],
      ['/login/webauthn/options', { mfa_token: 42 }, ['mfa_token']],
    ];
    for (const [path, json, fields] of cases) {
      const res = await api(path, { headers: bearer(session.accessToken), json });
      const problem = expectProblem(res, 400);
      expect(errorFields(problem), `${path} ${JSON.stringify(json)}`).toEqual(expect.arrayContaining(fields));
    }
    // An mfa_token that is no token, and a ceremony id that names none.
    expect(expectProblem(await api('/login/webauthn/options', { json: { mfa_token: 'nope' } }), 401).code).toBe('invalid_mfa_token');
    const noCeremony = await api('/login/webauthn', {
      json: {
        ceremony_id: 'x'.repeat(43),
        response: {
          id: 'AA',
          rawId: 'AA',
          type: 'public-key',
          response: {
            clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uZ2V0IiwiY2hhbGxlbmdlIjoiYSIsIm9yaWdpbiI6ImIifQ',
            authenticatorData: 'A'.repeat(50),
            signature: 'AA',
          },
        },
      },
    });
    expect(errorFields(expectProblem(noCeremony, 400))).toEqual(['ceremony_id']);
  });
});
