// The hosted pages' second step, shared by the OAuth login page (/oauth/login/mfa) and the account
// page's sign-in (/account/sign-in): checks the factor a form sent (a TOTP or recovery code through
// lib/use-cases/mfa-login.ts, a passkey assertion through lib/use-cases/passkey-login.ts), and says
// what the page should show when it is refused: the same step again with why, or the password form.
import type { Authentication } from '../../domain/authentication.ts';
import { type AppError, InvalidMfaCodeError, InvalidMfaTokenError, type SecondStepMethod, TooManyRequestsError, ValidationError } from '../../domain/errors.ts';
import { enrolledFactors, type User } from '../../domain/user.ts';
import type { Dependencies } from '../../use-cases/dependencies.ts';
import type { LoginClient } from '../../use-cases/login.ts';
import { openChallenge } from '../../use-cases/mfa-challenges.ts';
import { verifySecondFactor } from '../../use-cases/mfa-login.ts';
import { passkeyLoginOptions, verifyPasskeyLogin } from '../../use-cases/passkey-login.ts';

/** The fields a second-step form sends. */
export interface SecondStepForm {
  step: 'totp' | 'recovery_code' | 'webauthn';
  mfa_token?: string | undefined;
  code?: string | undefined;
  recovery_code?: string | undefined;
  credential?: string | undefined;
}

export interface PassedSecondStep {
  user: User;
  authentication: Authentication;
}

/** The methods the page offers a user: their factors, and recovery codes always. */
export const methodsFor = (user: User): SecondStepMethod[] => [...enrolledFactors(user), 'recovery_code'];

/** The browser's WebAuthn response, as the page's script put it in the form. */
export function credentialOf(form: Pick<SecondStepForm, 'credential'>): unknown {
  try {
    return JSON.parse(form.credential ?? '');
  } catch {
    throw new ValidationError(
      [{ field: 'credential', message: 'The passkey answer was not received; try again.' }],
      'The passkey answer was not received; try again.',
    );
  }
}

/** Verifies the form's factor; throws what verifySecondFactor / verifyPasskeyLogin throw. */
export async function verifySecondStepForm(form: SecondStepForm, deps: Dependencies, client: LoginClient): Promise<PassedSecondStep> {
  const mfaToken = form.mfa_token;
  if (mfaToken === undefined) throw new InvalidMfaTokenError();
  if (form.step === 'webauthn') return verifyPasskeyLogin({ mfaToken, response: credentialOf(form) }, deps, client);
  if (form.step === 'totp') return verifySecondFactor(mfaToken, { code: form.code ?? '' }, deps, client);
  return verifySecondFactor(mfaToken, { recoveryCode: form.recovery_code ?? '' }, deps, client);
}

/** What the page needs to ask for the second factor of an mfa_token: the methods and, for passkeys, fresh options. */
export async function secondStepChoices(mfaToken: string, deps: Dependencies): Promise<{ methods: SecondStepMethod[]; webauthnOptions?: unknown }> {
  const { user } = await openChallenge(mfaToken, 'second_factor', deps);
  const methods = methodsFor(user);
  if (!methods.includes('webauthn')) return { methods };
  const { options } = await passkeyLoginOptions({ mfaToken }, deps);
  return { methods, webauthnOptions: options };
}

/** How a refused second step is shown: again with a message, or (`restart`) the password form. */
export type SecondStepRefusal = { kind: 'again'; message: string; retryAfterSeconds?: number } | { kind: 'restart'; error: AppError };

/** The page's answer to an error of verifySecondStepForm, or undefined for one it does not handle (rethrown). */
export function secondStepRefusal(error: unknown): SecondStepRefusal | undefined {
  if (error instanceof InvalidMfaTokenError) return { kind: 'restart', error };
  if (error instanceof InvalidMfaCodeError) {
    const left = error.members?.attempts_left;
    const message = typeof left === 'number' ? `That did not work. ${left} ${left === 1 ? 'attempt' : 'attempts'} left.` : 'That did not work.';
    return { kind: 'again', message };
  }
  if (error instanceof TooManyRequestsError) {
    return { kind: 'again', message: error.message, ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }) };
  }
  if (error instanceof ValidationError) return { kind: 'again', message: error.errors?.[0]?.message ?? error.message };
  return undefined;
}
