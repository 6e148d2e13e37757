// Every mail the service sends, in plain text and HTML, in one place. The product name comes from
// PRODUCT_NAME. Links carry the one-time token; nothing else in a mail is secret.

import type { MailMessage } from '../domain/mail.ts';
import { html, type SafeHtml } from '../support/html.ts';

interface Brand {
  productName: string;
}

function layout(brand: Brand, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${brand.productName}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2328">
<div style="max-width:480px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">
<p style="font-weight:600;margin-top:0">${brand.productName}</p>
${body}
</div></body></html>`.value;
}

const button = (href: string, label: string) =>
  html`<p><a href="${href}" style="display:inline-block;background:#0b57d0;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${label}</a></p>
<p style="font-size:13px;color:#57606a">Or paste this link into your browser:<br>${href}</p>`;

export function passwordResetMail(brand: Brand, to: { email: string; username: string }, link: string, ttlMinutes: number): MailMessage {
  return {
    to: to.email,
    subject: `Reset your ${brand.productName} password`,
    text: `Hello ${to.username},

Someone asked to reset the password of your ${brand.productName} account. To choose a new password, open:

${link}

The link works once, for ${ttlMinutes} minutes. If you did not ask for this, ignore this mail: your password stays as it is.
`,
    html: layout(
      brand,
      html`<p>Hello ${to.username},</p>
<p>Someone asked to reset the password of your ${brand.productName} account.</p>
${button(link, 'Choose a new password')}
<p>The link works once, for ${ttlMinutes} minutes. If you did not ask for this, ignore this mail: your password stays as it is.</p>`,
    ),
  };
}

export function passwordChangedMail(brand: Brand, to: { email: string; username: string }, forgotLink: string): MailMessage {
  return {
    to: to.email,
    subject: `Your ${brand.productName} password was changed`,
    text: `Hello ${to.username},

The password of your ${brand.productName} account was just changed, and every session and API token of the account was ended.

If this was not you, reset your password at once: ${forgotLink}
`,
    html: layout(
      brand,
      html`<p>Hello ${to.username},</p>
<p>The password of your ${brand.productName} account was just changed, and every session and API token of the account was ended.</p>
<p>If this was not you, <a href="${forgotLink}">reset your password</a> at once.</p>`,
    ),
  };
}

export function verifyEmailMail(brand: Brand, to: { email: string; username: string }, link: string, ttlHours: number): MailMessage {
  return {
    to: to.email,
    subject: `Confirm your email address for ${brand.productName}`,
    text: `Hello ${to.username},

Please confirm that this address belongs to your ${brand.productName} account:

${link}

The link works once, for ${ttlHours} hours. If you did not create an account, ignore this mail.
`,
    html: layout(
      brand,
      html`<p>Hello ${to.username},</p>
<p>Please confirm that this address belongs to your ${brand.productName} account.</p>
${button(link, 'Confirm my email address')}
<p>The link works once, for ${ttlHours} hours. If you did not create an account, ignore this mail.</p>`,
    ),
  };
}

/**
 * To the owner of an address someone tried to register again (REGISTRATION_DISCLOSURE=email): the
 * registration was answered as if it had worked, so this mail is where the truth goes.
 */
export function registrationAttemptMail(brand: Brand, to: { email: string; username: string }, forgotLink: string): MailMessage {
  return {
    to: to.email,
    subject: `Someone tried to register at ${brand.productName} with your address`,
    text: `Hello ${to.username},

Someone just tried to create a ${brand.productName} account with this email address. It already belongs to your account, so no new account was created and nothing about your account changed.

If it was you, you already have an account: log in as ${to.username}. If you have forgotten your password, choose a new one here: ${forgotLink}

If it was not you, you need do nothing.
`,
    html: layout(
      brand,
      html`<p>Hello ${to.username},</p>
<p>Someone just tried to create a ${brand.productName} account with this email address. It already belongs to your account, so no new account was created and nothing about your account changed.</p>
<p>If it was you, you already have an account: log in as <strong>${to.username}</strong>. If you have forgotten your password, choose a new one:</p>
${button(forgotLink, 'Reset my password')}
<p>If it was not you, you need do nothing.</p>`,
    ),
  };
}

/**
 * A recovery code was used to sign in (the issue: "using one is reported to the user by email"):
 * if it was not the owner, their password and a code are known to someone else.
 */
export function recoveryCodeUsedMail(brand: Brand, to: { email: string; username: string }, remaining: number, accountLink: string): MailMessage {
  const left = remaining === 1 ? '1 recovery code is left' : `${remaining} recovery codes are left`;
  return {
    to: to.email,
    subject: `A recovery code was used to sign in to ${brand.productName}`,
    text: `Hello ${to.username},

Someone just signed in to your ${brand.productName} account with your password and one of your recovery codes. That code no longer works; ${left}.

If it was you, consider enrolling a new authenticator app or passkey, and new recovery codes: ${accountLink}

If it was not you, someone knows your password and has your recovery codes: reset your password at once and generate new recovery codes.
`,
    html: layout(
      brand,
      html`<p>Hello ${to.username},</p>
<p>Someone just signed in to your ${brand.productName} account with your password and one of your recovery codes. That code no longer works; ${left}.</p>
<p>If it was you, consider enrolling a new authenticator app or passkey, and new recovery codes.</p>
${button(accountLink, 'Manage my second factors')}
<p>If it was not you, someone knows your password and has your recovery codes: reset your password at once and generate new recovery codes.</p>`,
    ),
  };
}

/** An operator removed every second factor of the account (admin `mfa reset`) and ended its sessions. */
export function factorsResetMail(brand: Brand, to: { email: string; username: string }, accountLink: string): MailMessage {
  return {
    to: to.email,
    subject: `Your ${brand.productName} second factors were reset`,
    text: `Hello ${to.username},

An administrator removed every second factor of your ${brand.productName} account (authenticator app, passkeys, recovery codes) and ended all its sessions. You can now sign in with your password alone.

Enrol a second factor again: ${accountLink}

If you did not ask for this, contact your administrator and reset your password.
`,
    html: layout(
      brand,
      html`<p>Hello ${to.username},</p>
<p>An administrator removed every second factor of your ${brand.productName} account (authenticator app, passkeys, recovery codes) and ended all its sessions. You can now sign in with your password alone.</p>
${button(accountLink, 'Enrol a second factor')}
<p>If you did not ask for this, contact your administrator and reset your password.</p>`,
    ),
  };
}

/** What a mail says about the request that changed something: when, from which network and browser. */
export interface ChangeOrigin {
  at: Date;
  /** The network prefix (a /24 or /48), never the address. */
  network?: string;
  browser?: string;
}

function originLines(origin: ChangeOrigin): string[] {
  return [
    `When: ${origin.at.toISOString()}`,
    ...(origin.network ? [`Network: ${origin.network}`] : []),
    ...(origin.browser ? [`Browser: ${origin.browser}`] : []),
  ];
}

/** POST /me/password (or the account page) changed the password; "not you?" points at a reset. */
export function passwordChangedNoticeMail(
  brand: Brand,
  to: { email: string; username: string },
  change: ChangeOrigin & { otherSessionsEnded: boolean; forgotLink: string },
): MailMessage {
  const sessions = change.otherSessionsEnded ? 'Every other session of the account was signed out.' : 'Your other sessions stay signed in.';
  const lines = originLines(change);
  return {
    to: to.email,
    subject: `Your ${brand.productName} password was changed`,
    text: `Hello ${to.username},

The password of your ${brand.productName} account was just changed. ${sessions}

${lines.join('\n')}

Not you? Reset your password at once: ${change.forgotLink}
`,
    html: layout(
      brand,
      html`<p>Hello ${to.username},</p>
<p>The password of your ${brand.productName} account was just changed. ${sessions}</p>
<ul>${lines.map((line) => html`<li>${line}</li>`)}</ul>
<p>Not you? Reset your password at once:</p>
${button(change.forgotLink, 'Reset my password')}`,
    ),
  };
}

/** To the NEW address of a requested email change: the link that makes the change. */
export function emailChangeConfirmMail(brand: Brand, to: { email: string; username: string }, link: string, ttlHours: number): MailMessage {
  return {
    to: to.email,
    subject: `Confirm your new email address for ${brand.productName}`,
    text: `Hello ${to.username},

You asked to make this the email address of your ${brand.productName} account. To confirm, open:

${link}

The link works once, for ${ttlHours} hours. If you did not ask for this, ignore this mail: nothing changes.
`,
    html: layout(
      brand,
      html`<p>Hello ${to.username},</p>
<p>You asked to make this the email address of your ${brand.productName} account.</p>
${button(link, 'Confirm my new address')}
<p>The link works once, for ${ttlHours} hours. If you did not ask for this, ignore this mail: nothing changes.</p>`,
    ),
  };
}

/** To the OLD address once the change is made: the link that undoes it and signs everyone out. */
export function emailChangedMail(
  brand: Brand,
  to: { email: string; username: string },
  change: ChangeOrigin & { revertLink: string; revertDays: number },
): MailMessage {
  const lines = originLines(change);
  return {
    to: to.email,
    subject: `The email address of your ${brand.productName} account was changed`,
    text: `Hello ${to.username},

The email address of your ${brand.productName} account was just changed, and this address no longer belongs to it.

${lines.join('\n')}

Not you? This link puts this address back and signs every session out (it works once, for ${change.revertDays} days):

${change.revertLink}
`,
    html: layout(
      brand,
      html`<p>Hello ${to.username},</p>
<p>The email address of your ${brand.productName} account was just changed, and this address no longer belongs to it.</p>
<ul>${lines.map((line) => html`<li>${line}</li>`)}</ul>
<p>Not you? This link puts this address back and signs every session out (it works once, for ${change.revertDays} days):</p>
${button(change.revertLink, 'Undo the change')}`,
    ),
  };
}

/**
 * To the owner of an address another account asked to change to (REGISTRATION_DISCLOSURE=email,
 * where the requester heard the same 202 as for a free address).
 */
export function emailChangeAttemptMail(brand: Brand, to: { email: string; username: string }, forgotLink: string): MailMessage {
  return {
    to: to.email,
    subject: `Someone tried to move another ${brand.productName} account to your address`,
    text: `Hello ${to.username},

Someone signed in to another ${brand.productName} account just asked to make this address its own. It belongs to your account, so nothing changed.

If you have forgotten your password, choose a new one here: ${forgotLink}
`,
    html: layout(
      brand,
      html`<p>Hello ${to.username},</p>
<p>Someone signed in to another ${brand.productName} account just asked to make this address its own. It belongs to your account, so nothing changed.</p>
${button(forgotLink, 'Reset my password')}`,
    ),
  };
}

/** The account was deleted (DELETE /me, the account page, or an operator): sent to the address it had. */
export function accountDeletedMail(brand: Brand, to: { email: string; username: string }, byOperator: boolean): MailMessage {
  const who = byOperator ? 'An administrator deleted' : 'You deleted';
  return {
    to: to.email,
    subject: `Your ${brand.productName} account was deleted`,
    text: `Hello ${to.username},

${who} your ${brand.productName} account. Its profile, sessions, API tokens and second factors are gone, and the username and email address are free again. Only a record of its security events is kept, under a pseudonym, for the retention period.

If this was not you, contact your administrator at once.
`,
    html: layout(
      brand,
      html`<p>Hello ${to.username},</p>
<p>${who} your ${brand.productName} account. Its profile, sessions, API tokens and second factors are gone, and the username and email address are free again. Only a record of its security events is kept, under a pseudonym, for the retention period.</p>
<p>If this was not you, contact your administrator at once.</p>`,
    ),
  };
}
