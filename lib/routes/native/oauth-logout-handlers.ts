// /oauth/logout's operations, the end_session_endpoint (RP-Initiated Logout 1.0 §2-§3; served by
// functions/oauth-logout.ts): GET or POST with id_token_hint, client_id, post_logout_redirect_uri,
// state. With a valid hint for the signed-in user it signs out at once; otherwise it asks (a form
// with a CSRF token). Signing out ends the browser session and every session its clients got, and
// clears the cookie; the browser then goes to the registered post_logout_redirect_uri, or sees that
// it is signed out.
import { redirectTo } from '../../http/authorization-step.ts';
import { clearCookie, readCookie, sessionCookieName } from '../../http/browser-cookies.ts';
import { checkCsrf, csrfForForm } from '../../http/csrf.ts';
import { type Implementation, implement } from '../../http/endpoint.ts';
import { queryParameter } from '../../http/request.ts';
import type { HttpEvent, HttpResult } from '../../http/types.ts';
import { logoutConfirmPage, signedOutPage, withFlowErrorPages } from '../../pages/oauth-pages.ts';
import { currentBrowserSession } from '../../use-cases/browser-sessions.ts';
import type { Dependencies } from '../../use-cases/dependencies.ts';
import { type LogoutParameters, performLogout, planLogout } from '../../use-cases/end-session.ts';
import { logoutGet, logoutPost } from './oauth-authorization.ts';

const PURPOSE = 'logout';

export function logoutImplementations(deps: Dependencies): Implementation[] {
  const { config } = deps;

  async function logout(event: HttpEvent, params: LogoutParameters, confirmed: boolean, status: 302 | 303): Promise<HttpResult> {
    const signedIn = await currentBrowserSession(readCookie(event, sessionCookieName(config.publicUrl)), deps);
    const plan = await planLogout(params, signedIn, deps);
    if (!confirmed && !plan.immediate) {
      const csrf = csrfForForm(event, PURPOSE, config.publicUrl);
      const page = logoutConfirmPage(config, {
        csrf: csrf.token,
        ...(params.clientId ? { clientId: params.clientId } : {}),
        ...(params.postLogoutRedirectUri ? { postLogoutRedirectUri: params.postLogoutRedirectUri } : {}),
        ...(params.state ? { state: params.state } : {}),
        ...(plan.redirect ? { redirectTarget: plan.redirect } : {}),
      });
      return { ...page, cookies: csrf.cookies };
    }
    await performLogout(signedIn, plan.hint, deps);
    const cookies = [clearCookie(sessionCookieName(config.publicUrl), config.publicUrl)];
    if (plan.redirect) return redirectTo(plan.redirect, status, cookies);
    return { ...signedOutPage(config), cookies };
  }

  return [
    implement(logoutGet, ({ event }) =>
      logout(
        event,
        {
          idTokenHint: queryParameter(event, 'id_token_hint'),
          clientId: queryParameter(event, 'client_id'),
          postLogoutRedirectUri: queryParameter(event, 'post_logout_redirect_uri'),
          state: queryParameter(event, 'state'),
        },
        false,
        302,
      ),
    ),
    implement(logoutPost, ({ event, body }) =>
      withFlowErrorPages(config, async () => {
        const params = {
          idTokenHint: body?.id_token_hint,
          clientId: body?.client_id,
          postLogoutRedirectUri: body?.post_logout_redirect_uri,
          state: body?.state,
        };
        // Our confirmation form: only with its CSRF token. Otherwise a relying party's POST (§2), as GET.
        const confirmed = body?.decision === 'logout';
        if (confirmed) checkCsrf(event, body?.csrf_token, PURPOSE, config.publicUrl);
        return logout(event, params, confirmed, 303);
      }),
    ),
  ];
}
