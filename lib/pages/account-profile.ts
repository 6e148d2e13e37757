// The account page's "Profile" section: who the account is (username, email and whether it is
// verified, when it was created). Read-only: the email has its own section to change it.
import type { User } from '../domain/user.ts';
import { html } from '../support/html.ts';
import { shownDay } from './account-format.ts';
import type { AccountSection } from './account-home.ts';

export function profileSection(user: Pick<User, 'username' | 'email' | 'emailVerified' | 'createdAt'>): AccountSection {
  const created = Date.parse(user.createdAt);
  const content = html`<dl>
<dt>Username</dt><dd>${user.username}</dd>
<dt>Email</dt><dd>${user.email} (${user.emailVerified ? 'verified' : 'not verified yet'})</dd>
<dt>Member since</dt><dd>${Number.isNaN(created) ? 'unknown' : shownDay(created)}</dd>
</dl>`;
  return { id: 'profile', heading: 'Profile', content };
}
