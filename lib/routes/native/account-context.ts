// What every part of the account page's handlers shares: the browser session behind a request, the
// CSRF token of the signed-in page's forms (tied to that session), the step-up facts of the session,
// and the two ways an action answers: the page again (with a message, after a refusal: the form's
// values are still there) or a 303 back to /account#<section> with a fixed "done" key (after a
// success, so a reload never posts twice).
import { AppError, StepUpRequiredError } from '../../domain/errors.ts';
import { redirectTo } from '../../http/authorization-step.ts';
import { readCookie, sessionCookieName } from '../../http/browser-cookies.ts';
import { csrfForForm } from '../../http/csrf.ts';
import { httpStatus } from '../../http/status.ts';
import type { HttpEvent, HttpResult } from '../../http/types.ts';
import { ACCOUNT_PATH, type AccountMessage } from '../../pages/account-home.ts';
import { currentBrowserSession, type SignedIn } from '../../use-cases/browser-sessions.ts';
import type { Dependencies } from '../../use-cases/dependencies.ts';
import type { RecentAuthentication } from '../../use-cases/step-up.ts';

/** The CSRF purposes: the sign-in forms, and the signed-in page's forms (tied to the session). */
export const SIGN_IN_PURPOSE = 'account-sign-in';
export const actionsPurpose = (signedIn: SignedIn) => `account:${signedIn.session.sessionId}`;

/** What a successful action did, shown after the redirect: a fixed text per key, never text from the URL. */
export const DONE = {
  totp_added: { section: 'two-step', text: 'Your authenticator app is set up.' },
  passkey_added: { section: 'two-step', text: 'The passkey was added.' },
  recovery_codes_renewed: { section: 'two-step', text: 'You have new recovery codes: the old ones no longer work.' },
  token_created: { section: 'api-tokens', text: 'The API token was created.' },
  totp_removed: { section: 'two-step', text: 'The authenticator app was removed.' },
  passkey_removed: { section: 'two-step', text: 'The passkey was removed.' },
  token_deleted: { section: 'api-tokens', text: 'The API token was deleted: it no longer works.' },
  password_changed: { section: 'password', text: 'Your password was changed. We mailed you a note.' },
  password_changed_all: { section: 'password', text: 'Your password was changed, and every other session was signed out. We mailed you a note.' },
  email_change_requested: {
    section: 'email',
    text: 'Check your new inbox: we mailed a link to the new address, and the change happens when you follow it.',
  },
  session_ended: { section: 'sessions', text: 'The session was signed out: it can no longer be used.' },
} as const satisfies Record<string, { section: string; text: string }>;
export type DoneKey = keyof typeof DONE;

/** How the page is drawn: a message, the status, and what a refused form had typed. */
export interface HomeOptions {
  message?: AccountMessage;
  status?: number;
  /** Values to show again in a form after a refusal (never a password). */
  typed?: { tokenName?: string; newEmail?: string };
  /** The security events page to show (a cursor from the "Older events" link). */
  eventsCursor?: string;
}

export interface AccountContext {
  deps: Dependencies;
  sessionCookie: string;
  session(event: HttpEvent): Promise<SignedIn | undefined>;
  recentOf(signedIn: SignedIn): RecentAuthentication;
  actionCsrf(event: HttpEvent, signedIn: SignedIn): { token: string; cookies: string[] };
  withCookies(result: HttpResult, cookies: string[]): HttpResult;
  /** The signed-in page. */
  home(event: HttpEvent, signedIn: SignedIn, options?: HomeOptions): Promise<HttpResult>;
  /** 303 to the page's section, saying what was done. */
  back(done: DoneKey): HttpResult;
  /**
   * The link back to the page from a page an action showed (recovery codes, a new token). It has a
   * query, so it is never the same document plus a fragment (the action's page has /account's URL,
   * and a browser would only scroll).
   */
  backHref(done: DoneKey): string;
  /** The page again, 400, with the refusal said in `section`. */
  refused(event: HttpEvent, signedIn: SignedIn, section: string, text: string, typed?: HomeOptions['typed']): Promise<HttpResult>;
  /**
   * The page again after a use case's refusal (a 4xx AppError: a wrong password 401, the throttle's
   * 429 with Retry-After, a field's 400), said in `section`; anything else is thrown on.
   */
  refusedBy(error: unknown, event: HttpEvent, signedIn: SignedIn, section: string, typed?: HomeOptions['typed']): Promise<HttpResult>;
}

/** A refusal in words: a field's first problem, or the error's message. */
function refusalText(error: AppError): string {
  const first = error.errors?.[0];
  return first ? `${FIELD_NAMES[first.field] ?? first.field}: ${first.message}` : error.message;
}

/** The page's names of the fields a use case names. */
const FIELD_NAMES: Record<string, string> = {
  current_password: 'Current password',
  new_password: 'New password',
  new_email: 'New email address',
  password: 'Password',
  name: 'Name',
};

export function accountContext(
  deps: Dependencies,
  home: (context: AccountContext, event: HttpEvent, signedIn: SignedIn, options: HomeOptions) => Promise<HttpResult>,
): AccountContext {
  const { config } = deps;
  const sessionCookie = sessionCookieName(config.publicUrl);
  const context: AccountContext = {
    deps,
    sessionCookie,
    session: (event) => currentBrowserSession(readCookie(event, sessionCookie), deps),
    recentOf: (signedIn) => ({ authTime: signedIn.session.authTime, amr: signedIn.session.amr }),
    actionCsrf: (event, signedIn) => csrfForForm(event, actionsPurpose(signedIn), config.publicUrl),
    withCookies: (result, cookies) => ({ ...result, cookies: [...(result.cookies ?? []), ...cookies] }),
    home: (event, signedIn, options = {}) => home(context, event, signedIn, options),
    back: (done) => redirectTo(context.backHref(done), 303),
    backHref: (done) => `${ACCOUNT_PATH}?done=${done}#${DONE[done].section}`,
    refused: (event, signedIn, section, text, typed) =>
      home(context, event, signedIn, { message: { kind: 'bad', text, section }, status: 400, ...(typed ? { typed } : {}) }),
    refusedBy: async (error, event, signedIn, section, typed) => {
      if (!(error instanceof AppError) || error instanceof StepUpRequiredError || error.code === 'service_unavailable') throw error;
      const result = await home(context, event, signedIn, {
        message: { kind: 'bad', text: refusalText(error), section },
        status: httpStatus(error),
        ...(typed ? { typed } : {}),
      });
      if (error.retryAfterSeconds !== undefined) result.headers['retry-after'] = String(error.retryAfterSeconds);
      return result;
    },
  };
  return context;
}
