// The hosted pages behind the links in our mails: forgot password, choose a new password, confirm
// an email address. Plain HTML forms that work without JavaScript; errors sit next to their field.
import type { FieldError } from '../domain/errors.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../passwords/limits.ts';
import { html } from '../support/html.ts';
import { notice, page } from './layout.ts';

interface Brand {
  productName: string;
}

const fieldError = (errors: FieldError[], field: string) => errors.find((e) => e.field === field)?.message;

export function forgotPasswordPage(brand: Brand, options: { email?: string; errors?: FieldError[]; status?: number } = {}) {
  const error = fieldError(options.errors ?? [], 'email');
  return page({
    ...brand,
    title: 'Forgot your password?',
    status: options.status ?? 200,
    body: html`<p>Enter the email address of your account and we will send you a link to choose a new password.</p>
<form method="post" action="/password/forgot" novalidate>
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="email" required value="${options.email ?? ''}"
  ${error ? html`aria-invalid="true" aria-describedby="email-error"` : ''}>
${error ? html`<p class="error" id="email-error">${error}</p>` : ''}
<button type="submit">Send me a link</button>
</form>`,
  });
}

export function resetRequestedPage(brand: Brand, email: string) {
  return page({
    ...brand,
    title: 'Check your mail',
    status: 202,
    body: html`${notice('ok', html`If an account exists for <strong>${email}</strong>, we have sent it a link to choose a new password.`)}
<p>The link works once and expires soon. Nothing arrived? Check your spam folder, or <a href="/password/forgot">ask again</a>.</p>`,
  });
}

export function resetPasswordPage(brand: Brand, token: string, errors: FieldError[] = [], status = 200) {
  const error = fieldError(errors, 'password');
  return page({
    ...brand,
    title: 'Choose a new password',
    status,
    body: html`<form method="post" action="/password/reset">
<input type="hidden" name="token" value="${token}">
<label for="password">New password</label>
<input id="password" name="password" type="password" autocomplete="new-password" required
  minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}"
  aria-describedby="password-hint${error ? ' password-error' : ''}" ${error ? html`aria-invalid="true"` : ''}>
<p class="hint" id="password-hint">At least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words make a strong, memorable password.</p>
${error ? html`<p class="error" id="password-error">${error}</p>` : ''}
<button type="submit">Set new password</button>
</form>`,
  });
}

export function passwordChangedPage(brand: Brand) {
  return page({
    ...brand,
    title: 'Password changed',
    body: html`${notice('ok', 'Your password has been changed.')}
<p>You can now log in with your new password. For your safety every session and API token of the account has been ended, so other devices will ask you to log in again.</p>`,
  });
}

export function invalidLinkPage(brand: Brand, kind: 'reset' | 'verify') {
  return page({
    ...brand,
    title: 'This link cannot be used',
    status: 400,
    body: html`${notice('bad', 'This link has expired or has already been used.')}
${
  kind === 'reset'
    ? html`<p>Links to reset a password work once and for a short time, and a completed reset ends all the others. <a href="/password/forgot">Ask for a new link</a>.</p>`
    : html`<p>Confirmation links work once and expire after a day, and once your address is confirmed the others no longer work. If your address is not confirmed yet, ask for a new link from your account.</p>`
}`,
  });
}

export function confirmEmailPage(brand: Brand, token: string) {
  return page({
    ...brand,
    title: 'Confirm your email address',
    body: html`<p>Confirm that this email address belongs to your account.</p>
<form method="post" action="/email/verify">
<input type="hidden" name="token" value="${token}">
<button type="submit">Confirm my email address</button>
</form>`,
  });
}

export function emailVerifiedPage(brand: Brand, email: string) {
  return page({
    ...brand,
    title: 'Email address confirmed',
    body: html`${notice('ok', html`<strong>${email}</strong> is confirmed. Thank you!`)}
<p>You can close this page.</p>`,
  });
}
