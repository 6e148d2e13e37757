// Password-reset and email-verification tokens (single use, kept only as hashes) and the port the
// password-reset and email-verification use cases reach them through (lib/store/one-time-tokens.ts).

export interface OneTimeToken {
  userId: string;
  /** Epoch seconds. */
  expiresAt: number;
  /** For verification tokens: the address the mail was sent to. */
  email?: string;
}

export interface PasswordChange {
  tokenHash: string;
  userId: string;
  newPasswordHash: string;
  /** Epoch milliseconds. */
  now: number;
}

export interface OneTimeTokenStore {
  /** Stores a reset token and makes it the user's only valid one: older links stop working. */
  createResetToken(tokenHash: string, token: OneTimeToken, now: number): Promise<void>;
  /** A live reset token that is still the user's newest; undefined otherwise. */
  findResetToken(tokenHash: string, nowSeconds: number): Promise<OneTimeToken | undefined>;
  /**
   * Spends the reset token and sets the new password in one transaction; every session, access
   * token and API token issued before `now` stops working. False if the token was already used,
   * expired, superseded, or the account is not active.
   */
  resetPassword(change: PasswordChange): Promise<boolean>;
  /** Removes a token whose mail could not be sent, so no live token exists that nobody holds. */
  discard(kind: 'reset' | 'verify', tokenHash: string): Promise<void>;
  createVerifyToken(tokenHash: string, token: OneTimeToken & { email: string }, now: number): Promise<void>;
  findVerifyToken(tokenHash: string, nowSeconds: number): Promise<(OneTimeToken & { email: string }) | undefined>;
  /** Spends the token and marks the address verified, if it is still the user's address. */
  verifyEmail(tokenHash: string, token: OneTimeToken & { email: string }, now: number): Promise<boolean>;
}
