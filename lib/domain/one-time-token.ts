// Password-reset and email-verification tokens (single use, kept only as hashes) and the port the
// password-reset and email-verification use cases reach them through (lib/store/one-time-tokens.ts).

export interface OneTimeToken {
  userId: string;
  /** Epoch seconds. */
  expiresAt: number;
  /** For verification tokens: the address the mail was sent to. */
  email?: string;
  /**
   * For reset tokens: the user's reset generation when the link was issued (absent: 0). A reset
   * moves the generation on, which voids every link issued before it at once.
   */
  generation?: number;
}

export interface PasswordChange {
  tokenHash: string;
  userId: string;
  /** The token's generation: the change happens only while it is still the user's. */
  generation: number;
  newPasswordHash: string;
  /** Epoch milliseconds. */
  now: number;
}

export interface OneTimeTokenStore {
  /**
   * Stores a reset token beside any others the user holds: each works until it is used, expires, or
   * a reset voids it. `token.generation` is the user's reset generation as read when it was asked for.
   */
  createResetToken(tokenHash: string, token: OneTimeToken, now: number): Promise<void>;
  /** A live reset token of the user's current reset generation (no reset since it was issued); undefined otherwise. */
  findResetToken(tokenHash: string, nowSeconds: number): Promise<OneTimeToken | undefined>;
  /**
   * Spends the reset token, sets the new password and moves the user's reset generation on, in one
   * transaction: every other reset link of the user is void with it, and every session, access
   * token and API token issued before `now` stops working. False if the token was already used,
   * expired, voided by another reset, or the account is not active.
   */
  resetPassword(change: PasswordChange): Promise<boolean>;
  /** Removes a token whose mail could not be sent, so no live token exists that nobody holds. */
  discard(kind: 'reset' | 'verify', tokenHash: string): Promise<void>;
  createVerifyToken(tokenHash: string, token: OneTimeToken & { email: string }, now: number): Promise<void>;
  findVerifyToken(tokenHash: string, nowSeconds: number): Promise<(OneTimeToken & { email: string }) | undefined>;
  /**
   * Spends the token and marks the address verified, if it is still the user's address and not yet
   * verified: the first link used voids the user's other verification links.
   */
  verifyEmail(tokenHash: string, token: OneTimeToken & { email: string }, now: number): Promise<boolean>;
}
