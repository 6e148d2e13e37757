// The second step of a login (POST /login/mfa, the hosted login page): the mfa_token from the
// password step and a TOTP code or a recovery code. Wrong codes count twice: against the token
// (MFA_TOKEN_MAX_FAILURES, then it dies) and in the account's failed-login accounting
// (lib/abuse/login-throttle.ts, NIST SP 800-63B §5.2.2), so a stolen password does not buy
// unlimited guesses at the second factor. Also the MFA_POLICY=required path: a user without a
// factor enrols one with the mfa_token before any token is issued.
import { AMR, type Authentication, withSecondFactor } from '../domain/authentication.ts';
import { InvalidMfaCodeError, ValidationError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import { recoveryCodeUsedMail } from '../mail/templates.ts';
import { hashRecoveryCode, parseRecoveryCode } from '../mfa/recovery-codes.ts';
import { verifyTotp } from '../mfa/totp.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { log } from '../support/log.ts';
import { countMetric } from '../support/metrics.ts';
import { issueDeviceProof } from '../tokens/device-proofs.ts';
import type { Dependencies } from './dependencies.ts';
import type { LoginClient, LoginResult } from './login.ts';
import { checkSecondFactor, consumeChallenge, failChallenge, openChallenge } from './mfa-challenges.ts';
import { type ConfirmedTotp, confirmTotpEnrolment, startTotpEnrolment, type TotpEnrolment, totpCodeFrom } from './mfa-totp.ts';
import { recordSecurityEvent, type SecurityEventDeps } from './security-events.ts';
import { startSession } from './sessions.ts';

export type MfaLoginDeps = Pick<
  Dependencies,
  'users' | 'config' | 'throttles' | 'clock' | 'signer' | 'verificationKeys' | 'mfaChallenges' | 'mfaFactors' | 'totpSecrets' | 'mailer'
> &
  SecurityEventDeps;

/** What the second step brings: a code from the authenticator app, or one recovery code. */
export type SecondFactorAnswer = { code: string } | { recoveryCode: string };

export interface VerifiedSecondStep {
  user: User;
  /** amr pwd + otp + mfa, acr aal2, auth_time now (RFC 8176 §2: a recovery code is a one-time password too). */
  authentication: Authentication;
}

/** The typed answer in canonical form, or a ValidationError naming the field (before anything is counted). */
function parseAnswer(answer: SecondFactorAnswer): { kind: 'totp'; code: string } | { kind: 'recovery'; code: string } {
  if ('code' in answer) return { kind: 'totp', code: totpCodeFrom(answer.code) };
  const code = parseRecoveryCode(answer.recoveryCode);
  if (code === undefined) {
    throw new ValidationError([
      { field: 'recovery_code', message: 'Send one of your recovery codes as shown (24 letters and digits; dashes and spaces are ignored).' },
    ]);
  }
  return { kind: 'recovery', code };
}

/**
 * Checks the second factor of a pending login and spends its mfa_token: returns the user and how
 * they authenticated. Throws ValidationError (malformed answer, or a method the account lacks),
 * InvalidMfaTokenError (unknown, expired, spent or exhausted token), InvalidMfaCodeError with the
 * attempts left (wrong, replayed or spent code), TooManyRequestsError (the account's login throttle).
 */
export async function verifySecondFactor(
  mfaToken: string,
  answer: SecondFactorAnswer,
  deps: MfaLoginDeps,
  client: LoginClient = {},
): Promise<VerifiedSecondStep> {
  const typed = parseAnswer(answer);
  const opened = await openChallenge(mfaToken, 'second_factor', deps);
  const { user } = opened;
  if (typed.kind === 'totp' && !user.mfaTotp) {
    throw new ValidationError([{ field: 'code', message: 'This account has no authenticator app: use a passkey or a recovery code.' }]);
  }
  const now = deps.clock.now();
  await checkSecondFactor(opened, client, deps, async () => {
    const accepted = typed.kind === 'totp' ? await acceptTotp(user, typed.code, now, deps) : await acceptRecoveryCode(user, typed.code, now, deps);
    return accepted || undefined;
  });
  await Promise.all([
    recordSecurityEvent(user.id, 'login_succeeded', deps, { details: { method: typed.kind === 'totp' ? 'totp' : 'recovery_code' } }),
    typed.kind === 'recovery' ? recordSecurityEvent(user.id, 'recovery_code_used', deps) : undefined,
    typed.kind === 'recovery' ? reportRecoveryCodeUse(user, deps) : undefined,
  ]);
  countMetric('Logins');
  return { user, authentication: withSecondFactor(toEpochSeconds(now), [AMR.otp]) };
}

/** A right code of a step not accepted before (RFC 6238 §5.2: one conditional write decides a replay). */
async function acceptTotp(user: User, code: string, now: number, deps: MfaLoginDeps): Promise<boolean> {
  const factor = await deps.mfaFactors.getTotp(user.id);
  if (!factor) return false;
  const step = verifyTotp(await deps.totpSecrets.open(user.id, factor.secret), code, now);
  return step !== undefined && (await deps.mfaFactors.useTotpStep(user.id, step, now));
}

/** Spends one unused recovery code (NIST SP 800-63B §5.1.2.2: each look-up secret is used once). */
async function acceptRecoveryCode(user: User, code: string, now: number, deps: MfaLoginDeps): Promise<boolean> {
  return deps.mfaFactors.useRecoveryCode(user.id, hashRecoveryCode(user.id, code), now);
}

/** Tells the owner a recovery code was used; a mail that cannot be sent does not undo the login. */
async function reportRecoveryCodeUse(user: User, deps: MfaLoginDeps): Promise<void> {
  try {
    const remaining = (await deps.mfaFactors.getRecoveryCodes(user.id))?.unusedHashes.length ?? 0;
    await deps.mailer.send(recoveryCodeUsedMail(deps.config, user, remaining, `${deps.config.publicUrl}/account`));
  } catch (error) {
    log.error('recovery-code-used mail could not be sent', { userId: user.id, error });
  }
}

/**
 * The usual login answer once the second step (or an enrolment) is done: a session carrying the
 * authentication, and a new device proof.
 */
export async function finishMfaLogin(user: User, authentication: Authentication, deps: Dependencies): Promise<LoginResult> {
  const settings = { issuer: deps.config.issuer, ttlSeconds: deps.config.loginThrottle.deviceProofTtlSeconds };
  const [session, deviceProof] = await Promise.all([startSession(user, deps, undefined, authentication), issueDeviceProof(user, { ...deps, settings })]);
  return { user, deviceProof, ...session };
}

/**
 * MFA_POLICY=required, first step of enrolling at login: POST /mfa/totp {mfa_token}. The token's
 * password check stands in for a bearer token's recent authentication.
 */
export async function startEnrolmentLogin(mfaToken: string, deps: MfaLoginDeps): Promise<TotpEnrolment> {
  const { challenge, user } = await openChallenge(mfaToken, 'enrollment', deps);
  return startTotpEnrolment(user, deps, { authTime: challenge.authTime, amr: [AMR.pwd] });
}

export interface EnrolledLogin extends VerifiedSecondStep, ConfirmedTotp {}

/**
 * MFA_POLICY=required, second step: POST /mfa/totp/confirm {mfa_token, code}. A right code spends
 * the token and stores the factor (with the first recovery codes); the login then finishes with
 * the password and the code just shown: amr pwd + otp + mfa. A wrong code counts against the token.
 */
export async function finishEnrolmentLogin(mfaToken: string, code: string, deps: MfaLoginDeps): Promise<EnrolledLogin> {
  totpCodeFrom(code);
  const { challenge, user } = await openChallenge(mfaToken, 'enrollment', deps);
  const authentication = { authTime: challenge.authTime, amr: [AMR.pwd] };
  let confirmed: ConfirmedTotp;
  try {
    confirmed = await confirmTotpEnrolment(user, code, deps, authentication, { whenVerified: () => consumeChallenge(challenge, deps) });
  } catch (error) {
    if (error instanceof InvalidMfaCodeError) return failChallenge(challenge, deps);
    throw error;
  }
  await recordSecurityEvent(user.id, 'login_succeeded', deps, { details: { method: 'totp' } });
  return { user, authentication: withSecondFactor(toEpochSeconds(deps.clock.now()), [AMR.otp]), ...confirmed };
}

/** The answer of a validated POST /login/mfa body: exactly one of code and recovery_code. */
export function secondFactorAnswerFromBody(body: { code?: string | undefined; recovery_code?: string | undefined }): SecondFactorAnswer {
  if (body.code !== undefined && body.recovery_code !== undefined) {
    throw new ValidationError([{ field: 'recovery_code', message: 'Send either code or recovery_code, not both.' }]);
  }
  if (body.code !== undefined) return { code: body.code };
  if (body.recovery_code !== undefined) return { recoveryCode: body.recovery_code };
  throw new ValidationError([{ field: 'code', message: 'Send the code your authenticator app shows, or a recovery_code.' }]);
}
