// The OAuth login page's second step (POST /oauth/login/mfa, served by functions/oauth-login.ts):
// after the right password, an account with a factor is asked for it here (a code from the app, a
// passkey, a recovery code); under MFA_POLICY=required an account without one enrols an
// authenticator app here first. A passed step signs the browser in with the stronger
// authentication (amr/acr, lib/use-cases/browser-sessions.ts) and continues the authorization request.
import type { Authentication } from '../../domain/authentication.ts';
import type { AuthorizationRequest } from '../../domain/authorization-request.ts';
import { AppError, InvalidMfaTokenError } from '../../domain/errors.ts';
import type { OAuthClient } from '../../domain/oauth-client.ts';
import type { User } from '../../domain/user.ts';
import { stepAnswer } from '../../http/authorization-step.ts';
import { readCookie, sessionCookieName, setCookie } from '../../http/browser-cookies.ts';
import { checkCsrf, csrfForForm } from '../../http/csrf.ts';
import { shownDeviceProof } from '../../http/device-proof.ts';
import { type Implementation, implement } from '../../http/endpoint.ts';
import type { HttpEvent, HttpResult } from '../../http/types.ts';
import { recoveryCodesPage, secondStepPage, totpEnrolmentPage } from '../../pages/mfa-pages.ts';
import { formTargetsOf, withFlowErrorPages } from '../../pages/oauth-pages.ts';
import { authorize, pendingRequest, RequestGoneError } from '../../use-cases/authorize.ts';
import { currentBrowserSession, signInBrowser } from '../../use-cases/browser-sessions.ts';
import type { Dependencies } from '../../use-cases/dependencies.ts';
import { finishEnrolmentLogin, startEnrolmentLogin } from '../../use-cases/mfa-login.ts';
import { verifyPasskeyLogin } from '../../use-cases/passkey-login.ts';
import { credentialOf, secondStepChoices, secondStepRefusal, verifySecondStepForm } from './hosted-second-step.ts';
import { oauthSecondStepPost } from './mfa-pages.ts';

const ACTION = '/oauth/login/mfa';
const purpose = (requestId: string) => `login-mfa:${requestId}`;
/** The login form's CSRF purpose; its passwordless passkey form posts here with the same token. */
export const loginPurpose = (requestId: string) => `login:${requestId}`;

/** Shows the password form again (the mfa_token is spent or expired), with why. */
export type PasswordForm = (event: HttpEvent, request: AuthorizationRequest, clientName: string, extra: { error?: AppError }) => Promise<HttpResult>;

