// The account page's actions on second factors: set up or remove the authenticator app, add or
// remove a passkey, get new recovery codes. The MFA use cases hold the step-up rule (the session's
// sign-in recent enough, with the second factor once the account has one).
import { AppError, InvalidMfaCodeError, ValidationError } from '../../domain/errors.ts';
import type { HttpEvent, HttpResult } from '../../http/types.ts';
import { addPasskeyPage } from '../../pages/account-factors.ts';
import { ACCOUNT_PATH } from '../../pages/account-home.ts';
import { recoveryCodesPage, totpEnrolmentPage } from '../../pages/mfa-pages.ts';
import type { SignedIn } from '../../use-cases/browser-sessions.ts';
import { confirmTotpEnrolment, regenerateRecoveryCodes, removeTotp, startTotpEnrolment } from '../../use-cases/mfa-totp.ts';
import { passkeyRegistrationOptions, registerPasskey, removePasskey } from '../../use-cases/passkeys.ts';
import type { AccountContext, DoneKey } from './account-context.ts';
import type { AccountAction } from './account-page.ts';

type Action = (event: HttpEvent, signedIn: SignedIn, form: AccountAction) => Promise<HttpResult>;

export function factorActions(context: AccountContext) {
  const { deps, recentOf } = context;
  const { config } = deps;
  const section = 'two-step';
  const backLink = (done: DoneKey) => ({ href: context.backHref(done), label: 'Back to your account' });

  /** The authenticator-app form: the new secret and QR code, or (after a wrong code) the code field again. */
  const enrolmentForm = (event: HttpEvent, signedIn: SignedIn, shown: Pick<Parameters<typeof totpEnrolmentPage>[1], 'enrolment' | 'error' | 'status'>) => {
    const token = context.actionCsrf(event, signedIn);
    const page = totpEnrolmentPage(config, {
      action: ACCOUNT_PATH,
      hidden: { csrf_token: token.token },
      stepField: 'action',
      confirmStep: 'totp_confirm',
      cancelUrl: ACCOUNT_PATH,
      ...shown,
    });
    return context.withCookies(page, token.cookies);
  };

  const totp_start: Action = async (event, signedIn) =>
    enrolmentForm(event, signedIn, { enrolment: await startTotpEnrolment(signedIn.user, deps, recentOf(signedIn)) });

  const totp_confirm: Action = async (event, signedIn, form) => {
    try {
      const confirmed = await confirmTotpEnrolment(signedIn.user, form.code ?? '', deps, recentOf(signedIn));
      if (confirmed.recoveryCodes) return recoveryCodesPage(config, { codes: confirmed.recoveryCodes, next: backLink('totp_added') });
      return context.back('totp_added');
    } catch (error) {
      if (!(error instanceof InvalidMfaCodeError || error instanceof ValidationError)) throw error;
      return enrolmentForm(event, signedIn, { error: 'That code did not work. Type the code your app shows now.', status: 400 });
    }
  };

  const totp_remove: Action = async (_event, signedIn) => {
    await removeTotp(signedIn.user, deps, recentOf(signedIn));
    return context.back('totp_removed');
  };

  const passkey_start: Action = async (event, signedIn) => {
    const options = await passkeyRegistrationOptions(signedIn.user, deps, recentOf(signedIn));
    const token = context.actionCsrf(event, signedIn);
    return context.withCookies(addPasskeyPage(config, { csrf: token.token, options }), token.cookies);
  };

  const passkey_register: Action = async (event, signedIn, form) => {
    let response: unknown;
    try {
      response = JSON.parse(form.credential ?? '');
    } catch {
      return context.refused(event, signedIn, section, 'The passkey was not created: its answer did not arrive. Try again.');
    }
    try {
      const registered = await registerPasskey(signedIn.user, { name: form.name ?? '', response }, deps, recentOf(signedIn));
      if (registered.recoveryCodes) return recoveryCodesPage(config, { codes: registered.recoveryCodes, next: backLink('passkey_added') });
      return context.back('passkey_added');
    } catch (error) {
      if (!(error instanceof ValidationError) && !(error instanceof AppError && error.code === 'conflict')) throw error;
      return context.refused(event, signedIn, section, `The passkey was not added: ${error.errors?.[0]?.message ?? error.message}`);
    }
  };

  const passkey_remove: Action = async (_event, signedIn, form) => {
    await removePasskey(signedIn.user, form.passkey_id ?? '', deps, recentOf(signedIn));
    return context.back('passkey_removed');
  };

  const recovery_codes: Action = async (_event, signedIn) => {
    const codes = await regenerateRecoveryCodes(signedIn.user, deps, recentOf(signedIn));
    return recoveryCodesPage(config, { codes, lead: 'New recovery codes: the old ones no longer work.', next: backLink('recovery_codes_renewed') });
  };

  return { totp_start, totp_confirm, totp_remove, passkey_start, passkey_register, passkey_remove, recovery_codes };
}
