// The account page's "Security events" section: the newest events (sign-ins, changes, ...) with
// when, from which network and browser, and a link to older ones (the store's cursor).
import type { SecurityEventWire } from '../http/security-event-view.ts';
import { html } from '../support/html.ts';
import { shownTime, shownUserAgent } from './account-format.ts';
import type { AccountSection } from './account-home.ts';

/** Each event type in words. */
const WORDS: Record<SecurityEventWire['type'], string> = {
  login_succeeded: 'Signed in',
  login_failed: 'A sign-in failed',
  login_locked_out: 'Sign-ins were paused after failed attempts',
  password_changed: 'Password changed',
  password_reset: 'Password reset',
  email_change_requested: 'Email change requested',
  email_change_completed: 'Email address changed',
  email_change_reverted: 'Email change undone',
  mfa_factor_added: 'Second factor added',
  mfa_factor_removed: 'Second factor removed',
  recovery_code_used: 'Recovery code used',
  recovery_codes_regenerated: 'New recovery codes',
  account_imported: 'Account imported',
  account_migrated: 'Account moved here at sign-in',
  api_token_created: 'API token created',
  api_token_deleted: 'API token deleted',
  session_ended: 'Session signed out',
  refresh_token_reused: 'A used refresh token came back: its session was ended',
  account_disabled: 'Account disabled',
  account_enabled: 'Account enabled',
  account_deleted: 'Account deleted',
};

export interface EventsSectionOptions {
  events: readonly SecurityEventWire[];
  /** The link to the next (older) page, when there is one. */
  olderHref?: string;
  /** Shown on an older page: back to the newest. */
  newestHref?: string;
}

export function eventsSection(options: EventsSectionOptions): AccountSection {
  const content = html`${
    options.events.length
      ? html`<ul class="items">${options.events.map(
          (event) => html`<li><strong>${WORDS[event.type] ?? event.type}</strong>: ${shownTime(Date.parse(event.at))}
<br>${event.ip_prefix ? `Network ${event.ip_prefix}, ` : ''}${event.channel === 'admin' ? 'by an administrator' : shownUserAgent(event.user_agent)}</li>`,
        )}</ul>`
      : html`<p>Nothing yet.</p>`
  }
${options.newestHref ? html`<p><a href="${options.newestHref}">Newest events</a></p>` : ''}
${options.olderHref ? html`<p><a href="${options.olderHref}">Older events</a></p>` : ''}`;
  return { id: 'events', heading: 'Security events', content };
}
