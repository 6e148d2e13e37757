// The account page's sign-in (POST /account/sign-in), also its step-up re-authentication: the
// password, then the second factor on accounts that have one (as the OAuth login page does), or,
// under MFA_POLICY=required, enrolling an authenticator app first. A success starts (or renews) the
// browser session and goes back to the page.
import type * as z from 'zod/mini';
import { AMR } from '../../domain/authentication.ts';
import { AppError, InvalidMfaTokenError, MfaEnrollmentRequiredError, MfaRequiredError } from '../../domain/errors.ts';
import type { User } from '../../domain/user.ts';
import { redirectTo } from '../../http/authorization-step.ts';
import { readCookie, setCookie } from '../../http/browser-cookies.ts';
import { csrfForForm } from '../../http/csrf.ts';
import { shownDeviceProof, withDeviceProof } from '../../http/device-proof.ts';
import type { HttpEvent, HttpResult } from '../../http/types.ts';
import { ACCOUNT_PATH, ACCOUNT_SIGN_IN_PATH, accountSignInPage } from '../../pages/account-home.ts';
import { recoveryCodesPage, secondStepPage, totpEnrolmentPage } from '../../pages/mfa-pages.ts';
import { currentBrowserSession, signInBrowser } from '../../use-cases/browser-sessions.ts';
import { authenticate } from '../../use-cases/login.ts';
import { finishEnrolmentLogin, startEnrolmentLogin } from '../../use-cases/mfa-login.ts';
import { type AccountContext, SIGN_IN_PURPOSE } from './account-context.ts';
import type { accountSignInSchema } from './account-page.ts';
import { secondStepChoices, secondStepRefusal, verifySecondStepForm } from './hosted-second-step.ts';

export interface SignInFormOptions {
  login?: string | undefined;
  error?: string;
  status?: number;
  reason?: 'sign-in' | 'step-up';
}

export function accountSignIn(context: AccountContext) {
  const { deps, sessionCookie, withCookies } = context;
  const { config } = deps;

  function signInForm(event: HttpEvent, extra: SignInFormOptions = {}) {
    const csrf = csrfForForm(event, SIGN_IN_PURPOSE, config.publicUrl);
    const { login, ...rest } = extra;
    return withCookies(accountSignInPage(config, { csrf: csrf.token, ...(login ? { login } : {}), ...rest }), csrf.cookies);
  }

  /** The second step of the account's sign-in, for an mfa_token. */
  async function askSecondFactor(event: HttpEvent, mfaToken: string, problem?: { message: string; in: 'totp' | 'recovery_code' | 'webauthn' }) {
    const csrf = csrfForForm(event, SIGN_IN_PURPOSE, config.publicUrl);
    const choices = await secondStepChoices(mfaToken, deps);
    const result = secondStepPage(config, {
      action: ACCOUNT_SIGN_IN_PATH,
      hidden: { csrf_token: csrf.token, mfa_token: mfaToken },
      stepField: 'step',
      ...choices,
      lead: 'to your account',
      ...(problem ? { error: problem.message, errorIn: problem.in, status: 400 } : {}),
    });
    return withCookies(result, csrf.cookies);
  }

  /** Starts (or renews, for step-up) the browser session with this authentication, then back to the page. */
  async function signedInAnswer(event: HttpEvent, user: User, amr: string[]) {
    const shown = readCookie(event, sessionCookie);
    const current = await currentBrowserSession(shown, deps);
    const { cookieValue } = await signInBrowser(user, amr, current && shown ? { ...current, cookieValue: shown } : undefined, deps);
    const cookie = setCookie(sessionCookie, cookieValue, {
      publicUrl: config.publicUrl,
      maxAgeSeconds: config.oauth.browserSessionTtlSeconds,
      sameSite: 'Lax',
    });
    return redirectTo(ACCOUNT_PATH, 303, [cookie]);
  }

  /** Under MFA_POLICY=required, an account without a factor enrols an authenticator app before it is signed in. */
  async function askEnrolment(event: HttpEvent, mfaToken: string, error?: string) {
    const csrf = csrfForForm(event, SIGN_IN_PURPOSE, config.publicUrl);
    const enrolment = error ? undefined : await startEnrolmentLogin(mfaToken, deps);
    const result = totpEnrolmentPage(config, {
      action: ACCOUNT_SIGN_IN_PATH,
      hidden: { csrf_token: csrf.token, mfa_token: mfaToken },
      stepField: 'step',
      confirmStep: 'confirm_totp',
      ...(enrolment ? { enrolment } : {}),
      lead: `${config.productName} requires two-step verification: set it up to continue.`,
      ...(error ? { error, status: 400 } : {}),
    });
    return withCookies(result, csrf.cookies);
  }

  async function signIn(event: HttpEvent, form: z.output<typeof accountSignInSchema>): Promise<HttpResult> {
    if (form.step === 'password') {
      const login = form.username?.trim() ?? '';
      if (!login || !form.password) return signInForm(event, { login, error: 'Type your username (or email) and password.', status: 400 });
      try {
        const signedIn = await authenticate(
          { login, password: form.password },
          deps,
          { deviceProof: shownDeviceProof(event), secondStep: 'ask' },
          async () => undefined,
        );
        const answer = await signedInAnswer(event, signedIn.user, [AMR.pwd]);
        return withDeviceProof(answer, event, signedIn.deviceProof, config.loginThrottle.deviceProofTtlSeconds);
      } catch (error) {
        const mfaToken = error instanceof AppError ? error.members?.mfa_token : undefined;
        if (error instanceof MfaRequiredError && typeof mfaToken === 'string') return askSecondFactor(event, mfaToken);
        if (error instanceof MfaEnrollmentRequiredError && typeof mfaToken === 'string') return askEnrolment(event, mfaToken);
        if (error instanceof AppError && error.code !== 'service_unavailable') {
          const result = signInForm(event, { login, error: error.message, status: error.retryAfterSeconds !== undefined ? 429 : 401 });
          if (error.retryAfterSeconds !== undefined) result.headers['retry-after'] = String(error.retryAfterSeconds);
          return result;
        }
        throw error;
      }
    }
    if (form.step === 'confirm_totp') {
      try {
        const enrolled = await finishEnrolmentLogin(form.mfa_token ?? '', form.code ?? '', deps);
        const answer = await signedInAnswer(event, enrolled.user, enrolled.authentication.amr);
        const shown = recoveryCodesPage(config, { codes: enrolled.recoveryCodes ?? [], next: { href: ACCOUNT_PATH, label: 'Continue to your account' } });
        return withCookies(shown, answer.cookies ?? []);
      } catch (error) {
        const refusal = secondStepRefusal(error);
        if (!refusal) throw error;
        if (refusal.kind === 'restart') return signInForm(event, { error: refusal.error.message, status: 401 });
        return askEnrolment(event, form.mfa_token ?? '', refusal.message);
      }
    }
    try {
      const passed = await verifySecondStepForm({ ...form, step: form.step }, deps, { deviceProof: shownDeviceProof(event) });
      return await signedInAnswer(event, passed.user, passed.authentication.amr);
    } catch (error) {
      const refusal = secondStepRefusal(error);
      if (!refusal) throw error;
      if (refusal.kind === 'restart') return signInForm(event, { error: refusal.error.message, status: 401 });
      try {
        return await askSecondFactor(event, form.mfa_token ?? '', { message: refusal.message, in: form.step });
      } catch (again) {
        if (again instanceof InvalidMfaTokenError) return signInForm(event, { error: again.message, status: 401 });
        throw again;
      }
    }
  }

  return { signInForm, signIn };
}
