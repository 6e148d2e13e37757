// RFC 7591 §3 initial access tokens: what OAUTH_DYNAMIC_REGISTRATION=token asks a registering
// client for. An operator issues one with `npm run admin -- clients registration-token`; it works
// for any number of registrations until it expires, and is kept only as its hash.
// The port below is implemented by lib/store/registration-tokens.ts.

export interface RegistrationTokenStore {
  /** Stores a token's hash until `expiresAt` (epoch seconds). */
  create(tokenHash: string, expiresAt: number): Promise<void>;
  /** Whether a token with this hash exists and has not expired at `nowSeconds` (TTL deletion is lazy). */
  isValid(tokenHash: string, nowSeconds: number): Promise<boolean>;
}
