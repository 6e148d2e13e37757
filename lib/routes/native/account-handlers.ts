// /account's operations (served by functions/account.ts): the hosted account page of the browser
// session's user. Without a session it shows a sign-in form (the password, then the second factor
// on accounts that have one, as the OAuth login page does); with one it lists the factors and
// enrols or removes them through the MFA use cases, which hold the step-up rule: a change needs a
// sign-in no older than STEP_UP_MAX_AGE, with the second factor once the account has one;
// otherwise the page asks for the password (and factor) again and the browser session records it.
import type * as z from 'zod/mini';
import { AMR } from '../../domain/authentication.ts';
import {
  AppError,
  InvalidMfaCodeError,
  InvalidMfaTokenError,
  MfaEnrollmentRequiredError,
  MfaRequiredError,
  StepUpRequiredError,
  ValidationError,
} from '../../domain/errors.ts';
import type { User } from '../../domain/user.ts';
import { redirectTo } from '../../http/authorization-step.ts';
import { clearCookie, readCookie, sessionCookieName, setCookie } from '../../http/browser-cookies.ts';
import { checkCsrf, csrfForForm } from '../../http/csrf.ts';
import { shownDeviceProof, withDeviceProof } from '../../http/device-proof.ts';
import { type Implementation, implement } from '../../http/endpoint.ts';
import type { HttpEvent, HttpResult } from '../../http/types.ts';
import { ACCOUNT_PATH, ACCOUNT_SIGN_IN_PATH, accountPage, accountSignInPage, addPasskeyPage, factorsSection } from '../../pages/account-home.ts';
import { recoveryCodesPage, secondStepPage, totpEnrolmentPage } from '../../pages/mfa-pages.ts';
import { signedOutPage, withFlowErrorPages } from '../../pages/oauth-pages.ts';
import { currentBrowserSession, endBrowserSession, type SignedIn, signInBrowser } from '../../use-cases/browser-sessions.ts';
import type { Dependencies } from '../../use-cases/dependencies.ts';
import { authenticate } from '../../use-cases/login.ts';
import { finishEnrolmentLogin, startEnrolmentLogin } from '../../use-cases/mfa-login.ts';
import { confirmTotpEnrolment, listFactors, regenerateRecoveryCodes, removeTotp, startTotpEnrolment } from '../../use-cases/mfa-totp.ts';
import { passkeyRegistrationOptions, registerPasskey, removePasskey } from '../../use-cases/passkeys.ts';
import type { RecentAuthentication } from '../../use-cases/step-up.ts';
import { secondStepChoices, secondStepRefusal, verifySecondStepForm } from './hosted-second-step.ts';
import { type accountActionSchema, accountPageGet, accountPagePost, accountSignInPost, type accountSignInSchema } from './mfa-pages.ts';

/** The CSRF purposes: the sign-in forms, and the signed-in page's forms (tied to the session). */
const SIGN_IN = 'account-sign-in';
const actionsOf = (signedIn: SignedIn) => `account:${signedIn.session.sessionId}`;

