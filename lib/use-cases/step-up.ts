// Step-up: changing or removing second factors, regenerating recovery codes, and changing the
// password or email (POST /me/password, /me/email) needs an interactive authentication no older than STEP_UP_MAX_AGE, which
// included the second factor when the account has one (NIST SP 800-63B §4.2.2 re-authentication
// at AAL2). A bearer caller proves it with its access token's auth_time and amr (RFC 9068 §2.2.1);
// a hosted page with its browser session's. Otherwise StepUpRequiredError: sign in again.
import { AMR } from '../domain/authentication.ts';
import { StepUpRequiredError } from '../domain/errors.ts';
import { enrolledFactors, type User } from '../domain/user.ts';
import { toEpochSeconds } from '../support/clock.ts';
import type { Dependencies } from './dependencies.ts';

/** How the caller last authenticated, as its token or browser session says (absent: unknown). */
export interface RecentAuthentication {
  /** Epoch seconds. */
  authTime?: number | undefined;
  amr?: readonly string[] | undefined;
}

/**
 * Throws StepUpRequiredError unless the authentication is recent enough and strong enough for this
 * user. Whether the account has a factor is read from the table (consistently), not from `user`:
 * the token checker may hand a use case a user cached for up to a second, from before a factor was
 * added, and a password-only token must not add a second factor in that second. The user's factor
 * counters are brought up to date in place, so the rest of the use case sees them too.
 */
export async function requireStepUp(authentication: RecentAuthentication, user: User, deps: Pick<Dependencies, 'clock' | 'config' | 'users'>): Promise<void> {
  const stored = await deps.users.get(user.id);
  if (stored) {
    user.mfaTotp = stored.mfaTotp;
    user.passkeyCount = stored.passkeyCount;
  }
  const maxAge = deps.config.mfa.stepUpMaxAgeSeconds;
  const { authTime, amr = [] } = authentication;
  const recent = typeof authTime === 'number' && authTime >= toEpochSeconds(deps.clock.now()) - maxAge;
  const strongEnough = enrolledFactors(user).length === 0 || amr.includes(AMR.mfa);
  if (!recent || !strongEnough) throw new StepUpRequiredError(maxAge);
}

/** The authentication a bearer caller's access token describes (API tokens carry none: never recent). */
export function tokenAuthentication(claims: Record<string, unknown>): RecentAuthentication {
  return {
    authTime: typeof claims.auth_time === 'number' ? claims.auth_time : undefined,
    amr: Array.isArray(claims.amr) ? claims.amr.filter((value): value is string => typeof value === 'string') : undefined,
  };
}
