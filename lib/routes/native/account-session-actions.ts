// The account page's sessions: signing out one of the account's other sessions (endSession, as
// DELETE /me/sessions/{id}: its refresh tokens at once, its access tokens within a second), and
// signing out here, which ends this browser session and the OAuth clients' sessions started from it.
import { NotFoundError } from '../../domain/errors.ts';
import { clearCookie } from '../../http/browser-cookies.ts';
import type { HttpEvent, HttpResult } from '../../http/types.ts';
import { signedOutPage } from '../../pages/oauth-pages.ts';
import { endSession } from '../../use-cases/account-sessions.ts';
import { endBrowserSession, type SignedIn } from '../../use-cases/browser-sessions.ts';
import type { AccountContext } from './account-context.ts';
import type { AccountAction } from './account-page.ts';

type Action = (event: HttpEvent, signedIn: SignedIn, form: AccountAction) => Promise<HttpResult>;

export function sessionActions(context: AccountContext) {
  const { deps } = context;

  const signedOut = () => ({ ...signedOutPage(deps.config), cookies: [clearCookie(context.sessionCookie, deps.config.publicUrl)] });

  const sign_out: Action = async (_event, signedIn) => {
    await endBrowserSession(signedIn.session.sessionId, signedIn.user.id, deps);
    return signedOut();
  };

  const session_end: Action = async (event, signedIn, form) => {
    const sessionId = form.session_id ?? '';
    // This browser's own session: the same as "Sign out".
    if (sessionId === signedIn.session.sessionId) return sign_out(event, signedIn, form);
    try {
      await endSession(signedIn.user, sessionId, deps);
    } catch (error) {
      // Ended meanwhile, or never this user's: the same words either way.
      if (error instanceof NotFoundError) return context.refused(event, signedIn, 'sessions', 'That session is no longer signed in.');
      throw error;
    }
    return context.back('session_ended');
  };

  return { sign_out, session_end };
}
