// /oauth/login: the hosted sign-in page of a pending authorization request. GET shows the form
// (login_hint prefilled); POST checks the password exactly as /login does (authenticate(): the
// same throttle, enumeration resistance and messages, the 'password' IP budget, device proofs),
// starts the browser session (single sign-on cookie) and continues the request: a code, or consent.

import type { AuthorizationRequest } from '../lib/domain/authorization-request.ts';
import { AppError } from '../lib/domain/errors.ts';
import { stepAnswer } from '../lib/http/authorization-step.ts';
import { readCookie, sessionCookieName, setCookie } from '../lib/http/browser-cookies.ts';
import { checkCsrf, csrfForForm } from '../lib/http/csrf.ts';
import { shownDeviceProof, withDeviceProof } from '../lib/http/device-proof.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { queryParameter } from '../lib/http/request.ts';
import { httpStatus } from '../lib/http/status.ts';
import type { HttpEvent } from '../lib/http/types.ts';
import { loginPage, oauthErrorPage, withFlowErrorPages } from '../lib/pages/oauth-pages.ts';
import { loginPageGet, loginPagePost, oauthLoginLambda } from '../lib/routes/native/oauth-authorization.ts';
import { authorize, pendingRequest, RequestGoneError } from '../lib/use-cases/authorize.ts';
import { currentBrowserSession, signInBrowser } from '../lib/use-cases/browser-sessions.ts';
import { authenticate } from '../lib/use-cases/login.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();
const { config } = deps;
const purpose = (requestId: string) => `login:${requestId}`;

async function clientOf(request: AuthorizationRequest) {
  const client = await deps.oauthClients.get(request.clientId);
  // A client deleted meanwhile: the request can no longer be answered.
  if (!client) throw new RequestGoneError();
  return client;
}

function form(event: HttpEvent, request: AuthorizationRequest, clientName: string, extra: { login?: string; error?: AppError } = {}) {
  const csrf = csrfForForm(event, purpose(request.requestId), config.publicUrl);
  const { error } = extra;
  const result = loginPage(config, {
    requestId: request.requestId,
    csrf: csrf.token,
    clientName,
    redirectUri: request.redirectUri,
    forgotPasswordUrl: config.oauth.forgotPasswordUrl ?? `${config.publicUrl.replace(/\/$/, '')}/password/forgot`,
    ...(config.oauth.registerUrl ? { registerUrl: config.oauth.registerUrl } : {}),
    ...((extra.login ?? request.loginHint) ? { login: extra.login ?? request.loginHint } : {}),
    ...(error ? { error: error.message, status: httpStatus(error) } : {}),
  });
  if (error?.retryAfterSeconds !== undefined) result.headers['retry-after'] = String(error.retryAfterSeconds);
  return { ...result, cookies: csrf.cookies };
}

export const handler = serve(
  oauthLoginLambda,
  [
    implement(loginPageGet, ({ event }) =>
      withFlowErrorPages(config, async () => {
        const request = await pendingRequest(queryParameter(event, 'request'), deps);
        return form(event, request, (await clientOf(request)).name);
      }),
    ),
    implement(loginPagePost, ({ event, body }) =>
      withFlowErrorPages(config, async () => {
        const request = await pendingRequest(body!.request, deps);
        checkCsrf(event, body!.csrf_token, purpose(request.requestId), config.publicUrl);
        const client = await clientOf(request);
        const login = body!.username.trim();
        const shownCookie = readCookie(event, sessionCookieName(config.publicUrl));
        const current = await currentBrowserSession(shownCookie, deps);
        let signedIn: Awaited<ReturnType<typeof authenticate<Awaited<ReturnType<typeof signInBrowser>>>>>;
        try {
          // RFC 8176 `pwd`: the password was checked.
          signedIn = await authenticate({ login, password: body!.password }, deps, { deviceProof: shownDeviceProof(event) }, (user) =>
            signInBrowser(user, ['pwd'], current && shownCookie ? { ...current, cookieValue: shownCookie } : undefined, deps),
          );
        } catch (error) {
          // The same refusals and words as /login (wrong password or unknown user alike, throttled, disabled).
          if (error instanceof AppError && error.code !== 'service_unavailable') return form(event, request, client.name, { login, error });
          throw error;
        }
        const { session, cookieValue } = signedIn.result;
        const step = await authorize(request, client, { session, user: signedIn.user }, deps, { pending: request, justAuthenticated: true });
        const cookie = setCookie(sessionCookieName(config.publicUrl), cookieValue, {
          publicUrl: config.publicUrl,
          maxAgeSeconds: config.oauth.browserSessionTtlSeconds,
          sameSite: 'Lax',
        });
        return withDeviceProof(stepAnswer(step, 303, [cookie]), event, signedIn.deviceProof, config.loginThrottle.deviceProofTtlSeconds);
      }),
    ),
  ],
  {
    ipBudget: (scope) => ipBudget(scope, deps),
    // A form the schema refuses (a browser's submission): our page rather than JSON.
    errorPage: (error) => oauthErrorPage(config, 'This form cannot be used', error.message, httpStatus(error)),
  },
);
