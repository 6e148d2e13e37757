// The hosted account page (/account) of the browser's signed-in user, built from sections so more
// can be added (profile, sessions: issue 18): today "Two-step verification" (authenticator app,
// passkeys, recovery codes). Also its sign-in form (the password; the second step is
// ./mfa-pages.ts) and the page that adds a passkey. Plain forms; only the passkey button needs JavaScript.
import type { FactorSummary } from '../domain/mfa.ts';
import { html, type SafeHtml } from '../support/html.ts';
import { notice, page, passwordFields } from './layout.ts';
import { jsonData, passkeyButton } from './mfa-pages.ts';
import { WEBAUTHN_SCRIPTS } from './script-paths.ts';

interface Brand {
  productName: string;
}

export const ACCOUNT_PATH = '/account';
export const ACCOUNT_SIGN_IN_PATH = '/account/sign-in';

export interface AccountSignInOptions {
  csrf: string;
  login?: string;
  /** Why the form is shown: a sign-in (default) or a step-up before a sensitive change. */
  reason?: 'sign-in' | 'step-up';
  error?: string;
  status?: number;
}

/** The password form of the account page; also the step-up re-authentication (the login prefilled). */
export function accountSignInPage(brand: Brand, options: AccountSignInOptions) {
  const { error } = options;
  const stepUp = options.reason === 'step-up';
  return page({
    ...brand,
    title: stepUp ? 'Confirm it’s you' : 'Sign in to your account',
    status: options.status ?? 200,
    body: html`${stepUp ? html`<p>This change needs a recent sign-in with your password (and your second factor, if you have one).</p>` : ''}
${error ? notice('bad', error) : ''}
<form method="post" action="${ACCOUNT_SIGN_IN_PATH}">
<input type="hidden" name="csrf_token" value="${options.csrf}">
<input type="hidden" name="step" value="password">
${passwordFields(options.login, Boolean(error))}
<button type="submit">${stepUp ? 'Confirm' : 'Sign in'}</button>
</form>`,
  });
}

/** One section of the account page: a heading and its content. */
export interface AccountSection {
  id: string;
  heading: string;
  content: SafeHtml;
}

export interface AccountPageOptions {
  username: string;
  csrf: string;
  sections: AccountSection[];
  message?: { kind: 'ok' | 'bad'; text: string };
  status?: number;
}

/** A small form posting one action of the account page. */
export function actionForm(csrf: string, action: string, label: string, extra: Record<string, string> = {}, buttonClass = 'secondary') {
  return html`<form method="post" action="${ACCOUNT_PATH}">
<input type="hidden" name="csrf_token" value="${csrf}">
<input type="hidden" name="action" value="${action}">
${Object.entries(extra).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<button type="submit" class="${buttonClass}">${label}</button>
</form>`;
}

export function accountPage(brand: Brand, options: AccountPageOptions) {
  return page({
    ...brand,
    title: 'Your account',
    status: options.status ?? 200,
    body: html`${options.message ? notice(options.message.kind, options.message.text) : ''}
<p>Signed in as <strong>${options.username}</strong>.</p>
${options.sections.map(
  (section) => html`<section id="${section.id}" aria-labelledby="${section.id}-heading">
<h2 id="${section.id}-heading">${section.heading}</h2>
${section.content}
</section>
`,
)}
<section id="sign-out" aria-label="Sign out">${actionForm(options.csrf, 'sign_out', 'Sign out')}</section>`,
  });
}

const day = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);
const used = (factor: FactorSummary) => (factor.lastUsedAt ? `last used ${day(factor.lastUsedAt)}` : 'never used');

/** The "Two-step verification" section: the user's factors (never a secret) and what can be done with them. */
export function factorsSection(csrf: string, factors: readonly FactorSummary[]): AccountSection {
  const totp = factors.find((factor) => factor.type === 'totp');
  const passkeys = factors.filter((factor) => factor.type === 'webauthn');
  const codes = factors.find((factor) => factor.type === 'recovery_codes');
  const content = html`<p>${totp || passkeys.length ? 'On: signing in asks for your password and one of these.' : 'Off: add an authenticator app or a passkey to protect your account.'}</p>
<h3>Authenticator app</h3>
${
  totp
    ? html`<p>Added ${day(totp.createdAt)}, ${used(totp)}.</p>${actionForm(csrf, 'totp_remove', 'Remove the authenticator app')}`
    : html`<p>Not set up.</p>${actionForm(csrf, 'totp_start', 'Set up an authenticator app')}`
}
<h3>Passkeys</h3>
${
  passkeys.length
    ? html`<ul>${passkeys.map(
        (passkey) => html`<li><strong>${passkey.name}</strong>: added ${day(passkey.createdAt)}, ${used(passkey)}
${actionForm(csrf, 'passkey_remove', `Remove ${passkey.name}`, { passkey_id: passkey.id })}</li>`,
      )}</ul>`
    : html`<p>None yet.</p>`
}
${actionForm(csrf, 'passkey_start', 'Add a passkey')}
${
  codes
    ? html`<h3>Recovery codes</h3>
<p>${codes.remaining ?? 0} of 10 left.</p>
${actionForm(csrf, 'recovery_codes', 'Get new recovery codes')}`
    : ''
}`;
  return { id: 'two-step', heading: 'Two-step verification', content };
}

export interface AddPasskeyOptions {
  csrf: string;
  /** PublicKeyCredentialCreationOptionsJSON. */
  options: unknown;
  error?: string;
  name?: string;
}

/** Naming and creating a passkey: the button runs the browser's registration, the form posts its answer. */
export function addPasskeyPage(brand: Brand, options: AddPasskeyOptions) {
  return page({
    ...brand,
    title: 'Add a passkey',
    status: options.error ? 400 : 200,
    scripts: WEBAUTHN_SCRIPTS,
    body: html`${options.error ? notice('bad', options.error) : ''}
<p>A passkey lets you confirm it’s you with this device’s screen lock or a security key.</p>
${jsonData('webauthn-options', options.options)}
<form method="post" action="${ACCOUNT_PATH}">
<input type="hidden" name="csrf_token" value="${options.csrf}">
<input type="hidden" name="action" value="passkey_register">
<label for="passkey-name">Name</label>
<input id="passkey-name" name="name" type="text" maxlength="64" required value="${options.name ?? ''}" aria-describedby="passkey-name-hint">
<p class="hint" id="passkey-name-hint">So you can tell your passkeys apart, e.g. “Work laptop”.</p>
${passkeyButton('register', 'Create the passkey', 'webauthn-options', 'passkey-status')}
</form>
<p><a href="${ACCOUNT_PATH}">Cancel</a></p>`,
  });
}
