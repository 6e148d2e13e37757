// Deleting the account from the account page: the section's button, the confirmation page (what
// goes, what stays, the password) and the page after it (the browser is signed out).
import { html } from '../support/html.ts';
import { ACCOUNT_PATH, type AccountSection, actionForm } from './account-home.ts';
import { notice, page } from './layout.ts';

interface Brand {
  productName: string;
}

const WHAT_GOES =
  'Your profile, sessions, API tokens and second factors are deleted, and your username and email address become free. Only a record of your security events is kept, under a pseudonym, for the retention period.';

export function deleteSection(csrf: string): AccountSection {
  const content = html`<p>${WHAT_GOES}</p>
${actionForm(csrf, 'account_delete_start', 'Delete my account…')}`;
  return { id: 'delete', heading: 'Delete account', content };
}

export function deleteConfirmPage(brand: Brand, options: { csrf: string; error?: string; status?: number }) {
  return page({
    ...brand,
    title: 'Delete your account?',
    status: options.status ?? 200,
    body: html`${options.error ? notice('bad', options.error) : ''}
<p>${WHAT_GOES}</p>
<p><strong>This cannot be undone.</strong></p>
<form method="post" action="${ACCOUNT_PATH}">
<input type="hidden" name="csrf_token" value="${options.csrf}">
<input type="hidden" name="action" value="account_delete">
<label for="delete-password">Password</label>
<input id="delete-password" name="password" type="password" autocomplete="current-password" required ${options.error ? html`aria-invalid="true"` : ''}>
<button type="submit" class="danger">Delete my account for good</button>
</form>
<p><a href="${ACCOUNT_PATH}">Keep my account</a></p>`,
  });
}

export function accountDeletedPage(brand: Brand) {
  return page({
    ...brand,
    title: 'Your account was deleted',
    body: html`${notice('ok', 'Your account is gone, and this browser is signed out.')}
<p>We mailed a note to the address the account had.</p>`,
  });
}
