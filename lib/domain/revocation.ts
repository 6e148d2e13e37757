// Whether a token still stands: its jti on the revocation list, its session (refresh family)
// ended, its user's state, and for a service token the credential it was minted with (its
// parent); and the port the token checker asks (lib/store/revocations.ts).
import type { ApiTokenRecord } from './api-token.ts';
import type { User } from './user.ts';

export interface TokenStateQuery {
  jti: string;
  userId: string;
  /** The session (refresh family) the token belongs to, if any. */
  familyId?: string;
  /** A service token minted with an API token: that token's id (the user's own). */
  parentApiTokenId?: string;
  /** A service token minted with an access token that had no session: that token's jti. */
  parentJti?: string;
}

export interface TokenState {
  jtiRevoked: boolean;
  familyRevoked: boolean;
  user: User | undefined;
  /** Only when asked for: the parent access token's jti is on the revocation list. */
  parentJtiRevoked?: boolean;
  /** Only when asked for: the parent API token's record, undefined once deleted (expiry is the checker's to judge). */
  parentApiToken?: ApiTokenRecord | undefined;
}

/** Reading a token's state: all a verifier needs. */
export interface TokenStateReads {
  lookup(query: TokenStateQuery, nowSeconds: number): Promise<TokenState>;
}

export interface RevocationStore extends TokenStateReads {
  /** Puts a jti on the revocation list until the token would have expired anyway. */
  revokeJti(jti: string, tokenExpiresAt: number, now: number): Promise<void>;
}
