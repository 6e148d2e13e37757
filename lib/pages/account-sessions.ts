// The account page's "Sessions" section: where the account is signed in (device and browser,
// network prefix, client, when it started and was last used), "This device" on the browser session
// showing the page, and a "Sign out" button on each.
import { html } from '../support/html.ts';
import type { SessionSummary } from '../use-cases/account-sessions.ts';
import { shownTime, shownUserAgent } from './account-format.ts';
import { type AccountSection, actionForm } from './account-home.ts';

const DIALECTS: Record<string, string> = {
  tcap: 'TCAP',
  eclecticiq: 'EclecticIQ',
  opentact: 'Opentact',
  minisass: 'miniSASS',
};

/** Which client the session belongs to, in words. */
export function shownClient(client: SessionSummary['client']): string {
  if (client.type === 'oauth') return `the app “${client.name ?? client.id ?? 'unknown'}”`;
  if (client.type === 'hosted') return 'this site, in a browser';
  if (client.type === 'native') return 'a sign-in through the API';
  return `${DIALECTS[client.type] ?? client.type}’s sign-in`;
}

export function sessionsSection(csrf: string, sessions: readonly SessionSummary[]): AccountSection {
  const content = sessions.length
    ? html`<ul class="items">${sessions.map(
        (
          session,
        ) => html`<li>${session.current ? html`<strong>This device</strong>: ` : ''}<strong>${shownUserAgent(session.userAgent)}</strong>, ${shownClient(session.client)}
<br>Network ${session.ipPrefix ?? 'unknown'}; started ${shownTime(session.createdAt)}, last used ${shownTime(session.lastUsedAt)}
${
  session.current
    ? actionForm(csrf, 'sign_out', 'Sign out on this device')
    : actionForm(csrf, 'session_end', `Sign out ${shownUserAgent(session.userAgent)}, started ${shownTime(session.createdAt)}`, { session_id: session.id })
}</li>`,
      )}</ul>`
    : html`<p>No other sessions.</p>`;
  return { id: 'sessions', heading: 'Sessions', content };
}