export function accountImplementations(deps: Dependencies): Implementation[] {
  const { config } = deps;
  const sessionCookie = sessionCookieName(config.publicUrl);

  const session = (event: HttpEvent) => currentBrowserSession(readCookie(event, sessionCookie), deps);
  const recentOf = (signedIn: SignedIn): RecentAuthentication => ({ authTime: signedIn.session.authTime, amr: signedIn.session.amr });
  const withCookies = (result: HttpResult, cookies: string[]) => ({ ...result, cookies: [...(result.cookies ?? []), ...cookies] });

  function signInForm(event: HttpEvent, extra: { login?: string | undefined; error?: string; status?: number; reason?: 'sign-in' | 'step-up' } = {}) {
    const csrf = csrfForForm(event, SIGN_IN, config.publicUrl);
    const { login, ...rest } = extra;
    return withCookies(accountSignInPage(config, { csrf: csrf.token, ...(login ? { login } : {}), ...rest }), csrf.cookies);
  }

  async function home(event: HttpEvent, signedIn: SignedIn, message?: { kind: 'ok' | 'bad'; text: string }, status = 200) {
    const csrf = csrfForForm(event, actionsOf(signedIn), config.publicUrl);
    const factors = await listFactors(signedIn.user, deps);
    const result = accountPage(config, {
      username: signedIn.user.username,
      csrf: csrf.token,
      sections: [factorsSection(csrf.token, factors)],
      ...(message ? { message } : {}),
      status,
    });
    return withCookies(result, csrf.cookies);
  }

  /** The second step of the account's sign-in, for an mfa_token. */
  async function askSecondFactor(event: HttpEvent, mfaToken: string, problem?: { message: string; in: 'totp' | 'recovery_code' | 'webauthn' }) {
    const csrf = csrfForForm(event, SIGN_IN, config.publicUrl);
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
    const csrf = csrfForForm(event, SIGN_IN, config.publicUrl);
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

  type ActionForm = z.output<typeof accountActionSchema>;

  async function act(event: HttpEvent, signedIn: SignedIn, form: ActionForm): Promise<HttpResult> {
    const { user } = signedIn;
    const recent = recentOf(signedIn);
    const csrf = () => csrfForForm(event, actionsOf(signedIn), config.publicUrl);
    /** The authenticator-app form: the new secret and QR code, or (after a wrong code) the code field again. */
    const enrolmentForm = (shown: Pick<Parameters<typeof totpEnrolmentPage>[1], 'enrolment' | 'error' | 'status'>) => {
      const token = csrf();
      const page = totpEnrolmentPage(config, {
        action: ACCOUNT_PATH,
        hidden: { csrf_token: token.token },
        stepField: 'action',
        confirmStep: 'totp_confirm',
        cancelUrl: ACCOUNT_PATH,
        ...shown,
      });
      return withCookies(page, token.cookies);
    };
    switch (form.action) {
      case 'sign_out': {
        await endBrowserSession(signedIn.session.sessionId, user.id, deps);
        return { ...signedOutPage(config), cookies: [clearCookie(sessionCookie, config.publicUrl)] };
      }
      case 'totp_start':
        return enrolmentForm({ enrolment: await startTotpEnrolment(user, deps, recent) });
      case 'totp_confirm': {
        try {
          const confirmed = await confirmTotpEnrolment(user, form.code ?? '', deps, recent);
          if (confirmed.recoveryCodes)
            return recoveryCodesPage(config, { codes: confirmed.recoveryCodes, next: { href: ACCOUNT_PATH, label: 'Back to your account' } });
          return home(event, signedIn, { kind: 'ok', text: 'Your authenticator app is set up.' });
        } catch (error) {
          if (!(error instanceof InvalidMfaCodeError || error instanceof ValidationError)) throw error;
          return enrolmentForm({ error: 'That code did not work. Type the code your app shows now.', status: 400 });
        }
      }
      case 'totp_remove':
        await removeTotp(user, deps, recent);
        return home(event, signedIn, { kind: 'ok', text: 'The authenticator app was removed.' });
      case 'passkey_start': {
        const options = await passkeyRegistrationOptions(user, deps, recent);
        const token = csrf();
        return withCookies(addPasskeyPage(config, { csrf: token.token, options }), token.cookies);
      }
      case 'passkey_register': {
        let response: unknown;
        try {
          response = JSON.parse(form.credential ?? '');
        } catch {
          return home(event, signedIn, { kind: 'bad', text: 'The passkey was not created: its answer did not arrive. Try again.' }, 400);
        }
        try {
          const registered = await registerPasskey(user, { name: form.name ?? '', response }, deps, recent);
          if (registered.recoveryCodes)
            return recoveryCodesPage(config, { codes: registered.recoveryCodes, next: { href: ACCOUNT_PATH, label: 'Back to your account' } });
          return home(event, signedIn, { kind: 'ok', text: `The passkey “${registered.passkey.name}” was added.` });
        } catch (error) {
          if (!(error instanceof ValidationError) && !(error instanceof AppError && error.code === 'conflict')) throw error;
          return home(event, signedIn, { kind: 'bad', text: `The passkey was not added: ${error.errors?.[0]?.message ?? error.message}` }, 400);
        }
      }
      case 'passkey_remove':
        await removePasskey(user, form.passkey_id ?? '', deps, recent);
        return home(event, signedIn, { kind: 'ok', text: 'The passkey was removed.' });
      case 'recovery_codes': {
        const codes = await regenerateRecoveryCodes(user, deps, recent);
        return recoveryCodesPage(config, {
          codes,
          lead: 'New recovery codes: the old ones no longer work.',
          next: { href: ACCOUNT_PATH, label: 'Back to your account' },
        });
      }
    }
  }

  return [
    implement(accountPageGet, ({ event }) =>
      withFlowErrorPages(config, async () => {
        const signedIn = await session(event);
        return signedIn ? home(event, signedIn) : signInForm(event);
      }),
    ),
    implement(accountSignInPost, ({ event, body }) =>
      withFlowErrorPages(config, async () => {
        checkCsrf(event, body!.csrf_token, SIGN_IN, config.publicUrl);
        return signIn(event, body!);
      }),
    ),
    implement(accountPagePost, ({ event, body }) =>
      withFlowErrorPages(config, async () => {
        const signedIn = await session(event);
        // The session ended meanwhile (signed out elsewhere, expired): sign in again.
        if (!signedIn) return signInForm(event, { error: 'You are signed out. Sign in again.', status: 401 });
        checkCsrf(event, body!.csrf_token, actionsOf(signedIn), config.publicUrl);
        try {
          return await act(event, signedIn, body!);
        } catch (error) {
          if (error instanceof StepUpRequiredError) return signInForm(event, { login: signedIn.user.username, reason: 'step-up', status: 401 });
          // An expected refusal (nothing to remove, already enrolled, too many passkeys): said on the page.
          if (error instanceof AppError && httpStatusBelow500(error)) return home(event, signedIn, { kind: 'bad', text: error.message }, 400);
          throw error;
        }
      }),
    ),
  ];
}

/** Errors a user can be told about (4xx), as opposed to outages. */
const httpStatusBelow500 = (error: AppError) => error.code !== 'service_unavailable';
