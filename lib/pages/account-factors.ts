// The account page's "Two-step verification" section (authenticator app, passkeys, recovery codes)
// and the page that adds a passkey (its button runs the browser's WebAuthn registration).
import type { FactorSummary } from '../domain/mfa.ts';
import { html } from '../support/html.ts';
import { shownDay } from './account-format.ts';
import { ACCOUNT_PATH, type AccountSection, actionForm } from './account-home.ts';
import { notice, page } from './layout.ts';
import { jsonData, passkeyButton } from './mfa-pages.ts';
import { WEBAUTHN_SCRIPTS } from './script-paths.ts';

interface Brand {
  productName: string;
}

const used = (factor: FactorSummary) => (factor.lastUsedAt ? `last used ${shownDay(factor.lastUsedAt)}` : 'never used');

/** The "Two-step verification" section: the user's factors (never a secret) and what can be done with them. */
export function factorsSection(csrf: string, factors: readonly FactorSummary[]): AccountSection {
  const totp = factors.find((factor) => factor.type === 'totp');
  const passkeys = factors.filter((factor) => factor.type === 'webauthn');
  const codes = factors.find((factor) => factor.type === 'recovery_codes');
  const content = html`<p>${totp || passkeys.length ? 'On: signing in asks for your password and one of these.' : 'Off: add an authenticator app or a passkey to protect your account.'}</p>
<h3>Authenticator app</h3>
${
  totp
    ? html`<p>Added ${shownDay(totp.createdAt)}, ${used(totp)}.</p>${actionForm(csrf, 'totp_remove', 'Remove the authenticator app')}`
    : html`<p>Not set up.</p>${actionForm(csrf, 'totp_start', 'Set up an authenticator app')}`
}
<h3>Passkeys</h3>
${
  passkeys.length
    ? html`<ul>${passkeys.map(
        (passkey) => html`<li><strong>${passkey.name}</strong>: added ${shownDay(passkey.createdAt)}, ${used(passkey)}
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
