// The hosted pages behind the two links of an email change: the one mailed to the new address
// (make the change) and the one mailed to the old address (undo it and sign everyone out). Each
// opens on a page with a button, so a mail scanner that opens links changes nothing.
import { html } from '../support/html.ts';
import { notice, page } from './layout.ts';

interface Brand {
  productName: string;
}

export function confirmEmailChangePage(brand: Brand, token: string) {
  return page({
    ...brand,
    title: 'Confirm your new email address',
    body: html`<p>Make this address the email address of your account. Your old address will be told, and can undo the change.</p>
<form method="post" action="/email/change">
<input type="hidden" name="token" value="${token}">
<button type="submit">Confirm my new address</button>
</form>`,
  });
}

export function emailChangedPage(brand: Brand, email: string) {
  return page({
    ...brand,
    title: 'Email address changed',
    body: html`${notice('ok', html`Your account's email address is now <strong>${email}</strong>.`)}
<p>You can close this page.</p>`,
  });
}

export function revertEmailChangePage(brand: Brand, token: string) {
  return page({
    ...brand,
    title: 'Undo the email change',
    body: html`<p>Put this address back as the email address of your account. Every session and API token of the account will be signed out, so whoever made the change is too.</p>
<form method="post" action="/email/revert">
<input type="hidden" name="token" value="${token}">
<button type="submit">Undo the change and sign everyone out</button>
</form>`,
  });
}

export function emailRevertedPage(brand: Brand, email: string) {
  return page({
    ...brand,
    title: 'Email change undone',
    body: html`${notice('ok', html`Your account's email address is <strong>${email}</strong> again, and every session has been signed out.`)}
<p>If you did not make the change, someone may know your password: <a href="/password/forgot">choose a new password</a> now.</p>`,
  });
}

export function invalidEmailChangeLinkPage(brand: Brand, kind: 'change' | 'revert') {
  return page({
    ...brand,
    title: 'This link cannot be used',
    status: 400,
    body: html`${notice('bad', 'This link has expired or has already been used.')}
${
  kind === 'change'
    ? html`<p>A link to change your email address works once, for a day, and only the newest one you asked for. Ask for a new one from your account.</p>`
    : html`<p>A link to undo an email change works once, for 7 days, and not after the address has changed again. If your account was taken over, <a href="/password/forgot">reset your password</a>.</p>`
}`,
  });
}

export function addressTakenPage(brand: Brand, status = 409) {
  return page({
    ...brand,
    title: 'This address was taken',
    status,
    body: html`${notice('bad', 'Another account took this address meanwhile, so the change could not be made.')}
<p>Nothing about your account changed.</p>`,
  });
}
