// The account page's "Password" and "Email address" sections: change the password (the current
// one again; "keep me signed in elsewhere" unchecked, so by default every other session ends) and
// ask to change the address (the new one and the password; the change happens only when the link
// mailed to the new address is followed).
import { html } from '../support/html.ts';
import { ACCOUNT_PATH, type AccountSection } from './account-home.ts';

const hiddenFields = (csrf: string, action: string) => html`<input type="hidden" name="csrf_token" value="${csrf}">
<input type="hidden" name="action" value="${action}">`;

export function passwordSection(csrf: string, username: string): AccountSection {
  const content = html`<form method="post" action="${ACCOUNT_PATH}">
${hiddenFields(csrf, 'password_change')}
<input type="text" name="username" value="${username}" autocomplete="username" hidden disabled>
<label for="current-password">Current password</label>
<input id="current-password" name="current_password" type="password" autocomplete="current-password" required>
<label for="new-password">New password</label>
<input id="new-password" name="new_password" type="password" autocomplete="new-password" required aria-describedby="new-password-hint">
<p class="hint" id="new-password-hint">Long and not used anywhere else; the same rules as when you registered.</p>
<label class="check" for="keep-other-sessions"><input id="keep-other-sessions" name="keep_other_sessions" type="checkbox" value="yes">Keep me signed in on my other devices</label>
<p class="hint">Unchecked, every other session is signed out; this one stays.</p>
<button type="submit">Change the password</button>
</form>`;
  return { id: 'password', heading: 'Password', content };
}

export function emailSection(csrf: string, options: { email: string; newEmail?: string }): AccountSection {
  const content = html`<p>Now: <strong>${options.email}</strong>. We mail a link to the new address; the change happens when you follow it, and the old address is told, with a link that undoes it.</p>
<form method="post" action="${ACCOUNT_PATH}">
${hiddenFields(csrf, 'email_change')}
<label for="new-email">New email address</label>
<input id="new-email" name="new_email" type="email" autocomplete="email" maxlength="254" required value="${options.newEmail ?? ''}">
<label for="email-password">Password</label>
<input id="email-password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Change the email address</button>
</form>`;
  return { id: 'email', heading: 'Email address', content };
}
