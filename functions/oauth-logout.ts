// /oauth/logout, the end_session_endpoint (RP-Initiated Logout 1.0 §2-§3): GET or POST with
// id_token_hint, client_id, post_logout_redirect_uri, state. With a valid hint for the signed-in
// user it signs out at once; otherwise it asks (a form with a CSRF token). Signing out ends the
// browser session and every session its clients got, and clears the cookie; the browser then
// goes to the registered post_logout_redirect_uri, or sees that it is signed out.
import { redirectTo } from '../lib/http/authorization-step.ts';
import { clearCookie, readCookie, sessionCookieName } from '../lib/http/browser-cookies.ts';
import { checkCsrf, csrfForForm } from '../lib/http/csrf.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { queryParameter } from '../lib/http/request.ts';
import { httpStatus } from '../lib/http/status.ts';
import type { HttpEvent, HttpResult } from '../lib/http/types.ts';
import { logoutConfirmPage, oauthErrorPage, signedOutPage, withFlowErrorPages } from '../lib/pages/oauth-pages.ts';
import { logoutGet, logoutPost, oauthLogoutLambda } from '../lib/routes/native/oauth-authorization.ts';
import { currentBrowserSession } from '../lib/use-cases/browser-sessions.ts';
import { type LogoutParameters, performLogout, planLogout } from '../lib/use-cases/end-session.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();
const { config } = deps;
const PURPOSE = 'logout';

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

export const handler = serve(
  oauthLogoutLambda,
  [
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
  ],
  { errorPage: (error) => oauthErrorPage(config, 'This form cannot be used', error.message, httpStatus(error)) },
);
