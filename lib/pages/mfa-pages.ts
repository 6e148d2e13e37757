// The hosted pages' second factor: the second step of a sign-in (a code from an authenticator app,
// a passkey, a recovery code), the TOTP enrolment (QR code and the secret as text) and the page that
// shows new recovery codes once. Server-rendered forms; only the passkey button needs JavaScript
// (lib/pages/passkey-script.ts), and the page says so when it is off.
import { renderSVG } from 'uqr';
import type { SecondStepMethod } from '../domain/errors.ts';
import { html, SafeHtml } from '../support/html.ts';
import { notice, page } from './layout.ts';
import { WEBAUTHN_SCRIPTS } from './script-paths.ts';

interface Brand {
  productName: string;
}

/** Hidden fields every form of a flow carries (the request id, the CSRF token, the mfa_token). */
export type HiddenFields = Readonly<Record<string, string | undefined>>;

const hiddenInputs = (fields: HiddenFields) =>
  Object.entries(fields).map(([name, value]) => (value === undefined ? '' : html`<input type="hidden" name="${name}" value="${value}">\n`));

/**
 * WebAuthn options as a JSON script element: data, never run (the CSP allows no inline script),
 * with `<` escaped so no value can close the element.
 */
export const jsonData = (id: string, value: unknown) =>
  new SafeHtml(`<script type="application/json" id="${id}">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`);

/** A button that runs a WebAuthn ceremony (passkey-script.ts) and posts its result in the form's `credential` field. */
export function passkeyButton(ceremony: 'authenticate' | 'register', label: string, optionsId: string, statusId: string) {
  return html`<input type="hidden" name="credential" value="">
<button type="button" class="secondary" data-ceremony="${ceremony}" data-options="${optionsId}" data-status="${statusId}">${label}</button>
<p class="hint" id="${statusId}" role="status" aria-live="polite"></p>
<noscript><p class="hint">Passkeys need JavaScript in this browser.</p></noscript>`;
}

export interface SecondStepPageOptions {
  /** Where the forms post. */
  action: string;
  /** The fields each form carries besides its own (request, csrf_token, mfa_token, ...). */
  hidden: HiddenFields;
  /** The name of the field that says which form was sent, and the values it takes. */
  stepField: string;
  methods: readonly SecondStepMethod[];
  /** PublicKeyCredentialRequestOptionsJSON for the passkey button, when the user has passkeys. */
  webauthnOptions?: unknown;
  /** Whom it is for ("to continue to <app>"), as a line above the forms. */
  lead?: SafeHtml | string;
  error?: string;
  /** Which form the error belongs to (its field gets aria-invalid). */
  errorIn?: 'totp' | 'recovery_code' | 'webauthn';
  status?: number;
  formTargets?: readonly string[];
}

export function secondStepPage(brand: Brand, options: SecondStepPageOptions) {
  const { methods, error, errorIn } = options;
  const invalid = (form: string) => (error && errorIn === form ? html`aria-invalid="true" aria-describedby="${form}-error"` : '');
  // role=alert: a screen reader says it when the page comes back with it.
  const errorText = (form: string) => (error && errorIn === form ? html`<p class="error" id="${form}-error" role="alert">${error}</p>` : '');
  const form = (step: string, content: SafeHtml, id?: string) => html`<form method="post" action="${options.action}"${id ? html` id="${id}"` : ''}>
${hiddenInputs({ ...options.hidden, [options.stepField]: step })}${content}
</form>`;
  const passkeys = methods.includes('webauthn') && options.webauthnOptions !== undefined;
  return page({
    ...brand,
    title: 'Two-step verification',
    status: options.status ?? 200,
    ...(options.formTargets ? { formTargets: options.formTargets } : {}),
    ...(passkeys ? { scripts: WEBAUTHN_SCRIPTS } : {}),
    body: html`${options.lead ? html`<p>${options.lead}</p>` : ''}
${error && !errorIn ? notice('bad', error) : ''}
${
  methods.includes('totp')
    ? form(
        'totp',
        html`<label for="code">Code from your authenticator app</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,8}" maxlength="8" required autofocus ${invalid('totp')}>
${errorText('totp')}<p class="hint">Open the app and type the 6-digit code it shows for this account.</p>
<button type="submit">Verify</button>`,
      )
    : ''
}
${
  passkeys
    ? html`${jsonData('webauthn-options', options.webauthnOptions)}
${form('webauthn', html`${passkeyButton('authenticate', 'Use a passkey', 'webauthn-options', 'passkey-status')}${errorText('webauthn')}`)}`
    : ''
}
<p><a href="#recovery-code">Use a recovery code</a></p>
<section id="recovery-code" aria-labelledby="recovery-heading">
<h2 id="recovery-heading">Use a recovery code</h2>
${form(
  'recovery_code',
  html`<label for="recovery_code">Recovery code</label>
<input id="recovery_code" name="recovery_code" type="text" autocomplete="off" autocapitalize="none" spellcheck="false" required ${invalid('recovery_code')}>
${errorText('recovery_code')}<p class="hint">One of the codes you saved when you set up two-step verification. Each works once.</p>
<button type="submit" class="secondary">Use this recovery code</button>`,
)}
</section>`,
  });
}

