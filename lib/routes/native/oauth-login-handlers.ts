// /oauth/login's operations (served by functions/oauth-login.ts): the hosted sign-in page of a
// pending authorization request. GET shows the form (login_hint prefilled); POST checks the
// password exactly as /login does (authenticate(): the same throttle, enumeration resistance and
// messages, the 'password' IP budget, device proofs), starts the browser session (single sign-on
// cookie) and continues the request: a code, or consent. An account with a second factor (or,
// under MFA_POLICY=required, without one) is asked for it first (./mfa-login-page-handlers.ts).
import type { AuthorizationRequest } from '../../domain/authorization-request.ts';
import { AppError, MfaEnrollmentRequiredError, MfaRequiredError } from '../../domain/errors.ts';
import { stepAnswer } from '../../http/authorization-step.ts';
import { readCookie, sessionCookieName, setCookie } from '../../http/browser-cookies.ts';
import { checkCsrf, csrfForForm } from '../../http/csrf.ts';
import { shownDeviceProof, withDeviceProof } from '../../http/device-proof.ts';
import { type Implementation, implement } from '../../http/endpoint.ts';
import { queryParameter } from '../../http/request.ts';
import { httpStatus } from '../../http/status.ts';
import type { HttpEvent } from '../../http/types.ts';
import { loginPage, withFlowErrorPages } from '../../pages/oauth-pages.ts';
import { authorize, pendingRequest, RequestGoneError } from '../../use-cases/authorize.ts';
import { currentBrowserSession, signInBrowser } from '../../use-cases/browser-sessions.ts';
import type { Dependencies } from '../../use-cases/dependencies.ts';
import { authenticate } from '../../use-cases/login.ts';
import { passkeyLoginOptions } from '../../use-cases/passkey-login.ts';
import { loginPurpose as purpose, secondStepPages } from './mfa-login-page-handlers.ts';
import { loginPageGet, loginPagePost } from './oauth-authorization.ts';

export function loginImplementations(deps: Dependencies): Implementation[] {
  const { config } = deps;
  const secondStep = secondStepPages(deps);

  async function clientOf(request: AuthorizationRequest) {
    const client = await deps.oauthClients.get(request.clientId);
    // A client deleted meanwhile: the request can no longer be answered.
    if (!client) throw new RequestGoneError();
    return client;
  }

  async function form(event: HttpEvent, request: AuthorizationRequest, clientName: string, extra: { login?: string; error?: AppError } = {}) {
    const csrf = csrfForForm(event, purpose(request.requestId), config.publicUrl);
    // Passwordless: a discoverable passkey's options, under a ceremony of their own (issue 17).
    const passkey = await passkeyLoginOptions({}, deps);
    const { error } = extra;
    const result = loginPage(config, {
      requestId: request.requestId,
      csrf: csrf.token,
      clientName,
      redirectUri: request.redirectUri,
      ...(passkey.ceremonyId ? { passkey: { ceremonyId: passkey.ceremonyId, options: passkey.options } } : {}),
      forgotPasswordUrl: config.oauth.forgotPasswordUrl ?? `${config.publicUrl.replace(/\/$/, '')}/password/forgot`,
      ...(config.oauth.registerUrl ? { registerUrl: config.oauth.registerUrl } : {}),
      ...((extra.login ?? request.loginHint) ? { login: extra.login ?? request.loginHint } : {}),
      ...(error ? { error: error.message, status: httpStatus(error) } : {}),
    });
    if (error?.retryAfterSeconds !== undefined) result.headers['retry-after'] = String(error.retryAfterSeconds);
    return { ...result, cookies: csrf.cookies };
  }

  return [
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
          // The page can ask for a second factor (and, under MFA_POLICY=required, enrol one).
          signedIn = await authenticate(
            { login, password: body!.password },
            deps,
            { deviceProof: shownDeviceProof(event), secondStep: 'ask', clientId: client.clientId },
            (user) => signInBrowser(user, ['pwd'], current && shownCookie ? { ...current, cookieValue: shownCookie } : undefined, deps),
          );
        } catch (error) {
          const mfaToken = error instanceof AppError ? error.members?.mfa_token : undefined;
          if (error instanceof MfaRequiredError && typeof mfaToken === 'string') return secondStep.askSecondFactor(event, request, client.name, mfaToken);
          if (error instanceof MfaEnrollmentRequiredError && typeof mfaToken === 'string')
            return secondStep.askEnrolment(event, request, client.name, mfaToken);
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
    secondStep.implementation(form),
  ];
}
