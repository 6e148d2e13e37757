// Authorization codes (OAuth 2.1 §4.1): issued by /oauth/authorize after the user signed in (and
// consented), redeemed once at /oauth/token. Stored only as a SHA-256 hash, live at most
// AUTHORIZATION_CODE_TTL seconds (≤ 60), bound to the client, the redirect URI and the PKCE
// challenge. The redemption marks the code used and starts the session in one transaction, so a
// second redemption finds the session it started and ends it (RFC 9700 §4.5.3.1, OAuth 2.1 §4.1.3).
import type { NewSession } from './session.ts';

export interface AuthorizationCode {
  codeHash: string;
  clientId: string;
  userId: string;
  /** The redirect_uri of the authorization request, exactly as sent (OAuth 2.1 §4.1.3 compares it). */
  redirectUri: string;
  /** RFC 7636 S256 challenge: base64url(SHA-256(code_verifier)). */
  codeChallenge: string;
  /** The scopes granted. */
  scopes: string[];
  /** OIDC Core §3.1.2.1: copied into the ID token unchanged. */
  nonce?: string;
  /** Epoch seconds of the user's last interactive authentication (the ID token's auth_time). */
  authTime: number;
  /** RFC 8176 authentication methods of that authentication, e.g. ["pwd"]. */
  amr: string[];
  /** OIDC `acr` of that authentication, when there is one. */
  acr?: string;
  /** The browser session (lib/domain/browser-session.ts) the code was issued in: the ID token's `sid`. */
  browserSessionId: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch seconds; also the TTL attribute. */
  expiresAt: number;
}

/** A stored code and what became of it. */
export interface StoredAuthorizationCode extends AuthorizationCode {
  used: boolean;
  /** The session its redemption started (set in the redemption's transaction). */
  familyId?: string;
}

/** `redeemed`: this call used the code and started the session; `used`: an earlier redemption did. */
export type RedemptionOutcome = 'redeemed' | 'used';

export interface AuthorizationCodeStore {
  create(code: AuthorizationCode): Promise<void>;
  /** The code by its hash (consistent read); undefined when unknown. Expiry is the caller's to check. */
  find(codeHash: string): Promise<StoredAuthorizationCode | undefined>;
  /**
   * In one transaction: marks the code used, on the condition that it was unused, and starts
   * `session` (its family, and its refresh token when it has one). `used` when the condition failed
   * (a second redemption, or the loser of a race): nothing is written then.
   */
  redeem(codeHash: string, session: NewSession): Promise<RedemptionOutcome>;
}
