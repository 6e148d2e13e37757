// /oauth/consent's operations (served by functions/oauth-consent.ts): a third-party client asks for
// scopes the user has not allowed it yet (or the client sent prompt=consent). GET shows what it
// asks for; POST Allow remembers the scopes and answers the client with a code, Deny with
// access_denied (OAuth 2.1 §4.1.2.1). Both need the browser session and the form's CSRF token.
import type { AuthorizationRequest } from '../../domain/authorization-request.ts';
import { stepAnswer } from '../../http/authorization-step.ts';
import { readCookie, sessionCookieName } from '../../http/browser-cookies.ts';
import { checkCsrf, csrfForForm } from '../../http/csrf.ts';
import { type Implementation, implement } from '../../http/endpoint.ts';
import { queryParameter } from '../../http/request.ts';
import type { HttpEvent } from '../../http/types.ts';
import { consentPage, withFlowErrorPages } from '../../pages/oauth-pages.ts';
import { authorize, denyRequest, pendingRequest, RequestGoneError } from '../../use-cases/authorize.ts';
import { currentBrowserSession } from '../../use-cases/browser-sessions.ts';
import type { Dependencies } from '../../use-cases/dependencies.ts';
import { consentPageGet, consentPagePost } from './oauth-authorization.ts';

const purpose = (requestId: string) => `consent:${requestId}`;

const toLogin = (request: AuthorizationRequest, status: 302 | 303) => stepAnswer({ kind: 'login', requestId: request.requestId }, status);

export function consentImplementations(deps: Dependencies): Implementation[] {
  const { config } = deps;

  /** The request, its client and the signed-in user; without a session the user signs in first. */
  async function context(event: HttpEvent, requestId: string | undefined) {
    const request = await pendingRequest(requestId, deps);
    const client = await deps.oauthClients.get(request.clientId);
    if (!client) throw new RequestGoneError();
    const signedIn = await currentBrowserSession(readCookie(event, sessionCookieName(config.publicUrl)), deps);
    return { request, client, signedIn };
  }

  return [
    implement(consentPageGet, ({ event }) =>
      withFlowErrorPages(config, async () => {
        const { request, client, signedIn } = await context(event, queryParameter(event, 'request'));
        if (!signedIn) return toLogin(request, 302);
        const csrf = csrfForForm(event, purpose(request.requestId), config.publicUrl);
        const page = consentPage(config, {
          requestId: request.requestId,
          csrf: csrf.token,
          clientName: client.name,
          ...(client.clientUri ? { clientUri: client.clientUri } : {}),
          scopes: request.scopes,
          username: signedIn.user.username,
          redirectUri: request.redirectUri,
        });
        return { ...page, cookies: csrf.cookies };
      }),
    ),
    implement(consentPagePost, ({ event, body }) =>
      withFlowErrorPages(config, async () => {
        const { request, client, signedIn } = await context(event, body!.request);
        checkCsrf(event, body!.csrf_token, purpose(request.requestId), config.publicUrl);
        if (!signedIn) return toLogin(request, 303);
        if (body!.decision === 'deny') return stepAnswer(await denyRequest(request, deps), 303);
        // Remembered before the code is issued: the next request for these scopes asks no more (OIDC Core §3.1.2.4).
        await deps.consents.grant(signedIn.user.id, client.clientId, request.scopes, deps.clock.now());
        return stepAnswer(await authorize(request, client, signedIn, deps, { pending: request, consented: true }), 303);
      }),
    ),
  ];
}