export function secondStepPages(deps: Dependencies) {
  const { config } = deps;
  const lead = (clientName: string) => `to continue to ${clientName}`;

  /** The second-step page for an mfa_token (the password was right). */
  async function askSecondFactor(
    event: HttpEvent,
    request: AuthorizationRequest,
    clientName: string,
    mfaToken: string,
    problem?: { message: string; in?: 'totp' | 'recovery_code' | 'webauthn'; retryAfterSeconds?: number },
  ) {
    const csrf = csrfForForm(event, purpose(request.requestId), config.publicUrl);
    const choices = await secondStepChoices(mfaToken, deps);
    const result = secondStepPage(config, {
      action: ACTION,
      hidden: { request: request.requestId, csrf_token: csrf.token, mfa_token: mfaToken },
      stepField: 'step',
      ...choices,
      lead: lead(clientName),
      formTargets: formTargetsOf(request.redirectUri),
      ...(problem ? { error: problem.message, ...(problem.in ? { errorIn: problem.in } : {}), status: problem.retryAfterSeconds ? 429 : 400 } : {}),
    });
    if (problem?.retryAfterSeconds !== undefined) result.headers['retry-after'] = String(problem.retryAfterSeconds);
    return { ...result, cookies: csrf.cookies };
  }

  /** The enrolment page (MFA_POLICY=required): a new secret, or (after a wrong code) only the code field again. */
  async function askEnrolment(event: HttpEvent, request: AuthorizationRequest, clientName: string, mfaToken: string, error?: string) {
    const csrf = csrfForForm(event, purpose(request.requestId), config.publicUrl);
    const enrolment = error ? undefined : await startEnrolmentLogin(mfaToken, deps);
    const result = totpEnrolmentPage(config, {
      action: ACTION,
      hidden: { request: request.requestId, csrf_token: csrf.token, mfa_token: mfaToken },
      stepField: 'step',
      confirmStep: 'confirm_totp',
      ...(enrolment ? { enrolment } : {}),
      lead: `${config.productName} requires two-step verification: set it up to continue to ${clientName}.`,
      formTargets: formTargetsOf(request.redirectUri),
      ...(error ? { error, status: 400 } : {}),
    });
    return { ...result, cookies: csrf.cookies };
  }

  /** Signs the browser in with the second step's authentication; the Set-Cookie of the session. */
  async function signIn(event: HttpEvent, user: User, authentication: Authentication) {
    const shownCookie = readCookie(event, sessionCookieName(config.publicUrl));
    const current = await currentBrowserSession(shownCookie, deps);
    const signedIn = await signInBrowser(user, authentication.amr, current && shownCookie ? { ...current, cookieValue: shownCookie } : undefined, deps);
    const cookie = setCookie(sessionCookieName(config.publicUrl), signedIn.cookieValue, {
      publicUrl: config.publicUrl,
      maxAgeSeconds: config.oauth.browserSessionTtlSeconds,
      sameSite: 'Lax',
    });
    return { session: signedIn.session, cookie };
  }

  async function clientOf(request: AuthorizationRequest): Promise<OAuthClient> {
    const client = await deps.oauthClients.get(request.clientId);
    if (!client) throw new RequestGoneError();
    return client;
  }

  function implementation(passwordForm: PasswordForm): Implementation {
    return implement(oauthSecondStepPost, ({ event, body }) =>
      withFlowErrorPages(config, async () => {
        const form = body!;
        const request = await pendingRequest(form.request, deps);
        checkCsrf(event, form.csrf_token, (form.step === 'passkey' ? loginPurpose : purpose)(request.requestId), config.publicUrl);
        const client = await clientOf(request);

        if (form.step === 'passkey') {
          // Passwordless (a discoverable passkey with user verification): the passkey is both factors.
          let passed: Awaited<ReturnType<typeof verifyPasskeyLogin>>;
          try {
            passed = await verifyPasskeyLogin({ ceremonyId: form.ceremony_id ?? '', response: credentialOf(form) }, deps, {
              deviceProof: shownDeviceProof(event),
            });
          } catch (error) {
            if (!(error instanceof AppError) || error.code === 'service_unavailable') throw error;
            return passwordForm(event, request, client.name, {
              error: new AppError(error.code, 'That passkey did not sign you in. Try again, or use your password.'),
            });
          }
          const { session, cookie } = await signIn(event, passed.user, passed.authentication);
          const step = await authorize(request, client, { session, user: passed.user }, deps, { pending: request, justAuthenticated: true });
          return stepAnswer(step, 303, [cookie]);
        }

        if (form.step === 'continue') {
          // After the recovery codes were shown: the browser session (just signed in) answers the request.
          const signedIn = await currentBrowserSession(readCookie(event, sessionCookieName(config.publicUrl)), deps);
          return stepAnswer(await authorize(request, client, signedIn, deps, { pending: request }), 303);
        }

        if (form.step === 'confirm_totp') {
          let enrolled: Awaited<ReturnType<typeof finishEnrolmentLogin>>;
          try {
            enrolled = await finishEnrolmentLogin(form.mfa_token ?? '', form.code ?? '', deps);
          } catch (error) {
            const refusal = secondStepRefusal(error);
            if (!refusal) throw error;
            if (refusal.kind === 'restart') return passwordForm(event, request, client.name, { error: refusal.error });
            return askEnrolment(event, request, client.name, form.mfa_token ?? '', refusal.message);
          }
          const { cookie } = await signIn(event, enrolled.user, enrolled.authentication);
          const csrf = csrfForForm(event, purpose(request.requestId), config.publicUrl);
          const shown = recoveryCodesPage(config, {
            codes: enrolled.recoveryCodes ?? [],
            next: { action: ACTION, hidden: { request: request.requestId, csrf_token: csrf.token, step: 'continue' }, label: `Continue to ${client.name}` },
            formTargets: formTargetsOf(request.redirectUri),
          });
          return { ...shown, cookies: [...csrf.cookies, cookie] };
        }

        let passed: Awaited<ReturnType<typeof verifySecondStepForm>>;
        try {
          passed = await verifySecondStepForm({ ...form, step: form.step }, deps, { deviceProof: shownDeviceProof(event) });
        } catch (error) {
          const refusal = secondStepRefusal(error);
          if (!refusal) throw error;
          if (refusal.kind === 'restart') return passwordForm(event, request, client.name, { error: refusal.error });
          const problem = {
            message: refusal.message,
            in: form.step,
            ...(refusal.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: refusal.retryAfterSeconds }),
          };
          try {
            return await askSecondFactor(event, request, client.name, form.mfa_token ?? '', problem);
          } catch (again) {
            // The token died meanwhile (or was never one): start over with the password.
            if (again instanceof InvalidMfaTokenError) return passwordForm(event, request, client.name, { error: again });
            throw again;
          }
        }
        const { session, cookie } = await signIn(event, passed.user, passed.authentication);
        const step = await authorize(request, client, { session, user: passed.user }, deps, { pending: request, justAuthenticated: true });
        return stepAnswer(step, 303, [cookie]);
      }),
    );
  }

  return { askSecondFactor, askEnrolment, implementation };
}
