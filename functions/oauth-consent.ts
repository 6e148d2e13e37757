// /oauth/consent: a third-party client asks for scopes the user has not allowed it yet (or the
// client sent prompt=consent). GET shows what it asks for; POST Allow remembers the scopes and
// answers the client with a code, Deny with access_denied (OAuth 2.1 §4.1.2.1). Both need the
// browser session and the form's CSRF token.
import type { AuthorizationRequest } from '../lib/domain/authorization-request.ts';
import { stepAnswer } from '../lib/http/authorization-step.ts';
import { readCookie, sessionCookieName } from '../lib/http/browser-cookies.ts';
import { checkCsrf, csrfForForm } from '../lib/http/csrf.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { queryParameter } from '../lib/http/request.ts';
import { httpStatus } from '../lib/http/status.ts';
import type { HttpEvent } from '../lib/http/types.ts';
import { consentPage, oauthErrorPage, withFlowErrorPages } from '../lib/pages/oauth-pages.ts';
import { consentPageGet, consentPagePost, oauthConsentLambda } from '../lib/routes/native/oauth-authorization.ts';
import { authorize, denyRequest, pendingRequest, RequestGoneError } from '../lib/use-cases/authorize.ts';
import { currentBrowserSession } from '../lib/use-cases/browser-sessions.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();
const { config } = deps;
const purpose = (requestId: string) => `consent:${requestId}`;

/** The request, its client and the signed-in user; without a session the user signs in first. */
async function context(event: HttpEvent, requestId: string | undefined) {
  const request = await pendingRequest(requestId, deps);
  const client = await deps.oauthClients.get(request.clientId);
  if (!client) throw new RequestGoneError();
  const signedIn = await currentBrowserSession(readCookie(event, sessionCookieName(config.publicUrl)), deps);
  return { request, client, signedIn };
}

const toLogin = (request: AuthorizationRequest, status: 302 | 303) => stepAnswer({ kind: 'login', requestId: request.requestId }, status);

export const handler = serve(
  oauthConsentLambda,
  [
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
  ],
  { errorPage: (error) => oauthErrorPage(config, 'This form cannot be used', error.message, httpStatus(error)) },
);
