// Whether a token still stands: its jti on the revocation list, its session (refresh family)
// ended, its user's state; and the port the token checker asks (lib/store/revocations.ts).
import type { User } from './user.ts';

export interface TokenStateQuery {
  jti: string;
  userId: string;
  /** The session (refresh family) the token belongs to, if any. */
  familyId?: string;
}

export interface TokenState {
  jtiRevoked: boolean;
  familyRevoked: boolean;
  user: User | undefined;
}

/** Reading a token's state: all a verifier needs. */
export interface TokenStateReads {
  lookup(query: TokenStateQuery, nowSeconds: number): Promise<TokenState>;
}

export interface RevocationStore extends TokenStateReads {
  /** Puts a jti on the revocation list until the token would have expired anyway. */
  revokeJti(jti: string, tokenExpiresAt: number, now: number): Promise<void>;
}
