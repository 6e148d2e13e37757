// The account page's "API tokens" section (the user's live tokens, never a secret, a delete button
// each, and the form that creates one) and the page that shows a new token's secret, once.
import type { ApiTokenRecord } from '../domain/api-token.ts';
import { html } from '../support/html.ts';
import { shownDay } from './account-format.ts';
import { ACCOUNT_PATH, type AccountSection, actionForm } from './account-home.ts';
import { notice, page } from './layout.ts';

interface Brand {
  productName: string;
}

const DAY = 86_400;
/** The lifetimes offered, in days; those above API_TOKEN_MAX_TTL are left out. */
const LIFETIME_DAYS = [7, 30, 90, 365] as const;

export const TOKEN_NAME_MAX = 100;

export interface TokensSectionOptions {
  csrf: string;
  tokens: readonly ApiTokenRecord[];
  maxTtlSeconds: number;
  defaultTtlSeconds: number;
  /** The name typed before a refusal, shown again. */
  name?: string;
}

export function tokensSection(options: TokensSectionOptions): AccountSection {
  const { csrf, tokens } = options;
  const lifetimes = LIFETIME_DAYS.map((days) => days * DAY).filter((seconds) => seconds <= options.maxTtlSeconds);
  if (!lifetimes.length) lifetimes.push(options.maxTtlSeconds);
  const chosen = lifetimes.includes(options.defaultTtlSeconds) ? options.defaultTtlSeconds : lifetimes[0];
  const content = html`<p>An API token lets a program act as you. Treat it like a password.</p>
${
  tokens.length
    ? html`<ul class="items">${tokens.map(
        (token) => html`<li><strong>${token.name}</strong>: created ${shownDay(token.createdAt)}, expires ${shownDay(token.expiresAt * 1000)}, ${
          token.lastUsedAt ? `last used ${shownDay(token.lastUsedAt)}` : 'never used'
        }
${actionForm(csrf, 'token_delete', `Delete ${token.name}`, { token_id: token.id })}</li>`,
      )}</ul>`
    : html`<p>None yet.</p>`
}
<h3>New token</h3>
<form method="post" action="${ACCOUNT_PATH}">
<input type="hidden" name="csrf_token" value="${csrf}">
<input type="hidden" name="action" value="token_create">
<label for="token-name">Token name</label>
<input id="token-name" name="name" type="text" maxlength="${TOKEN_NAME_MAX}" required value="${options.name ?? ''}" aria-describedby="token-name-hint">
<p class="hint" id="token-name-hint">What it is for, e.g. “CI deploys”.</p>
<label for="token-ttl">Expires after</label>
<select id="token-ttl" name="ttl">${lifetimes.map(
    (seconds) => html`<option value="${String(seconds)}"${seconds === chosen ? html` selected` : ''}>${lifetimeText(seconds)}</option>`,
  )}</select>
<button type="submit">Create the token</button>
</form>`;
  return { id: 'api-tokens', heading: 'API tokens', content };
}

const lifetimeText = (seconds: number) => (seconds % DAY === 0 ? `${seconds / DAY} days` : `${seconds} seconds`);

/** The new token's secret, shown once: the page says so, and nothing else ever shows it again. */
export function tokenCreatedPage(brand: Brand, options: { name: string; token: string; expiresAt: number; backHref: string }) {
  return page({
    ...brand,
    title: 'Your new API token',
    body: html`${notice('ok', html`The token “${options.name}” was created. It expires on ${shownDay(options.expiresAt * 1000)}.`)}
<p>Copy it now and keep it somewhere safe: it will not be shown again.</p>
<p><code class="secret" id="api-token-secret" aria-label="The new API token">${options.token}</code></p>
<p><a href="${options.backHref}">Back to your account</a></p>`,
  });
}
