// The hosted OAuth pages: sign in, allow an application, sign out, and the error page for requests
// that cannot be sent back to an application. Plain HTML forms that work without JavaScript, with
// the attributes password managers look for (autocomplete username / current-password). The login
// page's "Use a passkey instead" button is the one part that needs JavaScript (./passkey-script.ts).
import { CsrfError } from '../http/csrf.ts';
import type { ErrorPage } from '../http/middlewares/page-errors.ts';
import { httpStatus } from '../http/status.ts';
import type { HttpResult } from '../http/types.ts';
import { html } from '../support/html.ts';
import { RequestGoneError } from '../use-cases/authorize.ts';
import { notice, page, passwordFields } from './layout.ts';
import { jsonData, passkeyButton } from './mfa-pages.ts';
import { WEBAUTHN_SCRIPTS } from './script-paths.ts';

interface Brand {
  productName: string;
}

/** CSP form-action sources for a redirect URI: its origin, or its scheme for a native app's private-use scheme. */
export function formTargetsOf(uri: string | undefined): string[] {
  if (!uri) return [];
  try {
    const url = new URL(uri);
    return url.protocol === 'https:' || url.protocol === 'http:' ? [url.origin] : [url.protocol];
  } catch {
    return [];
  }
}

export interface LoginPageOptions {
  requestId: string;
  csrf: string;
  clientName: string;
  /** Prefills the login field (OIDC login_hint, or what was typed). */
  login?: string;
  error?: string;
  status?: number;
  forgotPasswordUrl: string;
  registerUrl?: string;
  redirectUri: string;
  retryAfterSeconds?: number;
  /** Passwordless sign-in with a discoverable passkey: the ceremony and its request options. */
  passkey?: { ceremonyId: string; options: unknown };
}

export function loginPage(brand: Brand, options: LoginPageOptions) {
  const { error, passkey } = options;
  return page({
    ...brand,
    title: 'Sign in',
    status: options.status ?? 200,
    formTargets: formTargetsOf(options.redirectUri),
    ...(passkey ? { scripts: WEBAUTHN_SCRIPTS } : {}),
    body: html`<p>to continue to <strong>${options.clientName}</strong></p>
${error ? notice('bad', error) : ''}
<form method="post" action="/oauth/login">
<input type="hidden" name="request" value="${options.requestId}">
<input type="hidden" name="csrf_token" value="${options.csrf}">
${passwordFields(options.login, Boolean(error))}
<button type="submit">Sign in</button>
</form>
${
  passkey
    ? html`${jsonData('passkey-sign-in-options', passkey.options)}
<form method="post" action="/oauth/login/mfa">
<input type="hidden" name="request" value="${options.requestId}">
<input type="hidden" name="csrf_token" value="${options.csrf}">
<input type="hidden" name="step" value="passkey">
<input type="hidden" name="ceremony_id" value="${passkey.ceremonyId}">
${passkeyButton('authenticate', 'Use a passkey instead', 'passkey-sign-in-options', 'passkey-sign-in-status')}
</form>`
    : ''
}
<p><a href="${options.forgotPasswordUrl}">Forgot your password?</a></p>
${options.registerUrl ? html`<p>New here? <a href="${options.registerUrl}">Create an account</a></p>` : ''}`,
  });
}

/** OIDC Core §5.4: what each standard scope lets the application see, in words. */
const SCOPE_WORDS: Record<string, string> = {
  openid: 'Know who you are on this service',
  profile: 'See your username and name',
  email: 'See your email address',
};

export interface ConsentPageOptions {
  requestId: string;
  csrf: string;
  clientName: string;
  clientUri?: string;
  scopes: string[];
  username: string;
  redirectUri: string;
}

export function consentPage(brand: Brand, options: ConsentPageOptions) {
  return page({
    ...brand,
    title: 'Allow access?',
    formTargets: formTargetsOf(options.redirectUri),
    body: html`<p><strong>${options.clientName}</strong>${options.clientUri ? html` (<a href="${options.clientUri}" rel="noopener noreferrer">${options.clientUri}</a>)` : ''} asks to:</p>
<ul>${options.scopes.map((scope) => html`<li>${SCOPE_WORDS[scope] ?? html`Use <code>${scope}</code> on your behalf`}</li>`)}</ul>
<p class="hint">Signed in as ${options.username}.</p>
<form method="post" action="/oauth/consent">
<input type="hidden" name="request" value="${options.requestId}">
<input type="hidden" name="csrf_token" value="${options.csrf}">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  });
}

export interface LogoutConfirmOptions {
  csrf: string;
  clientId?: string;
  postLogoutRedirectUri?: string;
  state?: string;
  /** The redirect URI was checked (registered): the form's redirect may go there. */
  redirectTarget?: string;
}

export function logoutConfirmPage(brand: Brand, options: LogoutConfirmOptions) {
  const hidden = (name: string, value: string | undefined) => (value === undefined ? '' : html`<input type="hidden" name="${name}" value="${value}">`);
  return page({
    ...brand,
    title: 'Sign out?',
    formTargets: formTargetsOf(options.redirectTarget),
    body: html`<p>Do you want to sign out of ${brand.productName}? Applications you signed in to through it will need you to sign in again.</p>
<form method="post" action="/oauth/logout">
<input type="hidden" name="csrf_token" value="${options.csrf}">
${hidden('client_id', options.clientId)}${hidden('post_logout_redirect_uri', options.postLogoutRedirectUri)}${hidden('state', options.state)}
<button type="submit" name="decision" value="logout">Sign out</button>
</form>`,
  });
}

export function signedOutPage(brand: Brand) {
  return page({
    ...brand,
    title: 'Signed out',
    body: html`${notice('ok', 'You are signed out.')}
<p>You can close this page.</p>`,
  });
}

/** A request we cannot answer to an application: an unknown client, an unregistered redirect URI, a spent request, a refused form. */
export function oauthErrorPage(brand: Brand, title: string, message: string, status = 400) {
  return page({
    ...brand,
    title,
    status,
    body: html`${notice('bad', message)}
<p>Nothing has been sent to the application. Go back to it and try again.</p>`,
  });
}

/** The page for an error of the OAuth pages' flow (a spent request, a refused form), or undefined for others. */
export function flowErrorPage(brand: Brand, error: unknown) {
  if (error instanceof RequestGoneError) return oauthErrorPage(brand, 'This sign-in request has ended', error.message);
  if (error instanceof CsrfError) return oauthErrorPage(brand, 'This form cannot be used', error.message, 403);
  return undefined;
}

/** Runs `run`, answering flowErrorPage's errors with their page whatever the client asked for. */
export async function withFlowErrorPages(brand: Brand, run: () => Promise<HttpResult>): Promise<HttpResult> {
  try {
    return await run();
  } catch (error) {
    const answer = flowErrorPage(brand, error);
    if (answer) return answer;
    throw error;
  }
}

/** The hosted OAuth forms' page for a submission the declared schema refuses (a browser's form): ours rather than JSON. */
export const formErrorPage =
  (brand: Brand): ErrorPage =>
  (error) =>
    oauthErrorPage(brand, 'This form cannot be used', error.message, httpStatus(error));
