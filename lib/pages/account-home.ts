// The hosted account page (/account) of the browser's signed-in user: its frame, built from
// sections (each in its own file: account-profile.ts, account-factors.ts, account-tokens.ts, ...),
// the small form every action posts, and the page's sign-in form (the password; the second step is
// ./mfa-pages.ts). Plain forms; only the passkey button needs JavaScript.
import { html, type SafeHtml } from '../support/html.ts';
import { notice, page, passwordFields } from './layout.ts';

interface Brand {
  productName: string;
}

export const ACCOUNT_PATH = '/account';
export const ACCOUNT_SIGN_IN_PATH = '/account/sign-in';

export interface AccountSignInOptions {
  csrf: string;
  login?: string;
  /** Why the form is shown: a sign-in (default) or a step-up before a sensitive change. */
  reason?: 'sign-in' | 'step-up';
  error?: string;
  status?: number;
}

/** The password form of the account page; also the step-up re-authentication (the login prefilled). */
export function accountSignInPage(brand: Brand, options: AccountSignInOptions) {
  const { error } = options;
  const stepUp = options.reason === 'step-up';
  return page({
    ...brand,
    title: stepUp ? 'Confirm it’s you' : 'Sign in to your account',
    status: options.status ?? 200,
    body: html`${stepUp ? html`<p>This change needs a recent sign-in with your password (and your second factor, if you have one).</p>` : ''}
${error ? notice('bad', error) : ''}
<form method="post" action="${ACCOUNT_SIGN_IN_PATH}">
<input type="hidden" name="csrf_token" value="${options.csrf}">
<input type="hidden" name="step" value="password">
${passwordFields(options.login, Boolean(error))}
<button type="submit">${stepUp ? 'Confirm' : 'Sign in'}</button>
</form>`,
  });
}

/** One section of the account page: a heading and its content. */
export interface AccountSection {
  id: string;
  heading: string;
  content: SafeHtml;
}

/** What the last action did, said in the section it belongs to (or above them all). */
export interface AccountMessage {
  kind: 'ok' | 'bad';
  text: string;
  /** The id of the section it belongs to. */
  section?: string;
}

export interface AccountPageOptions {
  username: string;
  csrf: string;
  sections: AccountSection[];
  message?: AccountMessage;
  status?: number;
}

/** A small form posting one action of the account page. */
export function actionForm(csrf: string, action: string, label: string, extra: Record<string, string> = {}, buttonClass = 'secondary') {
  return html`<form method="post" action="${ACCOUNT_PATH}">
<input type="hidden" name="csrf_token" value="${csrf}">
<input type="hidden" name="action" value="${action}">
${Object.entries(extra).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<button type="submit" class="${buttonClass}">${label}</button>
</form>`;
}

export function accountPage(brand: Brand, options: AccountPageOptions) {
  const { message } = options;
  const inSection = message?.section !== undefined && options.sections.some((section) => section.id === message.section);
  return page({
    ...brand,
    title: 'Your account',
    status: options.status ?? 200,
    body: html`${message && !inSection ? notice(message.kind, message.text) : ''}
<p>Signed in as <strong>${options.username}</strong>.</p>
${options.sections.map(
  (section) => html`<section id="${section.id}" aria-labelledby="${section.id}-heading">
<h2 id="${section.id}-heading">${section.heading}</h2>
${message && inSection && message.section === section.id ? notice(message.kind, message.text) : ''}
${section.content}
</section>
`,
)}
<section id="sign-out" aria-label="Sign out">${actionForm(options.csrf, 'sign_out', 'Sign out')}</section>`,
  });
}