export interface TotpEnrolmentOptions {
  action: string;
  hidden: HiddenFields;
  stepField: string;
  /** The value of stepField that confirms. */
  confirmStep: string;
  /** The new secret; absent when only the code is asked again (after a wrong one: the app already has the secret). */
  enrolment?: { secret: string; otpauthUri: string };
  lead?: SafeHtml | string;
  error?: string;
  status?: number;
  formTargets?: readonly string[];
  /** A link back (the account page), when there is somewhere to go back to. */
  cancelUrl?: string;
}

/** The secret in groups of four, easier to type into an app by hand. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

export function totpEnrolmentPage(brand: Brand, options: TotpEnrolmentOptions) {
  const { error } = options;
  return page({
    ...brand,
    title: 'Set up an authenticator app',
    status: options.status ?? 200,
    ...(options.formTargets ? { formTargets: options.formTargets } : {}),
    body: html`${options.lead ? html`<p>${options.lead}</p>` : ''}
${error ? notice('bad', error) : ''}
${
  options.enrolment
    ? html`<ol>
<li>Scan this QR code with an authenticator app (or type the key below).</li>
<li>Type the 6-digit code the app shows.</li>
</ol>
<figure class="qr" role="img" aria-label="QR code of the key for your authenticator app">${new SafeHtml(renderSVG(options.enrolment.otpauthUri))}</figure>
<p>Key: <code class="secret" id="totp-secret">${grouped(options.enrolment.secret)}</code></p>`
    : html`<p>Type the 6-digit code your authenticator app shows now.</p>`
}
<form method="post" action="${options.action}">
${hiddenInputs({ ...options.hidden, [options.stepField]: options.confirmStep })}<label for="code">Code from the app</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,8}" maxlength="8" required ${error ? html`aria-invalid="true"` : ''}>
<button type="submit">Turn on</button>
</form>
${options.cancelUrl ? html`<p><a href="${options.cancelUrl}">Cancel</a></p>` : ''}`,
  });
}

export interface RecoveryCodesPageOptions {
  codes: readonly string[];
  /** The form (or link) that goes on once the user has saved them. */
  next: { action: string; hidden: HiddenFields; label: string } | { href: string; label: string };
  formTargets?: readonly string[];
  lead?: string;
}

/** New recovery codes, shown this once (only their hashes are kept). */
export function recoveryCodesPage(brand: Brand, options: RecoveryCodesPageOptions) {
  const { next } = options;
  return page({
    ...brand,
    title: 'Save your recovery codes',
    ...(options.formTargets ? { formTargets: options.formTargets } : {}),
    body: html`${notice('ok', options.lead ?? 'Two-step verification is on.')}
<p>If you lose your authenticator app or passkey, each of these codes lets you sign in once. Store them somewhere safe: they will not be shown again.</p>
<ul class="codes" aria-label="Recovery codes">${options.codes.map((code) => html`<li>${code}</li>`)}</ul>
${
  'href' in next
    ? html`<p><a href="${next.href}">${next.label}</a></p>`
    : html`<form method="post" action="${next.action}">
${hiddenInputs(next.hidden)}<button type="submit">${next.label}</button>
</form>`
}`,
  });
}
